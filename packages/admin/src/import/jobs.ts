import type { DynamoImportJobStore, ImportJobItem } from "@cognito-lifecycle/aws";
import type { AuditAction } from "@cognito-lifecycle/core";
import { auditJob } from "../job-audit.ts";
import type { AdminRuntime } from "../runtime.ts";
import type { ImportCheckpoint, ImportCounts, ImportState, ImportSummary, UserResult } from "./run.ts";

export type ImportJobStore = DynamoImportJobStore<ImportCounts, UserResult>;
export type ImportJobRecord = ImportJobItem<ImportCounts, UserResult>;

/** The job item as a checkpoint: progress written before and after each user. */
export function jobCheckpoint(store: ImportJobStore, jobId: string, now: () => Date): ImportCheckpoint {
  return {
    begin: (index) => store.begin(jobId, index, now().toISOString()),
    done: (result, state) =>
      store.done(
        jobId,
        {
          next: state.next,
          counts: state.counts,
          ...(result.outcome === "skipped" || result.outcome === "failed" ? { result } : {}),
        },
        now().toISOString(),
      ),
  };
}

export function stateOf(job: ImportJobRecord): ImportState {
  return {
    jobId: job.id,
    next: job.next,
    ...(job.inFlight !== undefined ? { inFlight: job.inFlight } : {}),
    counts: job.counts,
    notImported: job.notImported,
  };
}

/**
 * An import run in the audit trail (subject `import:<job id>`): who started it, on which file
 * (its hash, never its content) and, when it ends, the counts. The CLI and the API both write it.
 */
export async function auditImport(
  runtime: AdminRuntime,
  entry: {
    jobId: string;
    actor: string;
    action: Extract<AuditAction, "import.started" | "import.finished">;
    details: Record<string, unknown>;
  },
): Promise<void> {
  const { jobId, ...rest } = entry;
  await auditJob(runtime, { subject: `import:${jobId}`, ...rest });
}

/** What an `import.finished` entry records. */
export const finishedDetails = (summary: ImportSummary) => ({
  total: summary.total,
  complete: summary.complete,
  imported: summary.counts.imported,
  preCreated: summary.counts.preCreated,
  skipped: summary.counts.skipped,
  failed: summary.counts.failed,
});
