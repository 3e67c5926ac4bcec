import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditEvent, retentionDefaults, type UserRecord } from "@cognito-lifecycle/core";
import { scrubUserData } from "./personal-data.ts";
import { itemKeys, userTable } from "./table.ts";
import { fromItem } from "./user-items.ts";

export interface ScrubOptions {
  /** When the job runs; profiles deleted before `now - deletedProfileDays` are scrubbed. */
  now: Date;
  deletedProfileDays?: number;
  /** The retention of the `user.scrubbed` audit item (config `retention.auditDays`). */
  auditDays?: number;
  /** Stop taking new pages after this epoch-ms instant (the Lambda's time budget). */
  stopAt?: number;
  /** Audit ids; random in production, fixed in tests. */
  newId: () => string;
}

export interface ScrubReport {
  scrubbed: number;
  /** Profiles another run (or a change) got to first: the conditional write refused them. */
  skipped: number;
  complete: boolean;
}

/**
 * Scrubs soft-deleted profiles past the grace period. Finds them with a Query on the status index
 * (deleted profiles only, never a Scan), then scrubs each with `scrubUserData` (the erasure's
 * code: audit entries, then the tombstone conditional on the version read and on not being
 * scrubbed yet): running it twice, or two runs at once, scrubs each profile exactly once.
 */
export async function scrubDeletedProfiles(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: ScrubOptions,
): Promise<ScrubReport> {
  const days = options.deletedProfileDays ?? retentionDefaults.deletedProfileDays;
  const cutoff = new Date(options.now.getTime() - days * 86_400_000).toISOString();
  const index = userTable.indexes.byStatusOrRole;
  const report: ScrubReport = { scrubbed: 0, skipped: 0, complete: true };
  let startKey: Record<string, unknown> | undefined;
  do {
    if (options.stopAt !== undefined && Date.now() >= options.stopAt) {
      report.complete = false;
      break;
    }
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        // The index sorts by creation: a profile created after the cutoff cannot be deleted before it.
        KeyConditionExpression: "#ipk = :deleted AND #isk < :cutoff",
        FilterExpression: "updatedAt < :cutoff AND attribute_not_exists(scrubbedAt)",
        ExpressionAttributeNames: { "#ipk": index.partitionKey, "#isk": index.sortKey },
        ExpressionAttributeValues: { ":deleted": itemKeys.status("deleted"), ":cutoff": cutoff },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const scrubbed = await scrubOne(db, tableName, fromItem<UserRecord>(item), cutoff, options);
      if (scrubbed) report.scrubbed += 1;
      else report.skipped += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return report;
}

/** One profile through the same scrub an erasure uses, if it is still deleted since before the cutoff. */
async function scrubOne(
  db: DynamoDBDocumentClient,
  tableName: string,
  record: UserRecord,
  cutoff: string,
  options: ScrubOptions,
): Promise<boolean> {
  const audit: AuditEvent = {
    sub: record.sub,
    id: options.newId(),
    at: options.now.toISOString(),
    actor: "system:retention",
    action: "user.scrubbed",
    details: { deletedBefore: cutoff },
  };
  const { tombstoned } = await scrubUserData(db, tableName, {
    record,
    audit,
    ...(options.auditDays !== undefined ? { auditDays: options.auditDays } : {}),
    condition: {
      expression: "#status = :deleted AND updatedAt < :cutoff",
      values: { ":deleted": "deleted", ":cutoff": cutoff },
    },
  });
  return tombstoned;
}
