import {
  claimAndDeliverWelcome,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  logger,
  runAs,
} from "@cognito-lifecycle/aws";
import {
  driftOf,
  initialRecord,
  invitePendingIn,
  LifecycleError,
  type NewRecordInput,
  statusInCognito,
  type UserRecord,
  type UserStatus,
  VersionConflictError,
  type WelcomeEmailState,
} from "@cognito-lifecycle/core";
import type { CognitoUser } from "./cognito.ts";
import type { AdminRuntime } from "./runtime.ts";

export interface ReconcileOptions {
  /** Write the repairs; without it, only report what would change (a dry run). */
  apply?: boolean;
  /** Continue a run that stopped early (the `cursor` of its report). */
  cursor?: string;
  /** Cognito ListUsers page size (60 is Cognito's maximum). */
  pageSize?: number;
  /** Epoch ms after which the run stops at the next page boundary and returns a cursor. */
  stopAt?: number;
  /**
   * A welcome email `sending` for longer than this was abandoned (a crash, or its outcome was not
   * recorded): it may have gone out, so it is marked `unknown` and reported, never resent.
   */
  staleClaimMs?: number;
  /** Welcome emails are not retried after this many attempts. */
  maxWelcomeAttempts?: number;
  /** At most this many changes are listed in the report (all are counted). */
  detailLimit?: number;
  actor?: string;
  onProgress?: (progress: ReconcileProgress) => void;
}

export interface ReconcileProgress {
  phase: "cognito" | "records";
  cognitoUsers: number;
  recordsChecked: number;
}

export type ChangeKind = "create" | "mark-deleted" | "update" | "welcome";

export interface ReconcileChange {
  kind: ChangeKind;
  sub: string;
  email?: string;
  /** What differs (`email`, `groups`, `status`, ...) or the welcome outcome. */
  changes: string[];
}

export interface ReconcileReport {
  apply: boolean;
  /** False when the run stopped early; pass `cursor` to continue. */
  complete: boolean;
  cursor?: string;
  counts: {
    cognitoUsers: number;
    recordsChecked: number;
    created: number;
    markedDeleted: number;
    updated: number;
    welcomeRetried: number;
    /** Welcome emails whose send may or may not have happened: reported, never resent. */
    welcomeUnknown: number;
    unchanged: number;
    skippedUnconfirmed: number;
    /**
     * Deletions and drift of the kinds the delete signal (functions/cognito-api-events.ts)
     * repairs: with the signal deployed, each is an event it missed or had not delivered yet.
     */
    missedBySignal: number;
    errors: number;
  };
  changes: ReconcileChange[];
  errors: { sub: string; error: string }[];
}

type Position =
  | { phase: "cognito"; token?: string }
  | { phase: "records"; status: Exclude<UserStatus, "deleted">; key?: Record<string, unknown> };

export class InvalidReconcileCursorError extends LifecycleError {
  override readonly name = "InvalidReconcileCursorError";
  constructor() {
    super("The reconcile cursor is not valid; start a new run without one.", {
      code: "invalid_request",
      status: 400,
    });
  }
}

const cursorScope = "reconcile";

function decodePosition(cursor: string | undefined): Position {
  if (!cursor) return { phase: "cognito" };
  let parsed: Position | undefined;
  try {
    parsed = decodeCursor(cursor, cursorScope) as Position | undefined;
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
  }
  if (parsed?.phase === "cognito" && (parsed.token === undefined || typeof parsed.token === "string"))
    return parsed;
  if (parsed?.phase === "records" && (parsed.status === "active" || parsed.status === "disabled"))
    return parsed;
  throw new InvalidReconcileCursorError();
}

/**
 * Drift the signal's calls (UpdateUserAttributes, AdminUpdateUserAttributes, AdminDisableUser,
 * AdminEnableUser) cause. Not `emailVerified` (VerifyUserAttribute is not signalled), nor groups,
 * identities or usernames.
 */
const signalledDrift = new Set(["email", "name", "locale", "customAttributes", "status"]);

