import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fromSources } from "./installed.ts";

/**
 * `cognito-lifecycle <command>` from an app's directory: the developer loop (init, dev,
 * preview) here, every other command is the admin CLI's (@cognito-lifecycle/admin/cli).
 */

export interface AppCliIo {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const usage = `Usage: cognito-lifecycle <command> [options]

App commands (run them in your app's directory)
  init [--config <file>]              write a starter lifecycle.config.ts (never overwrites)
  dev [--config <file>] [local stack options]
                                      the offline stack (DynamoDB Local, cognito-local, SES
                                      inbox, triggers, admin API and console) with your config
  preview emails [--config <file>] [--out <dir>] [--no-screenshots]
                                      every email kind x locale as HTML (and PNG)
  preview token <sub|email>           the claims a user would get (admin CLI)

Every other command is the admin CLI's: cognito-lifecycle users list, roles set, ...
(cognito-lifecycle admin --help lists them).

Options
  --config <file>   your lifecycle config module (default ./lifecycle.config.ts)
  -h, --help`;

/** What `init` writes: the smallest config that deploys, each section pointing at the docs. */
export const starterConfig = `import { defineConfig } from "@cognito-lifecycle/core";

/**
 * cognito-lifecycle's config for this app. Every key is optional; see the README's
 * configuration reference. An invalid value fails at load with its path.
 */
export default defineConfig({
  roles: {
    admin: { description: "Manages users", permissions: ["users:read", "users:write", "audit:read"] },
    member: { description: "A signed-up user", permissions: ["profile:read", "profile:write"] },
  },
  defaultRoles: ["member"],
  groups: {
    admins: { description: "Administrators", precedence: 0, roles: ["admin"] },
  },
  branding: {
    productName: "My app",
    appUrl: "http://localhost:5173",
    sender: { name: "My app", address: "no-reply@example.com" },
    supportEmail: "support@example.com",
  },
});
`;

const defaultConfig = "lifecycle.config.ts";

type Command = (args: string[], io: AppCliIo) => Promise<number>;

/** Splits off `--config <file>` (or `--config=<file>`), leaving the other arguments as they were. */
function takeConfig(args: string[], io: AppCliIo): { config: string; rest: string[] } {
  const rest: string[] = [];
  let config = defaultConfig;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--config") {
      const value = args[index + 1];
      if (!value || value.startsWith("-")) throw new UsageError("--config needs a file");
      config = value;
      index++;
    } else if (arg.startsWith("--config=")) config = arg.slice("--config=".length);
    else rest.push(arg);
  }
  return { config: resolve(io.cwd, config), rest };
}

class UsageError extends Error {}

const init: Command = async (args, io) => {
  const { config, rest } = takeConfig(args, io);
  if (rest.length > 0) throw new UsageError(`init takes only --config, got ${rest.join(" ")}`);
  if (existsSync(config)) {
    io.err(`${relative(io.cwd, config) || config} already exists; init never overwrites it.\n`);
    return 1;
  }
  writeFileSync(config, starterConfig, { flag: "wx" });
  io.out(
    `Wrote ${relative(io.cwd, config)}. Next: cognito-lifecycle dev (the offline stack with this config).\n`,
  );
  return 0;
};

/**
 * Points the lifecycle code's config import at the app's config module: the repository's
 * `lifecycle.config.ts` (sources) and `@cognito-lifecycle/app-config` (the built packages) both
 * resolve to `config`. A resolve hook, registered before any of that code loads.
 */
export function bindAppConfig(config: string): void {
  if (!existsSync(config)) {
    throw new UsageError(`${config} does not exist: run cognito-lifecycle init, or pass --config <file>`);
  }
  const repoConfig = new URL("../../../lifecycle.config.ts", import.meta.url).href;
  const hook = `
const target = ${JSON.stringify(pathToFileURL(config).href)};
const bound = new Set(["@cognito-lifecycle/app-config", ${JSON.stringify(repoConfig)}]);
export async function resolve(specifier, context, next) {
  if (bound.has(specifier)) return { url: target, shortCircuit: true };
  const resolved = await next(specifier, context);
  return bound.has(resolved.url) ? { ...resolved, url: target } : resolved;
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/**
 * The app's config as plain Node loads it: from the installed package there is no tsx, so the
 * module (TypeScript, with whatever it imports locally) is bundled by esbuild into the app's
 * `node_modules/.cache/`, where its package imports (`@cognito-lifecycle/core`) still resolve
 * to the app's installed packages. From sources tsx loads it as it is.
 */
async function loadableConfig(config: string, cwd: string): Promise<string> {
  return fromSources || !existsSync(config) ? config : compileConfig(config, cwd);
}

/** Bundles the config module for plain Node; returns the compiled file. */
export async function compileConfig(config: string, cwd: string): Promise<string> {
  const { build } = await import("esbuild");
  const outfile = join(cwd, "node_modules", ".cache", "cognito-lifecycle", "lifecycle.config.mjs");
  await build({
    entryPoints: [config],
    outfile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
  return outfile;
}

/** Runs a module of this package with the given argv, after binding the app's config. */
async function runWithConfig(entry: string, args: string[], io: AppCliIo): Promise<number> {
  const { config, rest } = takeConfig(args, io);
  bindAppConfig(await loadableConfig(config, io.cwd));
  process.argv = [process.argv[0] as string, fileURLToPath(entry), ...rest];
  await import(entry);
  return 0;
}

const dev: Command = (args, io) =>
  runWithConfig(new URL(fromSources ? "./cli.ts" : "./cli.js", import.meta.url).href, args, io);

const preview: Command = async (args, io) => {
  const [what, ...rest] = args;
  if (what === "emails") {
    if (!fromSources)
      throw new UsageError("preview emails runs from the repository only (npm run preview:emails)");
    return runWithConfig(new URL("../../emails/scripts/preview.ts", import.meta.url).href, rest, io);
  }
  if (what === "token") return adminCli(["preview", "token", ...rest], io);
  throw new UsageError(`preview takes emails or token, got ${what ?? "nothing"}`);
};

async function adminCli(args: string[], io: AppCliIo): Promise<number> {
  const { main: adminMain } = await import("@cognito-lifecycle/admin/cli");
  return adminMain(args, {
    stdout: io.out,
    stderr: io.err,
    interactive: process.stderr.isTTY === true,
    env: process.env,
    cwd: io.cwd,
  });
}

const commands: Record<string, Command> = { init, dev, preview };

export async function main(argv: string[], io: AppCliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      io.out(`${usage}\n`);
      return command === undefined ? 1 : 0;
    }
    if (command === "admin") return adminCli(args.length > 0 ? args : ["--help"], io);
    const run = commands[command];
    if (!run) {
      if (command.startsWith("-")) throw new UsageError(`unknown option ${command}`);
      return adminCli(argv, io);
    }
    if (args.includes("-h") || args.includes("--help")) {
      io.out(`${usage}\n`);
      return 0;
    }
    return await run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`cognito-lifecycle: ${error.message}\n\n${usage}\n`);
    return 2;
  }
}

// npm links the bin (node_modules/.bin/cognito-lifecycle -> dist/app-cli.js): compare real paths.
if (process.argv[1] && realpathSync(resolve(process.argv[1])) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
