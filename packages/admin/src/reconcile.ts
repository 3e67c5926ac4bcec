import { deliverWelcomeEmail, logger, runAs } from "@cognito-lifecycle/aws";
import {
  type AuditAction,
  type AuditEvent,
  LifecycleError,
  newUserRecord,
  type UserRecord,
  type UserStatus,
  VersionConflictError,
  type WelcomeEmailState,
} from "@cognito-lifecycle/core";
import type { CognitoUser } from "./cognito.ts";
import { driftOf, statusInCognito } from "./drift.ts";
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

function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

function decodePosition(cursor: string | undefined): Position {
  if (!cursor) return { phase: "cognito" };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Position;
    if (parsed.phase === "cognito" && (parsed.token === undefined || typeof parsed.token === "string"))
      return parsed;
    if (parsed.phase === "records" && (parsed.status === "active" || parsed.status === "disabled"))
      return parsed;
  } catch {
    // reported below
  }
  throw new InvalidReconcileCursorError();
}

/** Cognito statuses of users who have finished signing up (or were invited) and so should have a record. */
const unconfirmed = "UNCONFIRMED";

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
  const apply = options.apply ?? false;
  const actor = options.actor ?? "system:reconcile";
  const pageSize = options.pageSize ?? 60;
  const staleClaimMs = options.staleClaimMs ?? 15 * 60_000;
  const maxWelcomeAttempts = options.maxWelcomeAttempts ?? 5;
  const detailLimit = options.detailLimit ?? 500;
  const { config, store, cognito, directory } = runtime;

  const report: ReconcileReport = {
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
      errors: 0,
    },
    changes: [],
    errors: [],
  };
  const note = (change: ReconcileChange) => {
    if (report.changes.length < detailLimit) report.changes.push(change);
  };
  const fail = (sub: string, error: unknown) => {
    report.counts.errors++;
    const message =
      error instanceof VersionConflictError
        ? "changed during reconcile; the next run repairs it"
        : `${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`;
    if (report.errors.length < detailLimit) report.errors.push({ sub, error: message });
    logger.warn("reconcile could not repair a user", { sub, error: (error as Error)?.name });
  };
  const progress = (phase: ReconcileProgress["phase"]) =>
    options.onProgress?.({
      phase,
      cognitoUsers: report.counts.cognitoUsers,
      recordsChecked: report.counts.recordsChecked,
    });
  const timeUp = () => options.stopAt !== undefined && Date.now() >= options.stopAt;
  const audit = (
    sub: string,
    action: AuditAction,
    reason: string,
    details?: Record<string, unknown>,
  ): AuditEvent => ({
    sub,
    id: runtime.newId(),
    at: runtime.now().toISOString(),
    actor,
    action,
    reason,
    ...(details ? { details } : {}),
  });

  /**
   * Retries the welcome email of `record` if it is `pending` (nothing was sent). An `unknown` one,
   * or a `sending` claim gone stale, may have been sent: reported (the stale claim marked
   * `unknown`), never resent, so the email goes out at most once; an admin decides.
   */
  const retryWelcome = async (record: UserRecord) => {
    const welcome = record.welcomeEmail;
    if (!config.welcomeEmail.enabled || !record.email || record.status !== "active" || !welcome) return;
    const now = runtime.now();
    const staleBefore = new Date(now.getTime() - staleClaimMs).toISOString();
    const stale = welcome.status === "sending" && welcome.at < staleBefore;
    if (welcome.status === "unknown" || stale) return reportUnknown(record, stale, staleBefore);
    if (welcome.status !== "pending" || welcome.attempts >= maxWelcomeAttempts) return;
    report.counts.welcomeRetried++;
    if (!apply) {
      note({ kind: "welcome", sub: record.sub, email: record.email, changes: ["would send"] });
      return;
    }
    const attempts = welcome.attempts + 1;
    const claimed = await store.transitionWelcomeEmail(record.sub, ["pending"], {
      status: "sending",
      at: now.toISOString(),
      attempts,
    });
    if (!claimed) {
      note({ kind: "welcome", sub: record.sub, email: record.email, changes: ["claimed by another sender"] });
      return;
    }
    const outcome = await deliverWelcomeEmail(
      { config, store, mailer: runtime.mailer, renderer: runtime.renderer, now: runtime.now },
      record,
      attempts,
    );
    note({ kind: "welcome", sub: record.sub, email: record.email, changes: [outcome] });
  };

  const reportUnknown = async (record: UserRecord, stale: boolean, staleBefore: string) => {
    report.counts.welcomeUnknown++;
    const welcome = record.welcomeEmail as WelcomeEmailState;
    let change = "unknown: not resent";
    if (stale && !apply) change = "stale claim: would mark unknown, not resent";
    if (stale && apply) {
      const marked = await store.transitionWelcomeEmail(
        record.sub,
        [],
        { ...welcome, status: "unknown", at: runtime.now().toISOString(), error: "claim abandoned" },
        { claimedBefore: staleBefore },
      );
      change = marked ? "stale claim: marked unknown, not resent" : "claimed by another sender";
    }
    note({
      kind: "welcome",
      sub: record.sub,
      ...(record.email ? { email: record.email } : {}),
      changes: [change],
    });
  };

  const createRecord = async (user: CognitoUser, groups: string[]) => {
    const now = runtime.now().toISOString();
    const base = newUserRecord(config, {
      sub: user.sub,
      username: user.username,
      attributes: user.attributes,
      source: "reconcile",
      now,
      groups,
    });
    // Whether a welcome email went out before the record was lost cannot be known, and the
    // welcome is sent at most once, so a repaired record never sends one.
    const record: UserRecord = {
      ...base,
      createdAt: user.createdAt ?? now,
      status: statusInCognito(user),
      welcomeEmail: { status: "skipped", at: now, attempts: 0 },
    };
    report.counts.created++;
    note({
      kind: "create",
      sub: user.sub,
      ...(record.email ? { email: record.email } : {}),
      changes: ["missing record"],
    });
    // A trigger may create the record meanwhile; the conditional create then leaves theirs alone.
    if (apply) {
      await store.create(
        record,
        audit(user.sub, "user.created", "missing from the user table", {
          source: "reconcile",
          cognitoStatus: user.status,
        }),
      );
    }
  };

  const repair = async (record: UserRecord, user: CognitoUser, groups: string[]) => {
    const drift = driftOf(record, user, groups);
    if (drift.changes.length === 0) {
      report.counts.unchanged++;
      await retryWelcome(record);
      return;
    }
    report.counts.updated++;
    note({
      kind: "update",
      sub: record.sub,
      ...(record.email ? { email: record.email } : {}),
      changes: drift.changes,
    });
    if (!apply) return;
    let current = record;
    const fieldChanges = drift.changes.filter((change) => change !== "status");
    if (fieldChanges.length > 0) {
      current = await store.sync(
        record.sub,
        drift.fields,
        audit(record.sub, "user.reconciled", "drifted from Cognito", { changes: fieldChanges }),
      );
    }
    if (drift.status) {
      current = await store.setStatus(
        record.sub,
        drift.status,
        audit(record.sub, "user.reconciled", "status drifted from Cognito", {
          changes: ["status"],
          from: record.status,
          to: drift.status,
        }),
      );
    }
    await retryWelcome(current);
  };

  let position = decodePosition(options.cursor);
  const seen = new Set<string>();

  if (position.phase === "cognito") {
    const memberships = await cognito.groupMemberships();
    let token = position.token;
    do {
      const page = await cognito.listUsersPage(token, pageSize);
      const records = await directory.getMany(page.users.map((user) => user.sub));
      for (const user of page.users) {
        seen.add(user.sub);
        report.counts.cognitoUsers++;
        const record = records.get(user.sub);
        try {
          if (record) await repair(record, user, memberships.get(user.username) ?? []);
          else if (user.status === unconfirmed) report.counts.skippedUnconfirmed++;
          else await createRecord(user, memberships.get(user.username) ?? []);
        } catch (error) {
          fail(user.sub, error);
        }
      }
      token = page.paginationToken;
      progress("cognito");
      if (token && timeUp()) {
        report.cursor = encodePosition({ phase: "cognito", token });
        return report;
      }
    } while (token);
    position = { phase: "records", status: "active" };
  }

  const statuses: Exclude<UserStatus, "deleted">[] = ["active", "disabled"];
  for (const status of statuses.slice(statuses.indexOf(position.status))) {
    let key = status === position.status ? position.key : undefined;
    do {
      const page = await directory.subsWithStatus(status, key);
      for (const { sub, username } of page.items) {
        report.counts.recordsChecked++;
        if (seen.has(sub)) continue;
        try {
          // Not seen in phase 1 (or phase 1 ran in an earlier invocation): ask Cognito directly, since
          // ListUsers is eventually consistent and the user may have signed up during the run.
          const user = await cognito.get(username);
          if (user && user.sub === sub) continue;
          report.counts.markedDeleted++;
          note({ kind: "mark-deleted", sub, changes: ["gone from Cognito"] });
          if (apply)
            await store.setStatus(
              sub,
              "deleted",
              audit(sub, "user.deleted", "no longer exists in Cognito", { from: status }),
            );
        } catch (error) {
          fail(sub, error);
        }
      }
      key = page.nextKey;
      progress("records");
      if (key && timeUp()) {
        report.cursor = encodePosition({ phase: "records", status, key });
        return report;
      }
    } while (key);
  }
  report.complete = true;
  return report;
}
