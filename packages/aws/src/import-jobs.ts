import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { itemKeys, userTable } from "./table.ts";
import { reachTable } from "./table-calls.ts";

export type ImportJobStatus = "running" | "incomplete" | "finished";

/**
 * One bulk import run from the admin API, and its checkpoint: where it stands, its counts and
 * every user it skipped or failed (emails masked). The imported file itself is never stored.
 * `Counts` and `Result` are the admin import's types (packages/admin/src/import/run.ts).
 */
export interface ImportJobItem<Counts = Record<string, unknown>, Result = Record<string, unknown>> {
  id: string;
  status: ImportJobStatus;
  actor: string;
  format: string;
  /** SHA-256 of the file and of the outcome-deciding options: a resume must send the same. */
  fileHash: string;
  settings: string;
  total: number;
  startedAt: string;
  updatedAt: string;
  next: number;
  inFlight?: number;
  counts: Counts;
  notImported: Result[];
}

const { partitionKey: pk, sortKey: sk, ttlAttribute } = userTable;
const key = (id: string) => ({ [pk]: itemKeys.importJob(id), [sk]: itemKeys.importJobState });

/**
 * Import jobs in the user table (`IMPORT#<id>` / `JOB`), expiring by TTL after `retentionDays`.
 * Progress is two small updates per user: the user about to be written, then the new counts
 * (and the user's result when it was skipped or failed).
 */
export class DynamoImportJobStore<Counts, Result> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays = 30,
  ) {}

  async create(job: ImportJobItem<Counts, Result>): Promise<void> {
    const expiresAt = Math.floor(Date.parse(job.startedAt) / 1000) + this.retentionDays * 86_400;
    await reachTable("import job write", () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(job.id), kind: "import-job", ...job, [ttlAttribute]: expiresAt },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": pk },
        }),
      ),
    );
  }

  async get(id: string): Promise<ImportJobItem<Counts, Result> | undefined> {
    const result = await reachTable("import job read", () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true })),
    );
    if (!result.Item) return undefined;
    const { [pk]: _pk, [sk]: _sk, kind: _kind, [ttlAttribute]: _ttl, ...job } = result.Item;
    return job as ImportJobItem<Counts, Result>;
  }

  private async update(id: string, expression: string, values: Record<string, unknown>): Promise<void> {
    await reachTable("import job update", () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(id),
          UpdateExpression: expression,
          ConditionExpression: "attribute_exists(#pk)",
          // DynamoDB refuses a name the expressions do not use.
          ExpressionAttributeNames: {
            "#pk": pk,
            ...(expression.includes("#status") ? { "#status": "status" } : {}),
            ...(expression.includes("#next") ? { "#next": "next" } : {}),
          },
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  begin(id: string, index: number, at: string): Promise<void> {
    return this.update(id, "SET inFlight = :index, updatedAt = :at, #status = :running", {
      ":index": index,
      ":at": at,
      ":running": "running",
    });
  }

  done(id: string, progress: { next: number; counts: Counts; result?: Result }, at: string): Promise<void> {
    const append = progress.result ? ", notImported = list_append(notImported, :result)" : "";
    return this.update(id, `SET #next = :next, counts = :counts, updatedAt = :at${append} REMOVE inFlight`, {
      ":next": progress.next,
      ":counts": progress.counts,
      ":at": at,
      ...(progress.result ? { ":result": [progress.result] } : {}),
    });
  }

  setStatus(id: string, status: ImportJobStatus, at: string): Promise<void> {
    return this.update(id, "SET #status = :status, updatedAt = :at", { ":status": status, ":at": at });
  }
}
