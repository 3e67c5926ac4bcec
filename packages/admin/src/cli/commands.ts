import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { UserFilter, UserSummary } from "@cognito-lifecycle/aws";
import { type AuditAction, auditActions, LifecycleError } from "@cognito-lifecycle/core";
import type * as z from "zod/mini";
import { AccountActions } from "../account-actions.ts";
import { webhookSchemas } from "../api/schemas.ts";
import { auditLog } from "../audit-log.ts";
import { csvHeader, csvRow } from "../csv.ts";
import { fieldErrors } from "../errors.ts";
import { Invitations } from "../invitations.ts";
import { previewToken } from "../preview.ts";
import { reconcile } from "../reconcile.ts";
import type { AdminRuntime } from "../runtime.ts";
import type { AdminService, ChangeOptions, RoleEdit } from "../service.ts";
import { WebhookAdmin } from "../webhooks.ts";
import { bulkUsage, checkBulkFlags, runBulk } from "./bulk.ts";
import {
  attemptRows,
  auditRows,
  previewText,
  reconcileText,
  recordText,
  stepsText,
  userRows,
  webhookRows,
} from "./format.ts";
import { checkImportFlags, importUsers } from "./import.ts";
import { profileCommands } from "./profile.ts";

/** A mistake in how the CLI was called (exit code 2). */
export class UsageError extends LifecycleError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message, { code: "usage", status: 400 });
  }
}

/** The parsed flags (see `options` in cli.ts). */
export interface Flags {
  json?: boolean;
  limit?: string;
  cursor?: string;
  all?: boolean;
  "audit-limit"?: string;
  roles?: string;
  add?: string;
  remove?: string;
  name?: string;
  locale?: string;
  attr?: string[];
  clear?: string;
  reason?: string;
  "expected-version"?: string;
  yes?: boolean;
  apply?: boolean;
  out?: string;
  actor?: string;
  action?: string;
  events?: string;
  description?: string;
  "overlap-hours"?: string;
  event?: string;
  user?: string;
  from?: string;
  to?: string;
  format?: string;
  "dry-run"?: boolean;
  "hash-config"?: string;
  "hash-algorithm"?: string;
  "role-map"?: string;
  "without-hash"?: string;
  resume?: boolean;
  subs?: string;
  filter?: boolean;
  token?: string;
}

/** What a command runs with: everything configured, the command line checked. */
export interface CommandContext {
  flags: Flags;
  /** The user named on the command line (`users show <sub|email>`). */
  target: string;
  filter: UserFilter;
  runtime: AdminRuntime;
  service: AdminService;
  /** Who the audit trail names. */
  actor: string;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** JSON with --json, else the text. */
  print(json: unknown, text: () => string): void;
  progress: { update(text: string): void; done(): void };
}

export interface Command {
  /** Set when the command needs a user: the message when it is missing. */
  needsTarget?: string;
  /** Checks the flags (and the target) before anything is configured or contacted; throws a `UsageError`. */
  checkFlags?(flags: Flags, target: string): void;
  run(context: CommandContext): Promise<void>;
}

export function integer(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
  }
  return parsed;
}

const page = (flags: Flags) => ({
  limit: integer(flags.limit, "limit", 1, 100) ?? 25,
  ...(flags.cursor ? { cursor: flags.cursor } : {}),
});

async function listUsers({ flags, filter, runtime, print, progress }: CommandContext): Promise<void> {
  if (flags.all) {
    const items: UserSummary[] = [];
    for await (const users of runtime.directory.eachUserPage(filter)) {
      items.push(...users);
      progress.update(`${items.length} users…`);
    }
    progress.done();
    print({ items }, () => `${userRows(items)}${items.length} users\n`);
    return;
  }
  const result = await runtime.directory.listUsers(filter, page(flags));
  const next = result.cursor ? `\nNext page: --cursor ${result.cursor}` : "";
  // A search that stopped at its read budget says how far it got, so "0 users" is not mistaken for "none".
  const searched =
    result.searched !== undefined && result.cursor ? ` (searched ${result.searched} entries so far)` : "";
  print(result, () => `${userRows(result.items)}${result.items.length} users${searched}${next}\n`);
}

