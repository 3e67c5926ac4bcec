import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type BuildRequest, CliServer } from "./cli-server.ts";
import { platformDir, platformEsbuild, repoRoot } from "./platform.ts";

/** One resource as Pulumi was asked to register it. */
export interface RecordedResource {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs: Record<string, unknown>;
  retainOnDelete: boolean;
  protect: boolean;
  /** Previous identities the resource adopts (`noParent`: it used to sit at the stack root). */
  aliases: { noParent?: boolean; parentUrn?: string; urn?: string }[];
}

export interface StackRecord {
  app: { name: string; stage: string; removal: string; protect: boolean; home: string };
  resources: RecordedResource[];
  calls: string[];
  outputs: Record<string, unknown> | undefined;
  errors: string[];
  /** The project root the program ran in (a scratch root, see scratchRoot). */
  root: string;
  /** Files the program wrote into the project root, relative to it. */
  written: string[];
  builds: BuildRequest[];
  unknownMethods: string[];
  stderr: string;
}

export interface StackRun {
  stage: string;
  /** Environment of `sst deploy` (LIFECYCLE_* settings, SST_SECRET_* values). */
  env?: Record<string, string>;
  /** Use this file instead of lifecycle.config.ts. */
  configFile?: string;
  /** Run this SST config instead of the repository's sst.config.ts (an app using the component). */
  sstConfig?: string;
  /**
   * The app's directory, for an app outside the repository (examples/sst-app with the packages
   * installed): the program runs there and handlers are bundled from there. Default: the
   * repository, with a scratch project root for what SST writes.
   */
  appRoot?: string;
}

/**
 * Runs sst.config.ts's run() with the real SST components under Pulumi mocks, once per given
 * run (in parallel, sharing one stand-in CLI server and its bundles), and returns everything
 * each registered. The program is bundled the way the SST CLI bundles it (the platform's shim
 * injected, packages bundled, @pulumi/* left to the platform's node_modules) and runs in a
 * child process.
 */
export async function runStacks(runs: StackRun[]): Promise<StackRecord[]> {
  const server = new CliServer();
  try {
    const base = await server.start();
    return await Promise.all(
      runs.map(async (run, index) => {
        const caller = `run${index}`;
        const record = await runOne(run, server.urlFor(base, caller, run.appRoot ?? repoRoot));
        return {
          ...record,
          builds: server.buildsOf(caller),
          unknownMethods: server.unknownMethodsOf(caller),
        };
      }),
    );
  } finally {
    await server.stop();
  }
}

/**
 * The program runs in a scratch project root: the console's build command is mocked, so the
 * StaticSite's check for its output finds a placeholder there, and the files SST generates
 * (a vite env typing, zipped bundles) land there instead of in the repository. Handlers are
 * bundled from the real repository by the stand-in CLI server.
 */
function scratchRoot(work: string): string {
  const root = join(work, "root");
  const dist = join(root, "packages", "console", "dist");
  mkdirSync(dist, { recursive: true });
  writeFileSync(
    join(dist, "index.html"),
    "<!doctype html><title>placeholder for the mocked console build</title>\n",
  );
  return root;
}

