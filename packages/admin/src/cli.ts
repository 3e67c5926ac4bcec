import { createWriteStream, existsSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { InvalidCursorError, type UserFilter, type UserSummary } from "@cognito-lifecycle/aws";
import {
  type AuditEvent,
  ConfigError,
  defineConfig,
  type LifecycleConfig,
  LifecycleError,
  StoreUnavailableError,
  type UserRecord,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { csvHeader, csvRow } from "./csv.ts";
import { AdminError, describeFields } from "./errors.ts";
import { previewToken } from "./preview.ts";
import { InvalidReconcileCursorError, type ReconcileReport, reconcile } from "./reconcile.ts";
import { type AdminRuntime, createAdminRuntime } from "./runtime.ts";
import { AdminService } from "./service.ts";
import {
  type AdminSettings,
  defaultStackFile,
  readStackFile,
  SettingsError,
  settingsFromEnv,
  settingsFromStack,
} from "./settings.ts";

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
  users list [filters] [--limit n] [--cursor c] [--all]
  users show <sub|email> [--audit-limit n]
  users set-roles <sub|email> --roles a,b --reason "why" [--expected-version n]
  users disable <sub|email> [--reason "why"]
  users enable <sub|email> [--reason "why"]
  users delete <sub|email> --yes [--reason "why"]
  users resync <sub|email>
  export [filters] [--out users.csv]
  preview token <sub|email>

Maintenance
  reconcile [--apply] [--cursor c]      dry run unless --apply
  audit [--actor a] [--action x] [--limit n] [--cursor c]

Filters: --email-prefix p --role r --status active|disabled|deleted
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
  reason: { type: "string" },
  "expected-version": { type: "string" },
  yes: { type: "boolean" },
  apply: { type: "boolean" },
  out: { type: "string" },
  action: { type: "string" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"] & {
  [key: string]: unknown;
};

/** A mistake in how the CLI was called (exit code 2). */
class UsageError extends Error {
  override readonly name = "UsageError";
}

function integer(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
  }
  return parsed;
}

function filterFrom(values: Values): UserFilter {
  const statuses = ["active", "disabled", "deleted"];
  const sources = ["sign-up", "admin-create", "federated", "reconcile", "token-jit"];
  if (values.status && !statuses.includes(values.status)) {
    throw new UsageError(`--status must be one of ${statuses.join(", ")}`);
  }
  if (values.source && !sources.includes(values.source)) {
    throw new UsageError(`--source must be one of ${sources.join(", ")}`);
  }
  const date = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
  for (const flag of ["created-from", "created-to"] as const) {
    const value = values[flag];
    if (value !== undefined && !date.test(value))
      throw new UsageError(`--${flag} must be an ISO date such as 2025-01-31`);
  }
  return {
    ...(values["email-prefix"] ? { emailPrefix: values["email-prefix"] } : {}),
    ...(values.role ? { role: values.role } : {}),
    ...(values.status ? { status: values.status as UserFilter["status"] } : {}),
    ...(values.source ? { source: values.source as UserFilter["source"] } : {}),
    ...(values["created-from"] ? { createdFrom: values["created-from"] } : {}),
    ...(values["created-to"] ? { createdTo: values["created-to"] } : {}),
  };
}

/** A plain-text table: columns padded to their widest cell (capped), no colours. */
export function table(headers: string[], rows: (string | undefined)[][]): string {
  const cap = 40;
  const cells = rows.map((row) =>
    row.map((cell) => {
      const text = cell ?? "";
      return text.length > cap ? `${text.slice(0, cap - 1)}…` : text;
    }),
  );
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((row) => (row[index] ?? "").length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(headers), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n")}\n`;
}

const day = (iso: string | undefined) => (iso ? iso.replace("T", " ").slice(0, 16) : "");

function userRows(users: UserSummary[]): string {
  return table(
    ["sub", "email", "name", "roles", "status", "source", "created", "last sign-in"],
    users.map((user) => [
      user.sub,
      user.email,
      user.name,
      user.roles.join(","),
      user.status,
      user.source,
      day(user.createdAt),
      day(user.lastSignInAt),
    ]),
  );
}

function auditRows(events: AuditEvent[]): string {
  return table(
    ["at", "actor", "action", "sub", "reason"],
    events.map((event) => [day(event.at), event.actor, event.action, event.sub, event.reason]),
  );
}

function recordText(user: UserRecord): string {
  const fields: [string, string | undefined][] = [
    ["sub", user.sub],
    ["username", user.username],
    [
      "email",
      user.email ? `${user.email}${user.emailVerified ? " (verified)" : " (not verified)"}` : undefined,
    ],
    ["name", user.name],
    ["locale", user.locale],
    ["status", user.status],
    ["roles", user.roles.join(", ") || "(none)"],
    ["groups", user.groups.join(", ") || "(none)"],
    ["source", user.source],
    ["identities", user.identities.map((identity) => identity.providerName).join(", ") || undefined],
    ["created", user.createdAt],
    ["confirmed", user.confirmedAt],
    ["last sign-in", user.lastSignInAt],
    ["password changed", user.passwordChangedAt],
    [
      "welcome email",
      user.welcomeEmail
        ? `${user.welcomeEmail.status} (${user.welcomeEmail.attempts} attempts, ${user.welcomeEmail.at})`
        : undefined,
    ],
    ["version", String(user.version)],
    ["updated", user.updatedAt],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  return `${fields
    .filter(([, value]) => value !== undefined)
    .map(([label, value]) => `${label.padEnd(width)}  ${value}`)
    .join("\n")}\n`;
}

function reconcileText(report: ReconcileReport): string {
  const { counts } = report;
  const lines = [
    `Reconcile (${report.apply ? "applied" : "dry run"}): ${counts.cognitoUsers} Cognito users, ${counts.recordsChecked} records checked${report.complete ? "" : " (stopped early)"}`,
    `  created          ${counts.created}`,
    `  marked deleted   ${counts.markedDeleted}`,
    `  updated          ${counts.updated}`,
    `  welcome retried  ${counts.welcomeRetried}`,
    `  welcome unknown  ${counts.welcomeUnknown} (may have been sent; never resent automatically)`,
    `  unchanged        ${counts.unchanged}`,
    `  unconfirmed      ${counts.skippedUnconfirmed} (no record until they confirm)`,
    `  errors           ${counts.errors}`,
  ];
  let text = `${lines.join("\n")}\n`;
  if (report.changes.length > 0) {
    text += `\n${table(
      ["change", "sub", "email", "details"],
      report.changes.map((change) => [change.kind, change.sub, change.email, change.changes.join(", ")]),
    )}`;
  }
  if (report.errors.length > 0) {
    text += `\n${table(
      ["sub", "error"],
      report.errors.map((error) => [error.sub, error.error]),
    )}`;
  }
  if (!report.complete && report.cursor)
    text += `\nContinue with: reconcile${report.apply ? " --apply" : ""} --cursor ${report.cursor}\n`;
  else if (!report.apply && report.changes.length > 0)
    text += "\nNothing was changed. Run again with --apply to make these changes.\n";
  return text;
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
  const [command, sub, target] = positionals;
  if (flags.help || !command) {
    io.stdout(`${usage}\n`);
    return;
  }
  const known = ["users", "reconcile", "audit", "export", "preview"];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);
  // The whole command line is checked before anything is configured or contacted.
  const needsTarget = ["show", "set-roles", "disable", "enable", "delete", "resync"];
  if (command === "users") {
    if (sub !== "list" && !needsTarget.includes(sub ?? "")) {
      throw new UsageError(`unknown users command "${sub ?? ""}" (list, ${needsTarget.join(", ")})`);
    }
    if (sub !== "list" && !target) throw new UsageError(`users ${sub} needs a user: a sub or an email`);
  }
  if (command === "preview" && (sub !== "token" || !target))
    throw new UsageError("usage: preview token <sub|email>");
  const filter = filterFrom(flags);

  const config = await loadConfig(io, flags.config);
  const runtime = runtimeFor(settingsFor(io, config, flags.stack));
  const service = new AdminService(runtime);
  const actor = flags.actor ?? `cli:${io.env.USER ?? io.env.USERNAME ?? userInfo().username}`;
  const print = (json: unknown, text: () => string) =>
    io.stdout(flags.json ? `${JSON.stringify(json, null, 2)}\n` : text());
  const progress = progressLine(io);

  try {
    if (command === "users") {
      if (sub === "list") {
        const limit = integer(flags.limit, "limit", 1, 100) ?? 25;
        if (flags.all) {
          const items: UserSummary[] = [];
          for await (const page of runtime.directory.eachUserPage(filter)) {
            items.push(...page);
            progress.update(`${items.length} users…`);
          }
          progress.done();
          print({ items }, () => `${userRows(items)}${items.length} users\n`);
          return;
        }
        const page = await runtime.directory.listUsers(filter, {
          limit,
          ...(flags.cursor ? { cursor: flags.cursor } : {}),
        });
        print(
          page,
          () =>
            `${userRows(page.items)}${page.items.length} users${page.cursor ? `\nNext page: --cursor ${page.cursor}` : ""}\n`,
        );
        return;
      }
      const record = await service.resolve(target as string);
      switch (sub) {
        case "show": {
          const detail = await service.show(record.sub, {
            limit: integer(flags["audit-limit"], "audit-limit", 1, 100) ?? 10,
          });
          print(
            detail,
            () => `${recordText(detail.user)}\nAudit (newest first)\n${auditRows(detail.audit.items)}`,
          );
          return;
        }
        case "set-roles": {
          if (flags.roles === undefined)
            throw new UsageError('users set-roles needs --roles (comma separated; "" for none)');
          if (!flags.reason) throw new UsageError("users set-roles needs --reason");
          const roles = flags.roles
            .split(",")
            .map((role) => role.trim())
            .filter(Boolean);
          const expected =
            integer(flags["expected-version"], "expected-version", 1, Number.MAX_SAFE_INTEGER) ??
            record.version;
          const change = await service.setRoles(actor, record.sub, roles, expected, flags.reason);
          const { user } = change;
          print(
            change,
            () =>
              `Roles of ${user.email ?? user.sub} are now: ${user.roles.join(", ") || "(none)"} (version ${user.version})\n${change.signOut ? `Privileged role removed (${change.removedPrivileged?.join(", ")}): global sign-out ${change.signOut}\n` : ""}`,
          );
          return;
        }
        case "disable":
        case "enable": {
          const user = await service[sub](actor, record.sub, flags.reason);
          print({ user }, () => `${user.email ?? user.sub} is ${user.status}\n`);
          return;
        }
        case "delete": {
          if (!flags.yes)
            throw new UsageError(
              `users delete removes ${record.email ?? record.sub} from Cognito; add --yes to confirm`,
            );
          const user = await service.delete(actor, record.sub, flags.reason);
          print(
            { user },
            () => `${user.email ?? user.sub} is deleted (Cognito user removed, record kept as deleted)\n`,
          );
          return;
        }
        case "resync": {
          const result = await service.resync(actor, record.sub, flags.reason);
          print(result, () =>
            result.changes.length > 0
              ? `${result.user.email ?? result.user.sub}: updated ${result.changes.join(", ")} from Cognito\n`
              : `${result.user.email ?? result.user.sub}: already in sync with Cognito\n`,
          );
          return;
        }
      }
    }

    if (command === "reconcile") {
      const report = await reconcile(runtime, {
        apply: flags.apply ?? false,
        actor,
        ...(flags.cursor ? { cursor: flags.cursor } : {}),
        onProgress: (step) =>
          progress.update(
            step.phase === "cognito"
              ? `Comparing Cognito users with the table: ${step.cognitoUsers}…`
              : `Checking records against Cognito: ${step.recordsChecked}…`,
          ),
      });
      progress.done();
      print(report, () => reconcileText(report));
      return;
    }

    if (command === "audit") {
      const page = await runtime.directory.listAudit(auditFilter(flags), {
        limit: integer(flags.limit, "limit", 1, 100) ?? 25,
        ...(flags.cursor ? { cursor: flags.cursor } : {}),
      });
      print(
        page,
        () => `${auditRows(page.items)}${page.cursor ? `Next page: --cursor ${page.cursor}\n` : ""}`,
      );
      return;
    }

    if (command === "export") {
      const out = flags.out ? createWriteStream(resolve(io.cwd, flags.out)) : undefined;
      const write = (text: string) => (out ? out.write(text) : io.stdout(text));
      write(csvHeader());
      let count = 0;
      for await (const page of runtime.directory.eachUserPage(filter)) {
        write(page.map(csvRow).join(""));
        count += page.length;
        progress.update(`Exported ${count} users…`);
      }
      progress.done();
      if (out) {
        await new Promise<void>((done, fail) =>
          out.end((error?: Error | null) => (error ? fail(error) : done())),
        );
        io.stderr(`Exported ${count} users to ${flags.out}\n`);
      }
      return;
    }

    if (command === "preview") {
      const preview = await previewToken(runtime, await service.resolve(target as string));
      print(preview, () => {
        const lines = [
          `Token claims for ${preview.email ?? preview.sub}`,
          preview.refused ? `  sign-in refused: ${preview.refused}` : undefined,
          `  groups       ${preview.groups.join(", ") || "(none)"}`,
          `  roles        ${preview.roles.join(", ") || "(none)"}`,
          `  permissions  ${preview.permissions.join(", ") || "(none)"}`,
          preview.dropped.length > 0
            ? `  left out     ${preview.dropped.join(", ")} (over claims.maxBytes)`
            : undefined,
          "",
          "V2/V3 events (ID and access token):",
          JSON.stringify(preview.claims, null, 2),
          "V1 events (ID token only):",
          JSON.stringify(preview.v1Claims, null, 2),
        ];
        return `${lines.filter((line) => line !== undefined).join("\n")}\n`;
      });
      return;
    }
  } finally {
    runtime.close();
  }
}

function auditFilter(flags: Values): { actor?: string; action?: string } {
  return {
    ...(flags.actor ? { actor: flags.actor } : {}),
    ...(flags.action ? { action: flags.action } : {}),
  };
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
    io.stderr(`error: ${messageOf(error)}\n`);
    return 1;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AdminError) {
    const fields = "fields" in error ? describeFields(error.fields as Record<string, string>) : "";
    return fields ? `${error.message} (${fields})` : error.message;
  }
  if (error instanceof InvalidCursorError || error instanceof InvalidReconcileCursorError)
    return error.message;
  // The table module wraps SDK failures in StoreUnavailableError; what failed is its cause.
  if (error instanceof StoreUnavailableError && error.cause) return messageOf(error.cause);
  if (error instanceof SettingsError || error instanceof LifecycleError) return error.message;
  const name = (error as Error)?.name ?? "Error";
  if (name === "ResourceNotFoundException")
    return `the user table does not exist (${(error as Error).message})`;
  if (
    ["ECONNREFUSED", "TimeoutError"].includes(name) ||
    (error as { code?: string })?.code === "ECONNREFUSED"
  ) {
    return `could not reach AWS or the local stack (${(error as Error).message}); is it running?`;
  }
  return `${name}: ${(error as Error)?.message ?? String(error)}`;
}

const entry = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : "";
if (import.meta.url === entry) {
  process.exitCode = await main(process.argv.slice(2));
}
