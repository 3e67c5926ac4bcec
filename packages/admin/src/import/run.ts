import { maskEmail } from "@cognito-lifecycle/core";
import type { ImportUser } from "./types.ts";

/** What to do with users whose old system had no usable hash. */
export type WithoutHash = "precreate" | "skip";
export const withoutHashChoices = ["precreate", "skip"] as const satisfies readonly WithoutHash[];

/** Why a user was left alone. */
export type SkipReason = "in-table" | "in-cognito" | "already-imported" | "without-hash";

export type UserOutcome =
  | { outcome: "imported" }
  | { outcome: "pre-created" }
  | { outcome: "skipped"; reason: SkipReason }
  | { outcome: "failed"; reason: string };

/** One user's result; the email is masked (summaries are stored and printed). */
export type UserResult = UserOutcome & { index: number; line: number; sourceId?: string; email: string };

export interface ImportCounts {
  imported: number;
  preCreated: number;
  skipped: Partial<Record<SkipReason, number>>;
  failed: number;
}

/** Where a run stands: what a checkpoint holds and what the summary reports. */
export interface ImportState {
  jobId: string;
  /** Index of the first user not yet finished. */
  next: number;
  /** A user whose write began but was never recorded as finished (the run was interrupted). */
  inFlight?: number;
  counts: ImportCounts;
  /** Every user skipped or failed, with the reason. Imported users are only counted. */
  notImported: UserResult[];
}

export interface ImportSummary extends ImportState {
  dryRun: boolean;
  total: number;
  /** False when the run stopped early (a deadline); resume it to finish. */
  complete: boolean;
}

/** What the job is, as written into every credential item and audit entry it makes. */
export interface ImportJob {
  id: string;
  /** `import:auth0`, `import:firebase`, ... */
  origin: string;
  actor: string;
}

/**
 * Everything a run reads and writes. Reads are side-effect free (a dry run uses only them);
 * the writes are idempotent: a conditional put, and a pre-create that finds its own user.
 */
export interface ImportTargets {
  inTable(email: string): Promise<boolean>;
  inCognito(email: string): Promise<boolean>;
  /** The stored credential's job, or undefined when none is stored for the email. */
  storedCredential(email: string): Promise<{ importJob?: string } | undefined>;
  /** Conditional put: `exists` when the email already has an item (nothing is changed). */
  putCredential(user: ImportUser, job: ImportJob): Promise<"created" | "exists">;
  /**
   * AdminCreateUser with messages suppressed, then the record. `exists` when Cognito has the user;
   * with `adopt` (resuming the user a crash cut off) an existing user is taken as this job's own
   * and its record is created if missing.
   */
  preCreate(user: ImportUser, job: ImportJob, options: { adopt: boolean }): Promise<"created" | "exists">;
}

/** Where progress is recorded before and after each user's write, so a run can resume. */
export interface ImportCheckpoint {
  begin(index: number, state: ImportState): Promise<void>;
  done(result: UserResult, state: ImportState): Promise<void>;
}

export interface RunOptions {
  job: ImportJob;
  withoutHash: WithoutHash;
  dryRun?: boolean;
  /** A checkpoint's state to continue from (`--resume`). */
  resumeFrom?: ImportState;
  checkpoint?: ImportCheckpoint;
  /** Told after every user. */
  onProgress?: (summary: ImportSummary, result: UserResult) => void;
  /** Checked before each user: true stops the run cleanly (a Lambda's deadline). */
  shouldStop?: () => boolean;
}

/**
 * Errors that concern one user and are final: the user is reported as failed and the run goes
 * on. Anything else (network, access, throttling past the back-off) stops the run; the
 * checkpoint lets `--resume` continue where it stopped.
 */
const perUserErrors = new Set([
  "InvalidParameterException",
  "AliasExistsException",
  "UnsupportedUserStateException",
  "CodeDeliveryFailureException",
]);

export function emptyState(jobId: string): ImportState {
  return { jobId, next: 0, counts: { imported: 0, preCreated: 0, skipped: {}, failed: 0 }, notImported: [] };
}