async function runOne(run: StackRun, url: string): Promise<Omit<StackRecord, "builds" | "unknownMethods">> {
  const work = mkdtempSync(join(tmpdir(), "infra-run-"));
  const root = run.appRoot ?? scratchRoot(work);
  const stamp = `${process.pid}-${run.stage}-${Date.now()}`;
  const appBundle = join(platformDir, `infra-app-${stamp}.mjs`);
  const programBundle = join(platformDir, `infra-test-${stamp}.mjs`);
  try {
    // Like the CLI: evaluate app() first; its result is a compile-time constant of the program.
    await bundle(appBundle, appEntry(run.stage, run.sstConfig), {}, configSubstitution(run.configFile));
    const app = JSON.parse(await runChild(appBundle, {}, "stdout", run.appRoot)) as Record<string, unknown>;
    const $app = {
      name: app.name,
      stage: run.stage,
      removal: app.removal ?? "retain",
      protect: app.protect === true,
      providers: {},
    };
    const $cli = {
      command: "deploy",
      rpc: url,
      paths: { root, work, platform: platformDir, home: work },
      state: { version: {} },
    };
    await bundle(
      programBundle,
      programEntry({ ...$app, home: app.home }, run.sstConfig),
      { $app: JSON.stringify($app), $cli: JSON.stringify($cli), $dev: "false" },
      configSubstitution(run.configFile),
    );
    const recordFile = join(work, "record.json");
    const stderr = await runChild(
      programBundle,
      { ...run.env, SST_SERVER: url, INFRA_RECORD: recordFile },
      "stderr",
      run.appRoot,
    );
    if (!existsSync(recordFile)) throw new Error(`The stack program wrote no record. Its stderr:\n${stderr}`);
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as Omit<
      StackRecord,
      "builds" | "unknownMethods" | "stderr" | "root" | "written"
    >;
    // What SST wrote into the scratch root (an app's own root is not scratch: not listed).
    const written = (run.appRoot ? [] : readdirSync(root, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .filter((path) => path !== join("packages", "console", "dist", "index.html"));
    return { ...record, root, written, stderr };
  } finally {
    for (const file of [appBundle, programBundle]) rmSync(file, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

function appEntry(stage: string, sstConfig = join(repoRoot, "sst.config.ts")): string {
  return [
    `import config from ${JSON.stringify(sstConfig)};`,
    `const app = await config.app({ stage: ${JSON.stringify(stage)} });`,
    "process.stdout.write(JSON.stringify(app));",
  ].join("\n");
}

function programEntry(app: Record<string, unknown>, sstConfig = join(repoRoot, "sst.config.ts")): string {
  const program = join(repoRoot, "tests", "infra", "support", "stack-program.mjs");
  return [
    `import * as pulumiSdk from "@pulumi/pulumi";`,
    `import * as pulumiAws from "@pulumi/aws";`,
    `import * as sstComponents from ${JSON.stringify(join(platformDir, "src/components/index.ts"))};`,
    `import { run } from ${JSON.stringify(join(platformDir, "src/auto/run.ts"))};`,
    `import { recordStack } from ${JSON.stringify(program)};`,
    `import config from ${JSON.stringify(sstConfig)};`,
    "await recordStack({",
    "  pulumi: pulumiSdk, aws: pulumiAws, sst: sstComponents, run, config,",
    `  app: ${JSON.stringify(app)},`,
    "});",
  ].join("\n");
}

type Plugin = import("esbuild").Plugin;

/** Points the SST config's import of lifecycle.config.ts at another config file. */
function configSubstitution(configFile: string | undefined): Plugin[] {
  if (!configFile) return [];
  return [
    {
      name: "substitute-lifecycle-config",
      setup(build) {
        build.onResolve({ filter: /lifecycle\.config\.ts$/ }, (args) =>
          args.importer.endsWith("sst.config.ts") ? { path: configFile } : undefined,
        );
      },
    },
  ];
}

/** Bundles like the SST CLI: platform shim injected, packages bundled, the platform's own left out. */
async function bundle(
  outfile: string,
  contents: string,
  define: Record<string, string>,
  plugins: Plugin[],
): Promise<void> {
  await platformEsbuild().build({
    stdin: { contents, resolveDir: platformDir, sourcefile: "eval.ts", loader: "ts" },
    outfile,
    bundle: true,
    write: true,
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    nodePaths: [join(platformDir, "node_modules")],
    inject: [join(platformDir, "src/shim/run.js")],
    define,
    external: ["@pulumi/*", "@pulumiverse/*", "@aws-sdk/*", "undici", "esbuild", "archiver", "glob", "vite"],
    banner: {
      js: [
        "import { createRequire as topLevelCreateRequire } from 'module';",
        "const require = topLevelCreateRequire(import.meta.url);",
        'import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";',
        "const __filename = topLevelFileUrlToPath(import.meta.url);",
        'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));',
      ].join("\n"),
    },
    logLevel: "silent",
    plugins,
  });
}

/** Runs a bundle with only the given environment; resolves with the chosen stream's output. */
function runChild(
  file: string,
  env: Record<string, string>,
  keep: "stdout" | "stderr",
  cwd = repoRoot,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`${file} was killed (${signal}). Its stderr:\n${stderr}`));
      else if (keep === "stdout" && code !== 0)
        reject(new Error(`${file} failed (exit ${code}):\n${stderr}`));
      else resolve(keep === "stdout" ? stdout : code === 0 ? stderr : `exit code ${code}\n${stderr}`);
    });
  });
}
