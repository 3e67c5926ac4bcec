import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { itemKeys, userTable } from "./table.ts";
import { reachTable } from "./table-calls.ts";

export type JobStatus = "running" | "incomplete" | "finished";

/**
 * What every admin API job item holds (imports, bulk actions): who started it, where it stands
 * and its counts. A run works inside one request for a bounded time and leaves the job
 * `incomplete` for the client to continue; `next` is how far it got.
 */
export interface JobProgress<Counts> {
  id: string;
  status: JobStatus;
  actor: string;
  total: number;
  startedAt: string;
  updatedAt: string;
  next: number;
  inFlight?: number;
  counts: Counts;
}

/** Where a kind of job lives: its item keys, its `kind` attribute, and its list of per-item results. */
export interface JobKind {
  label: string;
  kind: string;
  key: (id: string) => { partition: string; sort: string };
  /** The list attribute a finished item's result is appended to (only results worth listing). */
  resultsAttribute: string;
}

/** Bulk actions of the admin API (`BULK#<id>` / `JOB`): their users skipped or failed are listed. */
export const bulkJobKind: JobKind = {
  label: "bulk job",
  kind: "bulk-job",
  key: (id) => ({ partition: itemKeys.bulkJob(id), sort: itemKeys.bulkJobState }),
  resultsAttribute: "failures",
};

const { partitionKey: pk, sortKey: sk, ttlAttribute } = userTable;

/**
 * Job items in the user table, expiring by TTL after `retentionDays`. Progress is small
 * conditional updates: the item about to be worked on, then the new counts (and its result
 * when it is worth listing). One store for every kind of job, so imports and bulk actions
 * checkpoint, resume and report the same way.
 */
export class DynamoJobStore<Job extends JobProgress<Counts>, Counts, Result> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly jobKind: JobKind,
    private readonly retentionDays = 30,
  ) {}

  private keyOf(id: string) {
    const { partition, sort } = this.jobKind.key(id);
    return { [pk]: partition, [sk]: sort };
  }

  async create(job: Job): Promise<void> {
    const expiresAt = Math.floor(Date.parse(job.startedAt) / 1000) + this.retentionDays * 86_400;
    await reachTable(`${this.jobKind.label} write`, () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.keyOf(job.id), kind: this.jobKind.kind, ...job, [ttlAttribute]: expiresAt },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": pk },
        }),
      ),
    );
  }

  async get(id: string): Promise<Job | undefined> {
    const result = await reachTable(`${this.jobKind.label} read`, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: this.keyOf(id), ConsistentRead: true })),
    );
    if (!result.Item) return undefined;
    const { [pk]: _pk, [sk]: _sk, kind: _kind, [ttlAttribute]: _ttl, ...job } = result.Item;
    return job as Job;
  }

  private async update(
    id: string,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<void> {
    await reachTable(`${this.jobKind.label} update`, () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.keyOf(id),
          UpdateExpression: expression,
          ConditionExpression: "attribute_exists(#pk)",
          // DynamoDB refuses a name the expressions do not use.
          ExpressionAttributeNames: {
            "#pk": pk,
            ...(expression.includes("#status") ? { "#status": "status" } : {}),
            ...(expression.includes("#next") ? { "#next": "next" } : {}),
            ...names,
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

  /** The item at `next - 1` is done: new counts, its result when given, and any job fields in `set`. */
  done(
    id: string,
    progress: { next: number; counts: Counts; result?: Result; set?: Record<string, unknown> },
    at: string,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":next": progress.next, ":counts": progress.counts, ":at": at };
    let expression = "SET #next = :next, counts = :counts, updatedAt = :at";
    if (progress.result) {
      names["#results"] = this.jobKind.resultsAttribute;
      values[":result"] = [progress.result];
      expression += ", #results = list_append(#results, :result)";
    }
    Object.entries(progress.set ?? {}).forEach(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      expression += `, #f${index} = :f${index}`;
    });
    return this.update(id, `${expression} REMOVE inFlight`, values, names);
  }

  setStatus(id: string, status: JobStatus, at: string): Promise<void> {
    return this.update(id, "SET #status = :status, updatedAt = :at", { ":status": status, ":at": at });
  }
}
