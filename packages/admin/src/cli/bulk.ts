import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { BulkActions, type BulkRun } from "../bulk/actions.ts";
import { auditExport, type ExportFormat, exportChunks, exportFormats } from "../bulk/export.ts";
import {
  type BulkAction,
  type BulkChange,
  type BulkPreview,
  type BulkTarget,
  bulkActions,
  previewTarget,
  validateChange,
} from "../bulk/plan.ts";
import type { CommandContext, Flags } from "./commands.ts";
import { UsageError } from "./commands.ts";
import { table } from "./format.ts";

export const bulkUsage =
  "usage: users bulk <roles|disable|enable|export> (--subs a,b | --filter [filters]) [--add r] [--remove r] [--reason why] [--dry-run] [--yes] [--token t] [--format csv|jsonl] [--out file] [--json]";

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** `--subs` or `--filter` (with the usual filter flags; none means every user), exactly one. */
function targetOf({ flags, filter }: Pick<CommandContext, "flags" | "filter">): BulkTarget {
  if ((flags.subs === undefined) === (flags.filter !== true)) {
    throw new UsageError("users bulk needs --subs a,b (a selection) or --filter with filter flags, not both");
  }
  if (flags.subs !== undefined) {
    const subs = list(flags.subs);
    if (subs.length === 0) throw new UsageError("--subs needs at least one sub");
    return { subs };
  }
  return { filter };
}

/** Checked before anything is contacted: the action word and its flags. */
export function checkBulkFlags(flags: Flags, action: string): void {
  const actions: readonly string[] = [...bulkActions, "export"];
  if (!actions.includes(action)) throw new UsageError(bulkUsage);
  if (action === "export" && flags.format && !(exportFormats as readonly string[]).includes(flags.format)) {
    throw new UsageError(`--format must be one of ${exportFormats.join(", ")}`);
  }
  if (action !== "export" && flags.yes && !flags["dry-run"] && !flags.reason?.trim()) {
    throw new UsageError("users bulk needs --reason: it is kept in every user's audit trail");
  }
}

const previewText = (verb: string, preview: Omit<BulkPreview, "token">) =>
  `${verb} ${preview.count} users${preview.missing ? ` (${preview.missing} of the subs have no record)` : ""}\n${table(
    ["sub", "email", "roles", "status"],
    preview.sample.map((user) => [user.sub, user.email, user.roles.join(","), user.status]),
  )}${preview.count > preview.sample.length ? `… and ${preview.count - preview.sample.length} more\n` : ""}`;

const runText = ({ job, complete }: BulkRun) =>
  `Job ${job.id} ${complete ? "finished" : `stopped at ${job.next} of ${job.total}`}: ${job.counts.changed} changed, ${job.counts.unchanged} already so, ${job.counts.skipped} skipped, ${job.counts.failed} failed\n${
    job.failures.length > 0
      ? table(
          ["sub", "email", "outcome", "reason"],
          job.failures.map((row) => [row.sub, row.email, row.outcome, row.reason]),
        )
      : ""
  }`;

async function bulkExport(context: CommandContext, target: BulkTarget): Promise<void> {
  const { flags, runtime, actor, cwd, stdout, stderr, print } = context;
  const format = (flags.format ?? "csv") as ExportFormat;
  const preview = await previewTarget(runtime, target);
  if (flags["dry-run"])
    return print({ dryRun: true, ...preview }, () => previewText("Would export", preview));
  await auditExport(runtime, {
    id: `blk_${crypto.randomUUID()}`,
    actor,
    target,
    format,
    users: preview.count,
  });
  const out = flags.out ? createWriteStream(resolve(cwd, flags.out), { mode: 0o600 }) : undefined;
  const tally = { count: 0 };
  for await (const chunk of exportChunks(runtime, target, format, tally)) {
    if (out) out.write(chunk);
    else stdout(chunk);
  }
  if (!out) return;
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
  stderr(`Exported ${tally.count} users to ${flags.out}\n`);
}

/**
 * `users bulk <action>`: always a dry run first (count and sample); with --yes the run follows
 * with the dry run's token (or --token from an earlier dry run, refused if the count changed).
 */
export async function runBulk(context: CommandContext): Promise<void> {
  const { flags, target: action, runtime, service, actor, print, progress } = context;
  const target = targetOf(context);
  if (action === "export") return bulkExport(context, target);
  const change: BulkChange = {
    action: action as BulkAction,
    target,
    ...(flags.add !== undefined ? { add: list(flags.add) } : {}),
    ...(flags.remove !== undefined ? { remove: list(flags.remove) } : {}),
  };
  validateChange(runtime.config, change);
  const bulk = new BulkActions(runtime, service);
  const preview = await bulk.dryRun(change);
  if (flags["dry-run"] || !flags.yes) {
    const hint = flags["dry-run"] ? "" : "Nothing changed: add --yes (and --reason) to run it.\n";
    return print(
      { dryRun: true, ...preview },
      () => `${previewText(`Would ${action}`, preview)}Token: ${preview.token}\n${hint}`,
    );
  }
  const run = await bulk.start(
    actor,
    { ...change, reason: flags.reason ?? "" },
    flags.token ?? preview.token,
    {
      onProgress: (job) => progress.update(`${job.next} of ${job.total} users…`),
    },
  );
  progress.done();
  print(run, () => runText(run));
}
