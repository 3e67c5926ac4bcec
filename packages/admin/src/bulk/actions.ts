import { randomUUID } from "node:crypto";
import { LifecycleError } from "@cognito-lifecycle/core";
import { NotFoundError } from "../errors.ts";
import { auditJob } from "../job-audit.ts";
import type { AdminRuntime } from "../runtime.ts";
import type { AdminService } from "../service.ts";
import { type BulkCounts, type BulkJobItem, type BulkRunOptions, runBulkJob } from "./job.ts";
import { type BulkChange, type BulkPreview, checkToken, dryRun, isFilterTarget, uniqueSubs } from "./plan.ts";

/** What a run answers: the job as it stands and whether it finished (else continue it). */
export interface BulkRun {
  job: BulkJobItem;
  complete: boolean;
}

/** What the audit trail says a job was asked to do (a filter as given, a selection by its size). */
const requestDetails = (job: BulkJobItem) => ({
  action: job.action,
  ...(isFilterTarget(job.target) ? { filter: job.target.filter } : { subs: job.target.subs.length }),
  ...(job.action === "roles" ? { add: job.add, remove: job.remove } : {}),
  includeSelf: job.includeSelf,
});

const emptyCounts = (): BulkCounts => ({ changed: 0, unchanged: 0, skipped: 0, failed: 0 });

/**
 * Bulk changes (roles, disable, enable) on a selection or a filter, shared by the API and the
 * CLI: a dry run counts and signs; a real run checks that count again, creates a job
 * (`bulk.started`), changes each user through the service, and when done audits `bulk.finished`.
 */
export class BulkActions {
  constructor(
    private readonly runtime: AdminRuntime,
    private readonly service: AdminService,
  ) {}

  dryRun(change: BulkChange): Promise<BulkPreview> {
    return dryRun(this.runtime, change);
  }

  /** Starts the job the dry run's `token` describes and runs it until done or `shouldStop`. */
  async start(
    actor: string,
    change: BulkChange & { reason: string },
    token: string,
    options: BulkRunOptions = {},
  ): Promise<BulkRun> {
    const total = await checkToken(this.runtime, change, token);
    const now = this.runtime.now().toISOString();
    const target = isFilterTarget(change.target) ? change.target : { subs: uniqueSubs(change.target.subs) };
    const job: BulkJobItem = {
      id: `blk_${randomUUID()}`,
      status: "running",
      actor,
      total,
      startedAt: now,
      updatedAt: now,
      next: 0,
      counts: emptyCounts(),
      action: change.action,
      target,
      add: change.action === "roles" ? (change.add ?? []) : [],
      remove: change.action === "roles" ? (change.remove ?? []) : [],
      reason: change.reason,
      includeSelf: change.includeSelf === true,
      failures: [],
    };
    await this.runtime.bulk.jobs.create(job);
    await auditJob(this.runtime, {
      subject: `bulk:${job.id}`,
      actor,
      action: "bulk.started",
      details: { ...requestDetails(job), users: total },
    });
    return this.run(job, options);
  }

  /** Continues an incomplete job (its own actor's changes, whoever asks). */
  async resume(id: string, options: BulkRunOptions = {}): Promise<BulkRun> {
    const job = await this.get(id);
    if (job.status === "finished") {
      throw new LifecycleError(`Bulk job ${id} has finished.`, { code: "conflict", status: 409 });
    }
    return this.run(job, options);
  }

  async get(id: string): Promise<BulkJobItem> {
    const job = await this.runtime.bulk.jobs.get(id);
    if (!job) throw new NotFoundError(`No bulk job ${id}.`);
    return job;
  }

  private async run(job: BulkJobItem, options: BulkRunOptions): Promise<BulkRun> {
    const { jobs } = this.runtime.bulk;
    const at = () => this.runtime.now().toISOString();
    let run: BulkRun;
    try {
      await jobs.setStatus(job.id, "running", at());
      run = await runBulkJob(this.runtime, this.service, job, options);
    } catch (error) {
      await jobs.setStatus(job.id, "incomplete", at()).catch(() => {});
      throw error;
    }
    await jobs.setStatus(job.id, run.complete ? "finished" : "incomplete", at());
    if (run.complete) {
      await auditJob(this.runtime, {
        subject: `bulk:${job.id}`,
        actor: job.actor,
        action: "bulk.finished",
        details: { ...requestDetails(job), total: job.total, ...job.counts },
      });
    }
    return { job: await this.get(job.id), complete: run.complete };
  }
}