/** `users backfill-search`: the search text on records written before it existed (a one-off, idempotent). */
async function backfillSearch({ runtime, print, progress }: CommandContext): Promise<void> {
  let updated = 0;
  let moved = 0;
  let nextKey: Record<string, unknown> | undefined;
  do {
    const page = await runtime.directory.withoutSearchText(nextKey);
    for (const record of page.items) {
      if (await runtime.records.backfillSearch(record)) updated++;
      else moved++;
    }
    progress.update(`${updated} records updated…`);
    nextKey = page.nextKey;
  } while (nextKey);
  progress.done();
  print(
    { updated, changedMeanwhile: moved },
    () =>
      `Search text written on ${updated} records${moved ? `; ${moved} changed meanwhile and have their own` : ""}\n`,
  );
}

async function showUser({ flags, target, service, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const detail = await service.show(record.sub, {
    limit: integer(flags["audit-limit"], "audit-limit", 1, 100) ?? 10,
  });
  print(detail, () => `${recordText(detail.user)}\nAudit (newest first)\n${auditRows(detail.audit.items)}`);
}

/** `--roles a,b` as a list ("" or absent for none). */
const roleList = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);

async function inviteUser({ flags, target, runtime, service, actor, print }: CommandContext): Promise<void> {
  const user = await new Invitations(runtime, service).invite(actor, {
    email: target,
    ...(flags.roles !== undefined ? { roles: roleList(flags.roles) } : {}),
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.reason ? { reason: flags.reason } : {}),
  });
  print(
    { user },
    () =>
      `Invited ${user.email ?? target} (sub ${user.sub}) with roles ${user.roles.join(", ") || "(none)"}; the invitation email is on its way\n`,
  );
}

async function resendInvite({
  flags,
  target,
  runtime,
  service,
  actor,
  print,
}: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const user = await new Invitations(runtime, service).resend(actor, record.sub, flags.reason);
  print({ user }, () => `Invitation sent again to ${user.email ?? user.sub}\n`);
}

/** `--add`/`--remove` (a change to the current roles) or `--roles` (the whole set), not both. */
function roleEditFrom(flags: Flags): RoleEdit {
  const change = flags.add !== undefined || flags.remove !== undefined;
  if (change === (flags.roles !== undefined))
    throw new UsageError(
      'users set-roles needs --add and/or --remove (comma separated), or --roles (the whole set; "" for none), not both',
    );
  return change
    ? { add: roleList(flags.add), remove: roleList(flags.remove) }
    : { roles: roleList(flags.roles) };
}

const expectedVersionOf = (flags: Flags) =>
  integer(flags["expected-version"], "expected-version", 1, Number.MAX_SAFE_INTEGER);

