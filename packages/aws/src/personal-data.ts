import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";
import { itemKeys, userTable } from "./table.ts";
import { isConditionFailure } from "./table-calls.ts";
import { auditItem, fromItem, outboxAttribute, profileItem, roleItem } from "./user-items.ts";

/**
 * What personal data is, written once: the retention job's scrub and an admin's erase both
 * remove it through `scrubUserData`, so they cannot disagree. Both lists are allow-lists, so a
 * field added later is removed until someone decides it is not personal.
 */

/** What a scrubbed profile keeps. Everything else (email, name, locale, identities, username, ...) goes. */
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

/** Audit fields kept: who (a sub or `system:*`), what, when. `reason` is free text and goes. */
const keptAuditFields = [
  "sub",
  "id",
  "at",
  "actor",
  "action",
] as const satisfies readonly (keyof AuditEvent)[];

/** Audit details kept: field names, statuses, role names and call outcomes, never values a user typed. */
const keptDetails = new Set([
  "changes",
  "from",
  "to",
  "removed",
  "signOut",
  "cognitoUser",
  "deletedBefore",
  "items",
  "via",
]);

/**
 * A scrubbed profile is still a valid record; `scrubbedAt` marks it and keeps scrubs idempotent.
 * `erasedBy` is who asked for an erasure (absent for the retention job's scrub).
 */
export type ScrubbedRecord = UserRecord & { scrubbedAt: string; erasedBy?: string };

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

/** An audit event without its personal data, marked so a later sweep leaves it alone. */
export function scrubbedAuditEvent(event: AuditEvent, now: string): AuditEvent {
  const kept = Object.fromEntries(keptAuditFields.map((field) => [field, event[field]])) as Pick<
    AuditEvent,
    (typeof keptAuditFields)[number]
  >;
  const details = Object.entries(event.details ?? {}).filter(([key]) => keptDetails.has(key));
  return {
    ...kept,
    ...(details.length > 0 ? { details: Object.fromEntries(details) } : {}),
    scrubbedAt: now,
  };
}

export interface ScrubRequest {
  /** The profile as read; the tombstone is written only if it is still at this version. */
  record: UserRecord;
  /** The audit entry of the scrub itself (`user.scrubbed` or `user.erased`). */
  audit: AuditEvent;
  auditDays?: number;
  /** Who asked for an erasure: kept on the tombstone, which outlives the audit entry's TTL. */
  erasedBy?: string;
  /** Extra condition on the profile (the retention job: still deleted, before the cutoff). */
  condition?: { expression: string; values: Record<string, unknown> };
}

/**
 * Replaces the profile with its tombstone and rewrites its role entries (which copy the email
 * and name) in one transaction, conditional on the version read and on not being scrubbed yet;
 * the scrub's own audit entry is written with it. False when the condition refused it.
 */
export async function writeTombstone(
  db: DynamoDBDocumentClient,
  tableName: string,
  request: ScrubRequest,
): Promise<boolean> {
  const { record, audit, condition } = request;
  const after: ScrubbedRecord = {
    ...scrubbedRecord(record, audit.at),
    status: "deleted",
    ...(request.erasedBy ? { erasedBy: request.erasedBy } : {}),
  };
  const event = { ...audit, scrubbedAt: audit.at };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            // A Put, not an Update: every attribute not in the tombstone (index keys included) goes.
            Put: {
              TableName: tableName,
              Item: profileItem(after),
              ConditionExpression: `#version = :version AND attribute_not_exists(scrubbedAt)${condition ? ` AND ${condition.expression}` : ""}`,
              ExpressionAttributeNames: {
                "#version": "version",
                ...(condition ? { "#status": "status" } : {}),
              },
              ExpressionAttributeValues: { ":version": record.version, ...condition?.values },
            },
          },
          ...after.roles.map((role) => ({ Put: { TableName: tableName, Item: roleItem(after, role) } })),
          {
            Put: {
              TableName: tableName,
              Item: auditItem({ audit: event, before: record, after }, request.auditDays),
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

/**
 * Rewrites every audit entry about `sub` that still holds personal data, keeping its keys and
 * its expiry. Each rewrite is conditional on the entry still existing and not yet scrubbed, so a
 * sweep cut short is finished by the next and two sweeps at once do no harm. Returns how many
 * entries it rewrote.
 */
export async function scrubAuditEntries(
  db: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
  now: string,
): Promise<number> {
  let rewritten = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
        FilterExpression: "attribute_not_exists(scrubbedAt)",
        ExpressionAttributeNames: { "#pk": userTable.partitionKey, "#sk": userTable.sortKey },
        ExpressionAttributeValues: { ":pk": itemKeys.user(sub), ":prefix": itemKeys.auditPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      // Keys, indexes and TTL stay; the outbox goes: its events summarise the record, email and
      // name included, and an erased user's events must not be replayable.
      const storage = Object.fromEntries(
        Object.entries(item).filter(
          ([key]) => key !== outboxAttribute && !(key in fromItem<Record<string, unknown>>(item)),
        ),
      );
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...storage, ...scrubbedAuditEvent(fromItem<AuditEvent>(item), now) },
            ConditionExpression: "attribute_exists(#pk) AND attribute_not_exists(scrubbedAt)",
            ExpressionAttributeNames: { "#pk": userTable.partitionKey },
          }),
        );
        rewritten += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rewritten;
}

/**
 * Removes a user's personal data from every item the table holds about them: their audit
 * entries, then the tombstone (the last step, so a crash anywhere before it leaves a profile
 * that the next call finds unscrubbed and completes), then the audit entries once more for any
 * written in between. `tombstoned` is false when the profile's condition refused the write.
 */
export async function scrubUserData(
  db: DynamoDBDocumentClient,
  tableName: string,
  request: ScrubRequest,
): Promise<{ tombstoned: boolean; auditEntries: number }> {
  const { sub } = request.record;
  let auditEntries = await scrubAuditEntries(db, tableName, sub, request.audit.at);
  const tombstoned = await writeTombstone(db, tableName, request);
  if (tombstoned) auditEntries += await scrubAuditEntries(db, tableName, sub, request.audit.at);
  return { tombstoned, auditEntries };
}