/** Cognito statuses of users who have finished signing up (or were invited) and so should have a record. */
const unconfirmed = "UNCONFIRMED";

/** What every phase of one run reads and adds to. */
interface ReconcileContext {
  runtime: AdminRuntime;
  apply: boolean;
  actor: string;
  pageSize: number;
  staleClaimMs: number;
  maxWelcomeAttempts: number;
  detailLimit: number;
  stopAt?: number;
  onProgress?: (progress: ReconcileProgress) => void;
  report: ReconcileReport;
  /** Subs phase 1 saw in Cognito in this invocation. */
  seen: Set<string>;
}

function contextFor(runtime: AdminRuntime, options: ReconcileOptions): ReconcileContext {
  const apply = options.apply ?? false;
  return {
    runtime,
    apply,
    actor: options.actor ?? "system:reconcile",
    pageSize: options.pageSize ?? 60,
    staleClaimMs: options.staleClaimMs ?? 15 * 60_000,
    maxWelcomeAttempts: options.maxWelcomeAttempts ?? 5,
    detailLimit: options.detailLimit ?? 500,
    ...(options.stopAt !== undefined ? { stopAt: options.stopAt } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    report: {
      apply,
      complete: false,
      counts: {
        cognitoUsers: 0,
        recordsChecked: 0,
        created: 0,
        markedDeleted: 0,
        updated: 0,
        welcomeRetried: 0,
        welcomeUnknown: 0,
        unchanged: 0,
        skippedUnconfirmed: 0,
        missedBySignal: 0,
        errors: 0,
      },
      changes: [],
      errors: [],
    },
    seen: new Set(),
  };
}

function note(ctx: ReconcileContext, change: ReconcileChange): void {
  if (ctx.report.changes.length < ctx.detailLimit) ctx.report.changes.push(change);
}

function fail(ctx: ReconcileContext, sub: string, error: unknown): void {
  ctx.report.counts.errors++;
  const message =
    error instanceof VersionConflictError
      ? "changed during reconcile; the next run repairs it"
      : `${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`;
  if (ctx.report.errors.length < ctx.detailLimit) ctx.report.errors.push({ sub, error: message });
  logger.warn("reconcile could not repair a user", { sub, error: (error as Error)?.name });
}

function progress(ctx: ReconcileContext, phase: ReconcileProgress["phase"]): void {
  const { cognitoUsers, recordsChecked } = ctx.report.counts;
  ctx.onProgress?.({ phase, cognitoUsers, recordsChecked });
}

function timeUp(ctx: ReconcileContext): boolean {
  return ctx.stopAt !== undefined && Date.now() >= ctx.stopAt;
}

/** The run stops at a page boundary; the cursor says where the next one starts. */
function stopAt(ctx: ReconcileContext, position: Position): ReconcileReport {
  ctx.report.cursor = encodeCursor(position, cursorScope);
  return ctx.report;
}

/**
 * Compares every Cognito user with the table and repairs the table: creates missing records
 * (source `reconcile`), marks records whose Cognito user is gone as deleted, rewrites drifted
 * email, verification, name, groups and status, and retries pending welcome emails. Cognito is
 * the source of truth. A dry run by default; idempotent; resumable from the report's cursor.
 *
 * Two phases: (1) page Cognito's ListUsers and compare each user with its record (one
 * BatchGetItem per page); (2) page the table's active and disabled records (status index) and
 * confirm, with AdminGetUser, that any record phase 1 did not see is really gone before marking
 * it deleted. A run resumed after phase 1 has no memory of the users it saw, so it confirms every
 * record that way (slower, still correct).
 */
export function reconcile(runtime: AdminRuntime, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  // Its SDK calls are the Reconcile function's (the offline IAM check applies that role), from the job or the CLI.
  return runAs("Reconcile", () => runReconcile(runtime, options));
}

async function runReconcile(runtime: AdminRuntime, options: ReconcileOptions): Promise<ReconcileReport> {
  const ctx = contextFor(runtime, options);
  const position = decodePosition(options.cursor);
  if (position.phase === "cognito") {
    const stopped = await compareCognitoUsers(ctx, position.token);
    if (stopped) return stopAt(ctx, stopped);
  }
  const stopped = await confirmRecordsGone(
    ctx,
    position.phase === "records" ? position : { phase: "records", status: "active" },
  );
  if (stopped) return stopAt(ctx, stopped);
  ctx.report.complete = true;
  return ctx.report;
}

/** Phase 1: every Cognito user against its record. Returns where it stopped, if time ran out. */
async function compareCognitoUsers(ctx: ReconcileContext, from?: string): Promise<Position | undefined> {
  const { cognito, directory } = ctx.runtime;
  const memberships = await cognito.groupMemberships();
  let token = from;
  do {
    const page = await cognito.listUsersPage(token, ctx.pageSize);
    const records = await directory.getMany(page.users.map((user) => user.sub));
    for (const user of page.users) {
      ctx.seen.add(user.sub);
      ctx.report.counts.cognitoUsers++;
      const record = records.get(user.sub);
      const groups = memberships.get(user.username) ?? [];
      try {
        if (record) await repair(ctx, record, user, groups);
        else if (user.status === unconfirmed) ctx.report.counts.skippedUnconfirmed++;
        else await createRecord(ctx, user, groups);
      } catch (error) {
        fail(ctx, user.sub, error);
      }
    }
    token = page.paginationToken;
    progress(ctx, "cognito");
    if (token && timeUp(ctx)) return { phase: "cognito", token };
  } while (token);
  return undefined;
}

/**
 * Phase 2: every active or disabled record phase 1 did not see. Not seen (or phase 1 ran in an
 * earlier invocation): Cognito is asked directly, since ListUsers is eventually consistent and
 * the user may have signed up during the run.
 */
async function confirmRecordsGone(
  ctx: ReconcileContext,
  from: Extract<Position, { phase: "records" }>,
): Promise<Position | undefined> {
  const statuses: Exclude<UserStatus, "deleted">[] = ["active", "disabled"];
  for (const status of statuses.slice(statuses.indexOf(from.status))) {
    let key = status === from.status ? from.key : undefined;
    do {
      const page = await ctx.runtime.directory.subsWithStatus(status, key);
      for (const { sub, username } of page.items) {
        ctx.report.counts.recordsChecked++;
        if (ctx.seen.has(sub)) continue;
        try {
          await markDeletedIfGone(ctx, sub, username, status);
        } catch (error) {
          fail(ctx, sub, error);
        }
      }
      key = page.nextKey;
      progress(ctx, "records");
      if (key && timeUp(ctx)) return { phase: "records", status, key };
    } while (key);
  }
  return undefined;
}

async function markDeletedIfGone(
  ctx: ReconcileContext,
  sub: string,
  username: string,
  status: Exclude<UserStatus, "deleted">,
): Promise<void> {
  const user = await ctx.runtime.cognito.get(username);
  if (user && user.sub === sub) return;
  ctx.report.counts.markedDeleted++;
  ctx.report.counts.missedBySignal++;
  note(ctx, { kind: "mark-deleted", sub, changes: ["gone from Cognito"] });
  if (!ctx.apply) return;
  await ctx.runtime.records.changeStatus({ sub, status }, "deleted", {
    actor: ctx.actor,
    action: "user.deleted",
    reason: "no longer exists in Cognito",
  });
}

/** A confirmed Cognito user without a record: created as reconcile creates records (no welcome email). */
async function createRecord(ctx: ReconcileContext, user: CognitoUser, groups: string[]): Promise<void> {
  const { config, records } = ctx.runtime;
  const now = ctx.runtime.now().toISOString();
  const input: NewRecordInput = {
    sub: user.sub,
    username: user.username,
    attributes: user.attributes,
    source: "reconcile",
    now,
    groups,
  };
  const overrides = {
    createdAt: user.createdAt ?? now,
    status: statusInCognito(user),
    // As the drift check reads it, so the next run finds nothing to change.
    ...(invitePendingIn(user) ? { invitePending: true } : {}),
  };
  const email = initialRecord(config, "reconcile", input, overrides).email;
  ctx.report.counts.created++;
  note(ctx, { kind: "create", sub: user.sub, ...(email ? { email } : {}), changes: ["missing record"] });
  // A trigger may create the record meanwhile; the conditional create then leaves theirs alone.
  if (!ctx.apply) return;
  await records.createIfMissing("reconcile", input, {
    overrides,
    actor: ctx.actor,
    details: () => ({ source: "reconcile", cognitoStatus: user.status }),
  });
}

/** A record and its Cognito user: the drift written back, then the welcome email retried if due. */
async function repair(ctx: ReconcileContext, record: UserRecord, user: CognitoUser, groups: string[]) {
  const drift = driftOf(record, user, groups, ctx.runtime.config);
  if (drift.changes.length === 0) {
    ctx.report.counts.unchanged++;
    await retryWelcome(ctx, record);
    return;
  }
  ctx.report.counts.updated++;
  if (drift.changes.some((change) => signalledDrift.has(change))) ctx.report.counts.missedBySignal++;
  note(ctx, {
    kind: "update",
    sub: record.sub,
    ...(record.email ? { email: record.email } : {}),
    changes: drift.changes,
  });
  if (!ctx.apply) return;
  const current = await ctx.runtime.records.applyDrift(record, drift, {
    actor: ctx.actor,
    action: "user.reconciled",
    reason: "drifted from Cognito",
    statusReason: "status drifted from Cognito",
  });
  await retryWelcome(ctx, current);
}

/**
 * Retries the welcome email of `record` if it is `pending` (nothing was sent). An `unknown` one,
 * or a `sending` claim gone stale, may have been sent: reported (the stale claim marked
 * `unknown`), never resent, so the email goes out at most once; an admin decides.
 */
async function retryWelcome(ctx: ReconcileContext, record: UserRecord): Promise<void> {
  const { config, store } = ctx.runtime;
  const welcome = record.welcomeEmail;
  if (!config.welcomeEmail.enabled || !record.email || record.status !== "active" || !welcome) return;
  const now = ctx.runtime.now();
  const staleBefore = new Date(now.getTime() - ctx.staleClaimMs).toISOString();
  const stale = welcome.status === "sending" && welcome.at < staleBefore;
  if (welcome.status === "unknown" || stale) return reportUnknown(ctx, record, stale, staleBefore);
  if (welcome.status !== "pending" || welcome.attempts >= ctx.maxWelcomeAttempts) return;
  ctx.report.counts.welcomeRetried++;
  const change = (outcome: string): ReconcileChange => ({
    kind: "welcome",
    sub: record.sub,
    ...(record.email ? { email: record.email } : {}),
    changes: [outcome],
  });
  if (!ctx.apply) return note(ctx, change("would send"));
  const { mailer, renderer } = ctx.runtime;
  const outcome = await claimAndDeliverWelcome(
    { config, store, mailer, renderer, now: ctx.runtime.now },
    record,
  );
  note(ctx, change(outcome === "not-claimed" ? "claimed by another sender" : outcome));
}

async function reportUnknown(
  ctx: ReconcileContext,
  record: UserRecord,
  stale: boolean,
  staleBefore: string,
): Promise<void> {
  ctx.report.counts.welcomeUnknown++;
  const welcome = record.welcomeEmail as WelcomeEmailState;
  let change = "unknown: not resent";
  if (stale && !ctx.apply) change = "stale claim: would mark unknown, not resent";
  if (stale && ctx.apply) {
    const marked = await ctx.runtime.store.transitionWelcomeEmail(
      record.sub,
      [],
      { ...welcome, status: "unknown", at: ctx.runtime.now().toISOString(), error: "claim abandoned" },
      { claimedBefore: staleBefore },
    );
    change = marked ? "stale claim: marked unknown, not resent" : "claimed by another sender";
  }
  note(ctx, {
    kind: "welcome",
    sub: record.sub,
    ...(record.email ? { email: record.email } : {}),
    changes: [change],
  });
}
