import type { DynamoJobStore, JobProgress } from "@cognito-lifecycle/aws";
import { LifecycleError, maskEmail, type UserRecord } from "@cognito-lifecycle/core";
import type { AdminRuntime } from "../runtime.ts";
import { type AdminService, type ChangeOptions, rolesAfter } from "../service.ts";
import { type BulkAction, type BulkTarget, bulkLimits, isFilterTarget } from "./plan.ts";

export interface BulkCounts {
  changed: number;
  /** Already as asked (roles held or not, status already set): nothing written. */
  unchanged: number;
  skipped: number;
  failed: number;
}

/** A user the job did not change, and why (`self`, `deleted`; or the error's code: `conflict`, `not_found`, `last_admin`). */
export interface BulkResult {
  sub: string;
  /** Masked: job items are kept for weeks. */
  email?: string;
  outcome: "skipped" | "failed";
  reason: string;
}

/** A bulk action's job item: the change, where it stands, and every user skipped or failed. */
export interface BulkJobItem extends JobProgress<BulkCounts> {
  action: BulkAction;
  target: BulkTarget;
  add: string[];
  remove: string[];
  reason: string;
  includeSelf: boolean;
  /** Filter jobs: where the listing continues (after the last page fully done). */
  cursor?: string;
  failures: BulkResult[];
}

export type BulkJobStore = DynamoJobStore<BulkJobItem, BulkCounts, BulkResult>;

type Outcome = "changed" | "unchanged" | Pick<BulkResult, "outcome" | "reason">;

const failed = (reason: string): Outcome => ({ outcome: "failed", reason });
const skipped = (reason: string): Outcome => ({ outcome: "skipped", reason });

/** Our errors by their stable code (`conflict`, `last_admin`...), others by name. */
const reasonOf = (error: unknown) =>
  error instanceof LifecycleError ? error.code : ((error as Error)?.name ?? "Error");

/** One user's change through the service's own operation (its version check and safeguards). */
async function changeOne(service: AdminService, job: BulkJobItem, record: UserRecord): Promise<Outcome> {
  const options: ChangeOptions = {
    reason: job.reason,
    expectedVersion: record.version,
    confirmSelf: job.includeSelf,
    bulkJob: job.id,
  };
  if (job.action === "roles") {
    const edit = { add: job.add, remove: job.remove };
    const next = rolesAfter(record.roles, edit);
    if (next.length === record.roles.length && next.every((role) => record.roles.includes(role))) {
      return "unchanged";
    }
    await service.setRoles(job.actor, record.sub, edit, {
      ...options,
      expectedVersion: record.version,
      reason: job.reason,
    });
    return "changed";
  }
  if (job.action === "disable") {
    if (record.status === "disabled") return "unchanged";
    await service.disable(job.actor, record.sub, options);
    return "changed";
  }
  if (record.status === "active") return "unchanged";
  await service.enable(job.actor, record.sub, options);
  return "changed";
}

/** A user's outcome: a failure is reported for that user and never stops the job. */
async function applyToUser(
  runtime: AdminRuntime,
  service: AdminService,
  job: BulkJobItem,
  sub: string,
): Promise<{ outcome: Outcome; email?: string }> {
  const record = await runtime.store.get(sub);
  if (!record) return { outcome: failed("not_found") };
  const email = maskEmail(record.email);
  const known = email ? { email } : {};
  if (record.status === "deleted") return { outcome: skipped("deleted"), ...known };
  if (sub === job.actor && !job.includeSelf) return { outcome: skipped("self"), ...known };
  try {
    return { outcome: await changeOne(service, job, record), ...known };
  } catch (error) {
    return { outcome: failed(reasonOf(error)), ...known };
  }
}

/** Adds one user's outcome to `job` and checkpoints it (with `set`, e.g. the listing's cursor). */
async function record(
  jobs: BulkJobStore,
  job: BulkJobItem,
  sub: string,
  result: { outcome: Outcome; email?: string },
  at: string,
  set?: Record<string, unknown>,
): Promise<void> {
  const { outcome } = result;
  let listed: BulkResult | undefined;
  if (outcome === "changed" || outcome === "unchanged") job.counts[outcome] += 1;
  else {
    job.counts[outcome.outcome] += 1;
    listed = { sub, ...(result.email ? { email: result.email } : {}), ...outcome };
    job.failures.push(listed);
  }
  job.next += 1;
  await jobs.done(
    job.id,
    { next: job.next, counts: job.counts, ...(listed ? { result: listed } : {}), ...(set ? { set } : {}) },
    at,
  );
}

export interface BulkRunOptions {
  /** Checked before each user of a selection and each page of a filter: true stops cleanly. */
  shouldStop?: () => boolean;
  onProgress?: (job: BulkJobItem) => void;
}

/**
 * Runs (or continues) a bulk job: each user in turn through the service, progress checkpointed
 * after each, so a run that stops (its time budget, a crash) is continued where it stopped.
 * A filter job pages the directory listing and keeps its cursor; every operation it repeats
 * after a crash finds its change already made (`unchanged`). Answers whether the job finished.
 */
export async function runBulkJob(
  runtime: AdminRuntime,
  service: AdminService,
  job: BulkJobItem,
  options: BulkRunOptions = {},
): Promise<{ job: BulkJobItem; complete: boolean }> {
  const { jobs } = runtime.bulk;
  const at = () => runtime.now().toISOString();
  if (!isFilterTarget(job.target)) {
    const { subs } = job.target;
    while (job.next < subs.length) {
      if (options.shouldStop?.()) return { job, complete: false };
      const sub = subs[job.next] as string;
      await record(jobs, job, sub, await applyToUser(runtime, service, job, sub), at());
      options.onProgress?.(job);
    }
    return { job, complete: true };
  }
  const { filter } = job.target;
  do {
    if (options.shouldStop?.()) return { job, complete: false };
    const page = await runtime.directory.listUsers(filter, {
      limit: bulkLimits.pageSize,
      ...(job.cursor ? { cursor: job.cursor } : {}),
    });
    const cursor = page.cursor ? { cursor: page.cursor } : {};
    for (const [index, user] of page.items.entries()) {
      const last = index === page.items.length - 1;
      await record(
        jobs,
        job,
        user.sub,
        await applyToUser(runtime, service, job, user.sub),
        at(),
        last ? cursor : undefined,
      );
      options.onProgress?.(job);
    }
    if (page.items.length === 0 && page.cursor) {
      await jobs.done(job.id, { next: job.next, counts: job.counts, set: cursor }, at());
    }
    if (page.cursor) job.cursor = page.cursor;
    else break;
  } while (job.cursor);
  return { job, complete: true };
}