/** Adds one finished user to `state` (also used to replay a checkpoint). */
export function applyResult(state: ImportState, result: UserResult): void {
  const { counts } = state;
  if (result.outcome === "imported") counts.imported += 1;
  else if (result.outcome === "pre-created") counts.preCreated += 1;
  else if (result.outcome === "failed") counts.failed += 1;
  else counts.skipped[result.reason] = (counts.skipped[result.reason] ?? 0) + 1;
  if (result.outcome === "skipped" || result.outcome === "failed") state.notImported.push(result);
  state.next = Math.max(state.next, result.index + 1);
  if (state.inFlight === result.index) delete state.inFlight;
}

/** What a dry run says and a real run checks first: reads only. */
async function plan(
  user: ImportUser,
  targets: ImportTargets,
  withoutHash: WithoutHash,
): Promise<UserOutcome> {
  if (await targets.inTable(user.email)) return { outcome: "skipped", reason: "in-table" };
  if (await targets.inCognito(user.email)) return { outcome: "skipped", reason: "in-cognito" };
  if (user.credential) {
    return (await targets.storedCredential(user.email))
      ? { outcome: "skipped", reason: "already-imported" }
      : { outcome: "imported" };
  }
  return withoutHash === "precreate"
    ? { outcome: "pre-created" }
    : { outcome: "skipped", reason: "without-hash" };
}

/** The write for a planned user; `adopt` for the one a crash interrupted. */
async function write(
  user: ImportUser,
  planned: UserOutcome,
  targets: ImportTargets,
  job: ImportJob,
  adopt: boolean,
): Promise<UserOutcome> {
  if (planned.outcome === "imported") {
    if ((await targets.putCredential(user, job)) === "created") return planned;
    // Our own item, written before the interruption, counts once as imported.
    const stored = await targets.storedCredential(user.email);
    return stored?.importJob === job.id ? planned : { outcome: "skipped", reason: "already-imported" };
  }
  if (planned.outcome === "pre-created") {
    const created = await targets.preCreate(user, job, { adopt });
    return created === "created" ? planned : { outcome: "skipped", reason: "in-cognito" };
  }
  return planned;
}

/**
 * Imports validated users one after another: users already in our table or in Cognito are
 * skipped, users with a credential get a conditional credential item, the others are pre-created
 * or skipped by `withoutHash`. A dry run only reads. Progress goes to the checkpoint before and
 * after each write, so an interrupted run resumes with nothing written twice and nothing missed.
 */
export async function runImport(
  users: readonly ImportUser[],
  targets: ImportTargets,
  options: RunOptions,
): Promise<ImportSummary> {
  const { job, dryRun = false } = options;
  const state: ImportState = options.resumeFrom ?? emptyState(job.id);
  const summary = (complete: boolean): ImportSummary => ({ ...state, dryRun, total: users.length, complete });
  for (let index = state.next; index < users.length; index++) {
    if (options.shouldStop?.()) return summary(false);
    const user = users[index] as ImportUser;
    const adopt = state.inFlight === index;
    let outcome: UserOutcome;
    try {
      // The user a crash cut off already passed the checks; its own write may have happened.
      const planned = adopt
        ? user.credential
          ? ({ outcome: "imported" } as const)
          : ({ outcome: "pre-created" } as const)
        : await plan(user, targets, options.withoutHash);
      if (dryRun || planned.outcome === "skipped") outcome = planned;
      else {
        state.inFlight = index;
        await options.checkpoint?.begin(index, state);
        outcome = await write(user, planned, targets, job, adopt);
      }
    } catch (error) {
      if (!perUserErrors.has((error as Error)?.name)) throw error;
      outcome = { outcome: "failed", reason: `${(error as Error).name}: ${(error as Error).message}` };
    }
    const result: UserResult = {
      ...outcome,
      index,
      line: user.line,
      ...(user.sourceId ? { sourceId: user.sourceId } : {}),
      email: maskEmail(user.email) ?? "***",
    };
    applyResult(state, result);
    if (!dryRun) await options.checkpoint?.done(result, state);
    options.onProgress?.(summary(false), result);
  }
  return summary(true);
}
