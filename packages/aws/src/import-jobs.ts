import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoJobStore, type JobProgress, type JobStatus } from "./jobs.ts";
import { itemKeys } from "./table.ts";

export type ImportJobStatus = JobStatus;

/**
 * One bulk import run from the admin API, and its checkpoint: where it stands, its counts and
 * every user it skipped or failed (emails masked). The imported file itself is never stored.
 * `Counts` and `Result` are the admin import's types (packages/admin/src/import/run.ts).
 */
export interface ImportJobItem<Counts = Record<string, unknown>, Result = Record<string, unknown>>
  extends JobProgress<Counts> {
  format: string;
  /** SHA-256 of the file and of the outcome-deciding options: a resume must send the same. */
  fileHash: string;
  settings: string;
  notImported: Result[];
}

/**
 * Import jobs in the user table (`IMPORT#<id>` / `JOB`), expiring by TTL after `retentionDays`.
 * Progress is two small updates per user: the user about to be written, then the new counts
 * (and the user's result when it was skipped or failed).
 */
export class DynamoImportJobStore<Counts, Result> extends DynamoJobStore<
  ImportJobItem<Counts, Result>,
  Counts,
  Result
> {
  constructor(db: DynamoDBDocumentClient, tableName: string, retentionDays = 30) {
    super(
      db,
      tableName,
      {
        label: "import job",
        kind: "import-job",
        key: (id) => ({ partition: itemKeys.importJob(id), sort: itemKeys.importJobState }),
        resultsAttribute: "notImported",
      },
      retentionDays,
    );
  }
}