async function setRoles({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const edit = roleEditFrom(flags);
  if (!flags.reason) throw new UsageError("users set-roles needs --reason");
  const expectedVersion = expectedVersionOf(flags) ?? record.version;
  const change = await service.setRoles(actor, record.sub, edit, { expectedVersion, reason: flags.reason });
  const { user } = change;
  const signOut = change.signOut
    ? `Privileged role removed (${change.removedPrivileged?.join(", ")}): global sign-out ${change.signOut}\n`
    : "";
  print(
    change,
    () =>
      `Roles of ${user.email ?? user.sub} are now: ${user.roles.join(", ") || "(none)"} (version ${user.version})\n${signOut}`,
  );
}

/** The reason and, with --expected-version, the version check of disable, enable and delete. */
function statusOptions(flags: Flags): ChangeOptions {
  const expectedVersion = expectedVersionOf(flags);
  return {
    ...(flags.reason ? { reason: flags.reason } : {}),
    ...(expectedVersion ? { expectedVersion } : {}),
  };
}

async function disableUser({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const change = await service.disable(actor, record.sub, statusOptions(flags));
  print(
    change,
    () => `${change.user.email ?? change.user.sub} is ${change.user.status}\n${stepsText(change.steps)}`,
  );
}

async function enableUser({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const user = await service.enable(actor, record.sub, statusOptions(flags));
  print({ user }, () => `${user.email ?? user.sub} is ${user.status}\n`);
}

async function deleteUser({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  if (!flags.yes)
    throw new UsageError(
      `users delete removes ${record.email ?? record.sub} from Cognito; add --yes to confirm`,
    );
  const user = await service.delete(actor, record.sub, statusOptions(flags));
  print(
    { user },
    () => `${user.email ?? user.sub} is deleted (Cognito user removed, record kept as deleted)\n`,
  );
}

/** One user's data export: to --out (file mode 0600: it is personal data) or stdout. */
async function exportUser({
  flags,
  target,
  service,
  actor,
  cwd,
  stdout,
  stderr,
}: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const exported = await service.exportUser(actor, record.sub, "cli");
  const text = `${JSON.stringify(exported, null, 2)}\n`;
  if (!flags.out) return stdout(text);
  await writeFile(resolve(cwd, flags.out), text, { mode: 0o600 });
  stderr(`Exported ${exported.items} items about ${record.sub} to ${flags.out}\n`);
}

async function eraseUser({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  if (!flags.yes)
    throw new UsageError(
      `users erase deletes ${record.email ?? record.sub} from Cognito and removes their personal data for good; add --yes to confirm`,
    );
  const result = await service.erase(actor, record.sub, flags.reason ?? "");
  print(result, () =>
    result.already
      ? `${record.sub} was already erased${result.auditEntries > 0 ? ` (${result.auditEntries} audit entries finished)` : ""}\n`
      : `${record.sub} is erased: Cognito user ${result.cognitoUser}, ${result.auditEntries} audit entries scrubbed, tombstone kept\n`,
  );
}

async function resyncUser({ flags, target, service, actor, print }: CommandContext): Promise<void> {
  const record = await service.resolve(target);
  const result = await service.resync(actor, record.sub, flags.reason);
  const who = result.user.email ?? result.user.sub;
  print(result, () =>
    result.changes.length > 0
      ? `${who}: updated ${result.changes.join(", ")} from Cognito\n`
      : `${who}: already in sync with Cognito\n`,
  );
}

async function runReconcile({ flags, runtime, actor, print, progress }: CommandContext): Promise<void> {
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
}

/** `--action` and `--from`/`--to` checked as the API checks them. */
function checkAuditFlags(flags: Flags): void {
  if (flags.action && !(auditActions as readonly string[]).includes(flags.action)) {
    throw new UsageError(`--action must be one of ${auditActions.join(", ")}`);
  }
  const date = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
  for (const flag of ["from", "to"] as const) {
    const value = flags[flag];
    if (value !== undefined && !date.test(value))
      throw new UsageError(`--${flag} must be an ISO date such as 2025-01-31`);
  }
}

async function listAudit({ flags, runtime, print }: CommandContext): Promise<void> {
  const query = {
    ...(flags.user ? { user: flags.user } : {}),
    ...(flags.actor ? { actor: flags.actor } : {}),
    ...(flags.action ? { action: flags.action as AuditAction } : {}),
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.to ? { to: flags.to } : {}),
  };
  const result = await auditLog(runtime, query, page(flags));
  print(
    result,
    () =>
      `${auditRows(result.items, result.people)}${result.cursor ? `Next page: --cursor ${result.cursor}\n` : ""}`,
  );
}

async function exportUsers({
  flags,
  filter,
  runtime,
  cwd,
  stdout,
  stderr,
  progress,
}: CommandContext): Promise<void> {
  const out = flags.out ? createWriteStream(resolve(cwd, flags.out)) : undefined;
  const write = (text: string) => (out ? out.write(text) : stdout(text));
  write(csvHeader());
  let count = 0;
  for await (const users of runtime.directory.eachUserPage(filter)) {
    write(users.map(csvRow).join(""));
    count += users.length;
    progress.update(`Exported ${count} users…`);
  }
  progress.done();
  if (out) {
    await new Promise<void>((done, fail) =>
      out.end((error?: Error | null) => (error ? fail(error) : done())),
    );
    stderr(`Exported ${count} users to ${flags.out}\n`);
  }
}

async function previewClaims({ target, runtime, service, print }: CommandContext): Promise<void> {
  const preview = await previewToken(runtime, await service.resolve(target));
  print(preview, () => previewText(preview));
}

/** Checks CLI input with the API's own schema, so both refuse the same things in the same words. */
function checked<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  throw new UsageError(
    Object.entries(fields)
      .map(([field, message]) => `${field}: ${message}`)
      .join("; "),
  );
}

const eventList = (events: string | undefined) =>
  events === undefined
    ? {}
    : {
        eventTypes: events
          .split(",")
          .map((type) => type.trim())
          .filter(Boolean),
      };

const webhooks = (context: CommandContext) => new WebhookAdmin(context.runtime);

/** Prints the secret once: it is not stored anywhere the CLI or the API can show it again. */
const secretNote = "Store this secret now: it is not shown again.";

const webhookCommands: Record<string, Command> = {
  "webhooks add": {
    needsTarget: "usage: webhooks add <https url> [--events a,b] [--description d]",
    async run(context) {
      const { flags, target, actor, print } = context;
      const input = checked(webhookSchemas.add, {
        url: target,
        ...eventList(flags.events),
        ...(flags.description ? { description: flags.description } : {}),
      });
      const { endpoint, secret } = await webhooks(context).add(actor, input);
      print(
        { ...endpoint, secret },
        () => `Added ${endpoint.id} -> ${endpoint.url}\nSecret: ${secret}\n${secretNote}\n`,
      );
    },
  },
  "webhooks list": {
    async run(context) {
      const items = await webhooks(context).list();
      context.print({ items }, () => `${webhookRows(items)}${items.length} endpoints\n`);
    },
  },
  "webhooks filter": {
    needsTarget: 'usage: webhooks filter <id> --events a,b ("" for every type)',
    async run(context) {
      const { flags, target, actor, print } = context;
      if (flags.events === undefined) throw new UsageError("webhooks filter needs --events");
      const input = checked(webhookSchemas.update, eventList(flags.events));
      const endpoint = await webhooks(context).update(actor, target, input);
      print(
        { endpoint },
        () => `${endpoint.id} receives ${endpoint.eventTypes.join(", ") || "every type"}\n`,
      );
    },
  },
  "webhooks disable": {
    needsTarget: "usage: webhooks disable <id> [--reason why]",
    async run(context) {
      const endpoint = await webhooks(context).disable(context.actor, context.target, context.flags.reason);
      context.print({ endpoint }, () => `${endpoint.id} is disabled\n`);
    },
  },
  "webhooks enable": {
    needsTarget: "usage: webhooks enable <id>",
    async run(context) {
      const endpoint = await webhooks(context).enable(context.actor, context.target);
      context.print({ endpoint }, () => `${endpoint.id} is enabled\n`);
    },
  },
  "webhooks rotate": {
    needsTarget: "usage: webhooks rotate <id> [--overlap-hours n]",
    async run(context) {
      const { flags, target, actor, print } = context;
      const overlap = integer(flags["overlap-hours"], "overlap-hours", 0, 168);
      const { endpoint, secret } = await webhooks(context).rotate(actor, target, overlap);
      print(
        { ...endpoint, secret },
        () =>
          `New secret for ${endpoint.id}: ${secret}\nThe old one keeps signing for ${overlap ?? 24} h.\n${secretNote}\n`,
      );
    },
  },
  "webhooks test": {
    needsTarget: "usage: webhooks test <id>",
    async run(context) {
      const attempt = await webhooks(context).test(context.actor, context.target);
      context.print({ attempt }, () => attemptRows([attempt]));
    },
  },
  "webhooks attempts": {
    needsTarget: "usage: webhooks attempts <id> [--event evt_...] [--limit n]",
    async run(context) {
      const { flags, target, print } = context;
      const limit = integer(flags.limit, "limit", 1, 100) ?? 50;
      const items = await webhooks(context).attempts(target, {
        limit,
        ...(flags.event ? { eventId: flags.event } : {}),
      });
      print({ items }, () => attemptRows(items));
    },
  },
  "webhooks replay": {
    needsTarget: "usage: webhooks replay <id> (--event evt_... | --from time --to time)",
    async run(context) {
      const { flags, target, actor, print } = context;
      const request = checked(
        webhookSchemas.replay,
        flags.event ? { eventId: flags.event } : { from: flags.from, to: flags.to },
      );
      const report = await webhooks(context).replay(actor, target, request);
      const more = report.truncated ? `More remain: replay again with --from ${report.lastAt}\n` : "";
      print(
        report,
        () =>
          `Queued ${report.queued}, already pending ${report.alreadyPending}, filtered out ${report.filtered}\n${more}`,
      );
    },
  },
};

const needsUser = (name: string) => `users ${name} needs a user: a sub or an email`;

/** The account actions (sign out, reset password, verify email, reset MFA) and the MFA view. */
const account = (context: CommandContext) => new AccountActions(context.runtime, context.service);

const accountCommands: Record<string, Command> = {
  "users sign-out": {
    needsTarget: needsUser("sign-out"),
    async run(context) {
      const record = await context.service.resolve(context.target);
      await account(context).signOut(context.actor, record.sub, statusOptions(context.flags));
      context.print({ user: record }, () => `${record.email ?? record.sub} is signed out everywhere\n`);
    },
  },
  "users reset-password": {
    needsTarget: needsUser("reset-password"),
    async run(context) {
      const record = await context.service.resolve(context.target);
      await account(context).resetPassword(context.actor, record.sub, statusOptions(context.flags));
      context.print(
        { user: record },
        () => `${record.email ?? record.sub} must reset their password; Cognito sent them a code\n`,
      );
    },
  },
  "users verify-email": {
    needsTarget: needsUser("verify-email"),
    async run(context) {
      const record = await context.service.resolve(context.target);
      const result = await account(context).verifyEmail(
        context.actor,
        record.sub,
        statusOptions(context.flags),
      );
      const who = result.user.email ?? result.user.sub;
      context.print(result, () =>
        result.already ? `${who}: the email was already verified\n` : `${who}: email marked verified\n`,
      );
    },
  },
  "users mfa": {
    needsTarget: needsUser("mfa"),
    async run(context) {
      const record = await context.service.resolve(context.target);
      const mfa = await account(context).mfa(record.sub);
      const preferred = mfa.preferred ? ` (preferred ${mfa.preferred})` : "";
      context.print(mfa, () => `MFA: ${mfa.enabled.join(", ") || "none"}${preferred}\n`);
    },
  },
  "users reset-mfa": {
    needsTarget: needsUser("reset-mfa"),
    async run(context) {
      const record = await context.service.resolve(context.target);
      const result = await account(context).resetMfa(context.actor, record.sub, statusOptions(context.flags));
      const who = record.email ?? record.sub;
      context.print(result, () =>
        result.already ? `${who} has no MFA to reset\n` : `${who}: MFA turned off; they set it up again\n`,
      );
    },
  },
};

/** Every command, by its words on the command line; usage text in cli.ts. */
export const commands: Record<string, Command> = {
  "users list": { run: listUsers },
  "users backfill-search": { run: backfillSearch },
  "users show": { needsTarget: needsUser("show"), run: showUser },
  "users set-roles": { needsTarget: needsUser("set-roles"), run: setRoles },
  "users disable": { needsTarget: needsUser("disable"), run: disableUser },
  "users enable": { needsTarget: needsUser("enable"), run: enableUser },
  "users delete": {
    needsTarget: needsUser("delete"),
    // Confirmation is asked first (it names the user); a confirmed delete must say why.
    checkFlags: (flags) => {
      if (flags.yes && !flags.reason?.trim()) throw new UsageError("users delete needs --reason");
    },
    run: deleteUser,
  },
  "users resync": { needsTarget: needsUser("resync"), run: resyncUser },
  "users export": { needsTarget: needsUser("export"), run: exportUser },
  "users erase": {
    needsTarget: needsUser("erase"),
    // The reason is kept on the tombstone's audit entry: say why, without naming the user.
    checkFlags: (flags) => {
      if (flags.yes && !flags.reason?.trim()) throw new UsageError("users erase needs --reason");
    },
    run: eraseUser,
  },
  ...accountCommands,
  ...profileCommands,
  "users invite": { needsTarget: "users invite needs an email", run: inviteUser },
  "users resend-invite": { needsTarget: needsUser("resend-invite"), run: resendInvite },
  "users bulk": { needsTarget: bulkUsage, checkFlags: checkBulkFlags, run: runBulk },
  reconcile: { run: runReconcile },
  audit: { checkFlags: checkAuditFlags, run: listAudit },
  export: { run: exportUsers },
  "preview token": { needsTarget: "usage: preview token <sub|email>", run: previewClaims },
  import: { checkFlags: checkImportFlags, run: importUsers },
  ...webhookCommands,
};

/** What to say for an unknown second word of a command group. */
function unknownIn(group: string, word: string | undefined): string {
  if (group === "preview") return "usage: preview token <sub|email>";
  const names = Object.keys(commands)
    .filter((name) => name.startsWith(`${group} `))
    .map((name) => name.slice(group.length + 1));
  return `unknown ${group} command "${word ?? ""}" (${names.join(", ")})`;
}

/** The command the positionals name, with its target; a `UsageError` for anything else. */
export function commandFor(positionals: string[]): { command: Command; target: string } {
  const [first = "", second, target] = positionals;
  const single = commands[first];
  // A single-word command's argument (the file of `import <file>`) is its target.
  if (single) return { command: single, target: second ?? "" };
  if (!Object.keys(commands).some((name) => name.startsWith(`${first} `)))
    throw new UsageError(`unknown command "${first}"`);
  const command = commands[`${first} ${second ?? ""}`];
  if (!command) throw new UsageError(unknownIn(first, second));
  if (command.needsTarget && !target) throw new UsageError(command.needsTarget);
  return { command, target: target ?? "" };
}
