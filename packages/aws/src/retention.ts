import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditEvent, retentionDefaults, type UserRecord } from "@cognito-lifecycle/core";
import { itemKeys, userTable } from "./table.ts";
import { isConditionFailure } from "./table-calls.ts";
import { auditItem, fromItem, profileItem, roleItem } from "./user-items.ts";

/**
 * What a scrubbed profile keeps: an allow-list, so a personal field added to the record later is
 * removed too. Everything else (email, name, locale, identities, username, ...) goes.
 */
const keptFields = [
  "sub",
  "status",
  "roles",
  "groups",
  "source",
  "createdAt",
  "confirmedAt",
  "lastSignInAt",
  "passwordChangedAt",
  "updatedAt",
  "version",
] as const satisfies readonly (keyof UserRecord)[];

/** A scrubbed profile is still a valid record; `scrubbedAt` marks it and keeps the job idempotent. */
export type ScrubbedRecord = UserRecord & { scrubbedAt: string };

export function scrubbedRecord(record: UserRecord, now: string): ScrubbedRecord {
  const kept = Object.fromEntries(
    keptFields.flatMap((field) => (record[field] === undefined ? [] : [[field, record[field]]])),
  ) as Pick<UserRecord, (typeof keptFields)[number]>;
  return {
    ...kept,
    // Cognito usernames of federated users embed the IdP's user id: the sub stands in for it.
    username: record.sub,
    emailVerified: false,
    identities: [],
    version: record.version + 1,
    scrubbedAt: now,
  };
}

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
 * (deleted profiles only, never a Scan), then rewrites each profile and its role entries in one
 * transaction conditional on the version read and on not being scrubbed yet: running it twice,
 * or two runs at once, scrubs each profile exactly once.
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

async function scrubOne(
  db: DynamoDBDocumentClient,
  tableName: string,
  record: UserRecord,
  cutoff: string,
  options: ScrubOptions,
): Promise<boolean> {
  const now = options.now.toISOString();
  const after = scrubbedRecord(record, now);
  const event: AuditEvent = {
    sub: record.sub,
    id: options.newId(),
    at: now,
    actor: "system:retention",
    action: "user.scrubbed",
    details: { deletedBefore: cutoff },
  };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            // A Put, not an Update: every attribute not in the scrubbed record (index keys included) goes.
            Put: {
              TableName: tableName,
              Item: profileItem(after),
              ConditionExpression:
                "#status = :deleted AND #version = :version AND updatedAt < :cutoff AND attribute_not_exists(scrubbedAt)",
              ExpressionAttributeNames: { "#status": "status", "#version": "version" },
              ExpressionAttributeValues: {
                ":deleted": "deleted",
                ":version": record.version,
                ":cutoff": cutoff,
              },
            },
          },
          // Role entries copy the email and name for listings: rewrite them from the scrubbed record.
          ...after.roles.map((role) => ({ Put: { TableName: tableName, Item: roleItem(after, role) } })),
          {
            Put: {
              TableName: tableName,
              Item: auditItem({ audit: event, before: record, after }, options.auditDays),
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
