import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { UserFilter } from "@cognito-lifecycle/aws";
import {
  ConfigError,
  defineConfig,
  describeError,
  type LifecycleConfig,
  maxSearchLength,
  parseUserSearch,
  type UserSortOrder,
  userSortOrders,
  userSources,
  userStatuses,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { commandFor, UsageError } from "./cli/commands.ts";
import { type AdminRuntime, createAdminRuntime } from "./runtime.ts";
import { AdminService } from "./service.ts";
import {
  type AdminSettings,
  defaultStackFile,
  readStackFile,
  settingsFromEnv,
  settingsFromStack,
} from "./settings.ts";

export { table } from "./cli/format.ts";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const usage = `Usage: cognito-lifecycle <command> [options]

Users
  users list [filters] [--search q] [--sort newest|oldest|email] [--limit n] [--cursor c] [--all]
                                        --search: a name or part of an email, @domain, a whole email or a sub
  users backfill-search                 search text on records written before search existed (once)
  users show <sub|email> [--audit-limit n]
  users set-roles <sub|email> (--add a,b | --remove c | --roles a,b) --reason "why" [--expected-version n]
  users disable <sub|email> [--reason "why"] [--expected-version n]
  users enable <sub|email> [--reason "why"] [--expected-version n]
  users delete <sub|email> --yes --reason "why" [--expected-version n]
  users resync <sub|email>
  users export <sub|email> [--out file]   everything the table holds about the user, as JSON
  users erase <sub|email> --yes --reason "why"   Cognito user and personal data, for good
  users sign-out <sub|email> [--reason "why"]        revokes every session, stays enabled
  users reset-password <sub|email> [--reason "why"]  Cognito sends a reset code
  users verify-email <sub|email> [--reason "why"]
  users edit <sub|email> [--name "Full Name"] [--locale de] [--attr custom:department=Sales]...
             [--clear name,locale,custom:department]
             [--reason "why"] [--expected-version n]   in Cognito and the record
  users mfa <sub|email>                              the MFA factors turned on
  users reset-mfa <sub|email> [--reason "why"]       turns them off (a lost authenticator)
  users invite <email> [--roles a,b] [--name "Full Name"] [--reason "why"]
  users resend-invite <sub|email> [--reason "why"]
  users bulk <roles|disable|enable|export> (--subs a,b | --filter [filters])
         [--add r] [--remove r] [--reason "why"] [--dry-run] [--yes] [--token t]
         [--format csv|jsonl] [--out file]
                                        a dry run (count, sample, token) unless --yes;
                                        your own account needs the API's includeSelf
  export [filters] [--out users.csv]
  preview token <sub|email>

Webhooks
  webhooks add <https url> [--events user.created,user.deleted] [--description d]
                                        prints the signing secret, once
  webhooks list
  webhooks filter <id> --events a,b     "" for every type
  webhooks disable <id> [--reason "why"] | webhooks enable <id>
  webhooks rotate <id> [--overlap-hours 24]
  webhooks test <id>
  webhooks attempts <id> [--event evt_...] [--limit n]
  webhooks replay <id> (--event evt_... | --from 2026-11-30T00:00Z --to 2026-11-30T12:00Z)

Import (users from Auth0, Firebase or a CSV/JSON file, with their password hashes)
  import <file> --format auth0|firebase|csv|json [--dry-run] [--resume]
         [--hash-config firebase-hash-config.json] [--hash-algorithm bcrypt|argon2|scrypt|pbkdf2]
         [--role-map map.json | --role-map "Admin=admin;owner=admin,member"]
         [--without-hash skip|precreate]   default skip
                                        validates every row first; progress bar on a terminal,
                                        JSON lines with --json; resumable from .local/imports/

Maintenance
  reconcile [--apply] [--cursor c]      dry run unless --apply
  audit [--user u] [--actor a] [--action x] [--from d] [--to d] [--limit n] [--cursor c]
                                        users and actors by sub or email

Filters: --email-prefix p --search q --role r --status active|disabled|deleted
         --source sign-up|admin-create|federated|reconcile|token-jit
         --created-from 2025-01-01 --created-to 2025-01-31

Options
  --json             machine-readable output on stdout
  --stack <file>     local stack description (default ${defaultStackFile}, used when present)
  --config <file>    lifecycle config module (default ./lifecycle.config.ts)
  --actor <name>     who the audit trail names (default cli:<your login>);
                     for the audit command, the actor to list
  -h, --help

Without a stack file, the CLI uses your AWS credentials and LIFECYCLE_TABLE_NAME,
LIFECYCLE_USER_POOL_ID and LIFECYCLE_USER_POOL_CLIENT_ID.`;

const options = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  stack: { type: "string" },
  config: { type: "string" },
  actor: { type: "string" },
  "email-prefix": { type: "string" },
  search: { type: "string" },
  sort: { type: "string" },
  role: { type: "string" },
  status: { type: "string" },
  source: { type: "string" },
  "created-from": { type: "string" },
  "created-to": { type: "string" },
  limit: { type: "string" },
  cursor: { type: "string" },
  all: { type: "boolean" },
  "audit-limit": { type: "string" },
  roles: { type: "string" },
  add: { type: "string" },
  remove: { type: "string" },
  name: { type: "string" },
  locale: { type: "string" },
  attr: { type: "string", multiple: true },
  clear: { type: "string" },
  reason: { type: "string" },
  "expected-version": { type: "string" },
  yes: { type: "boolean" },
  apply: { type: "boolean" },
  out: { type: "string" },
  action: { type: "string" },
  events: { type: "string" },
  description: { type: "string" },
  "overlap-hours": { type: "string" },
  event: { type: "string" },
  user: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  format: { type: "string" },
  "dry-run": { type: "boolean" },
  "hash-config": { type: "string" },
  "hash-algorithm": { type: "string" },
  "role-map": { type: "string" },
  "without-hash": { type: "string" },
  resume: { type: "boolean" },
  subs: { type: "string" },
  filter: { type: "boolean" },
  token: { type: "string" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"] & {
  [key: string]: unknown;
};

/** `--search`: something to search for (with `--email-prefix`, users matching both). */
function searchFlag(value: string): string {
  if (!parseUserSearch(value) || value.trim().length > maxSearchLength)
    throw new UsageError(`--search needs 1 to ${maxSearchLength} characters to search for`);
  return value.trim();
}

function filterFrom(values: Values): UserFilter {
  if (values.status && !(userStatuses as readonly string[]).includes(values.status)) {
    throw new UsageError(`--status must be one of ${userStatuses.join(", ")}`);
  }
  if (values.source && !(userSources as readonly string[]).includes(values.source)) {
    throw new UsageError(`--source must be one of ${userSources.join(", ")}`);
  }
  const search = values.search === undefined ? undefined : searchFlag(values.search);
  if (values.sort !== undefined && !(userSortOrders as readonly string[]).includes(values.sort)) {
    throw new UsageError(`--sort must be one of ${userSortOrders.join(", ")}`);
  }
  const date = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
  for (const flag of ["created-from", "created-to"] as const) {
    const value = values[flag];
    if (value !== undefined && !date.test(value))
      throw new UsageError(`--${flag} must be an ISO date such as 2025-01-31`);
  }
  return {
    ...(values["email-prefix"] ? { emailPrefix: values["email-prefix"] } : {}),
    ...(search ? { q: search } : {}),
    ...(values.sort ? { sort: values.sort as UserSortOrder } : {}),
    ...(values.role ? { role: values.role } : {}),
    ...(values.status ? { status: values.status as UserFilter["status"] } : {}),
    ...(values.source ? { source: values.source as UserFilter["source"] } : {}),
    ...(values["created-from"] ? { createdFrom: values["created-from"] } : {}),
    ...(values["created-to"] ? { createdTo: values["created-to"] } : {}),
  };
}

async function loadConfig(io: CliIo, path: string | undefined): Promise<LifecycleConfig> {
  const file = resolve(io.cwd, path ?? "lifecycle.config.ts");
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file ${path} does not exist`);
    return withEnvironment(defineConfig({}), io.env);
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!module.default || typeof module.default !== "object") {
    throw new ConfigError(`${file} must default-export defineConfig({...})`);
  }
  return withEnvironment(module.default as LifecycleConfig, io.env);
}

function settingsFor(io: CliIo, config: LifecycleConfig, stackPath: string | undefined): AdminSettings {
  const path = resolve(io.cwd, stackPath ?? defaultStackFile);
  const stack = readStackFile(path);
  if (stack) return settingsFromStack(config, stack);
  if (stackPath) throw new UsageError(`stack file ${stackPath} does not exist (is the local stack running?)`);
  return settingsFromEnv(config, io.env);
}

/** Draws a one-line progress indicator on an interactive stderr. */
function progressLine(io: CliIo) {
  let drawn = false;
  return {
    update(text: string) {
      if (!io.interactive) return;
      io.stderr(`\r\x1b[2K${text}`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr("\r\x1b[2K");
      drawn = false;
    },
  };
}

async function run(
  io: CliIo,
  argv: string[],
  runtimeFor: (settings: AdminSettings) => AdminRuntime,
): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const flags = values as Values;
  if (flags.help || positionals.length === 0) {
    io.stdout(`${usage}\n`);
    return;
  }
  // The whole command line is checked before anything is configured or contacted.
  const { command, target } = commandFor(positionals);
  command.checkFlags?.(flags, target);
  const filter = filterFrom(flags);

  const config = await loadConfig(io, flags.config);
  const runtime = runtimeFor(settingsFor(io, config, flags.stack));
  try {
    await command.run({
      flags,
      target,
      filter,
      runtime,
      service: new AdminService(runtime),
      actor: flags.actor ?? `cli:${io.env.USER ?? io.env.USERNAME ?? userInfo().username}`,
      cwd: io.cwd,
      stdout: (text) => io.stdout(text),
      stderr: (text) => io.stderr(text),
      print: (json, text) => io.stdout(flags.json ? `${JSON.stringify(json, null, 2)}\n` : text()),
      progress: progressLine(io),
    });
  } finally {
    runtime.close();
  }
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failed, 2 bad usage). */
export async function main(
  argv: string[],
  io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  },
  runtimeFor: (settings: AdminSettings) => AdminRuntime = (settings) => createAdminRuntime(settings),
): Promise<number> {
  try {
    await run(io, argv, runtimeFor);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`error: ${(error as Error).message}\nRun with --help for usage.\n`);
      return 2;
    }
    io.stderr(`error: ${describeError(error).detail}\n`);
    return 1;
  }
}

const entry = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : "";
if (import.meta.url === entry) {
  process.exitCode = await main(process.argv.slice(2));
}
