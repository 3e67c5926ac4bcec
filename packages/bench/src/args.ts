/** The sections a run can be limited to with `--only`, in the order a full run measures them. */
export const benchSections = [
  "latency",
  "cold-start",
  "memory",
  "e2e",
  "events",
  "passwords",
  "admin",
  "reconcile",
] as const;
export type BenchSection = (typeof benchSections)[number];

export const benchUsage = `Usage: npm run bench [-- --json] [-- --quick] [-- --only=${benchSections.join(",")}]`;

export interface BenchArgs {
  json: boolean;
  quick: boolean;
  /** The sections to measure; undefined measures them all. */
  only?: BenchSection[];
}

/** The bench's command line, or what is wrong with it. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | { error: string } {
  const onlyArgs = argv.filter((arg) => arg.startsWith("--only="));
  const unknown = argv.filter((arg) => !["--json", "--quick"].includes(arg) && !arg.startsWith("--only="));
  if (unknown.length > 0) return { error: `Unknown option(s): ${unknown.join(" ")}` };
  if (onlyArgs.length > 1) return { error: "--only given more than once: name every section in one list" };
  const json = argv.includes("--json");
  const quick = argv.includes("--quick");
  const [onlyArg] = onlyArgs;
  if (onlyArg === undefined) return { json, quick };
  const named = onlyArg
    .slice("--only=".length)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (named.length === 0) return { error: "--only names no section" };
  const wrong = named.filter((name) => !(benchSections as readonly string[]).includes(name));
  if (wrong.length > 0) return { error: `Unknown section(s) in --only: ${wrong.join(", ")}` };
  return { json, quick, only: [...new Set(named)] as BenchSection[] };
}
