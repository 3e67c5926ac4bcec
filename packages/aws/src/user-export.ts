import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { AuditEvent, LinkedIdentity, UserRecord, WelcomeEmailState } from "@cognito-lifecycle/core";
import { itemKeys, userTable } from "./table.ts";
import { reachTable } from "./table-calls.ts";
import { fromItem } from "./user-items.ts";

/** The export document's name and version: bump the version on any change of its shape. */
export const userExportFormat = { format: "cognito-lifecycle/user-export", version: 1 } as const;

/** A role change, from the audit trail. */
export interface RoleChangeEntry {
  at: string;
  actor: string;
  from?: unknown;
  to?: unknown;
  reason?: string;
}

/**
 * Everything the user table holds about one user, as one JSON document. `items` counts the
 * table items it was built from, so a reader can check nothing was dropped.
 */
export interface UserDataExport {
  format: typeof userExportFormat.format;
  version: typeof userExportFormat.version;
  exportedAt: string;
  sub: string;
  /** The profile (null when the table has none, e.g. a user never synced). */
  record: UserRecord | null;
  /** The role entries (one per stored role). */
  roles: Record<string, unknown>[];
  /** Derived from `audit`: every role change, oldest first. */
  roleHistory: RoleChangeEntry[];
  /** The welcome email's delivery state (the table keeps no other email history). */
  emailDelivery: { welcomeEmail: WelcomeEmailState | null };
  linkedIdentities: LinkedIdentity[];
  /** Every audit entry about the user, oldest first. */
  audit: AuditEvent[];
  /** Audit entries of changes the user made to others (as an admin), oldest first. */
  actionsTaken: AuditEvent[];
  /** Any other item in the user's partition, as stored (kinds added after this version). */
  other: Record<string, unknown>[];
  items: number;
}

async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await reachTable("query", () =>
      db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Reads every item about `sub`: the whole `USER#<sub>` partition (profile, role entries, audit
 * entries and anything added later) and, through the actor index, the audit entries of what the
 * user did to others. Those are every place the table layout (table.ts) puts a sub.
 */
export async function exportUserData(
  db: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
  now: Date,
): Promise<UserDataExport> {
  const { partitionKey, indexes } = userTable;
  const [own, acted] = await Promise.all([
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": partitionKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub) },
      ConsistentRead: true,
    }),
    queryAll(db, {
      TableName: tableName,
      IndexName: indexes.byStatusOrRole.name,
      KeyConditionExpression: "#ipk = :actor",
      ExpressionAttributeNames: { "#ipk": indexes.byStatusOrRole.partitionKey },
      ExpressionAttributeValues: { ":actor": itemKeys.actor(sub) },
    }),
  ]);
  const ofKind = (kind: string) => own.filter((item) => item.kind === kind);
  const profile = ofKind("profile")[0];
  const record = profile ? fromItem<UserRecord>(profile) : null;
  const byTime = (a: AuditEvent, b: AuditEvent) => `${a.at}#${a.id}`.localeCompare(`${b.at}#${b.id}`);
  const audit = ofKind("audit")
    .map((item) => fromItem<AuditEvent>(item))
    .sort(byTime);
  // Changes the user made to their own record are in `audit` already.
  const actionsTaken = acted
    .map((item) => fromItem<AuditEvent>(item))
    .filter((event) => event.sub !== sub)
    .sort(byTime);
  return {
    ...userExportFormat,
    exportedAt: now.toISOString(),
    sub,
    record,
    roles: ofKind("role").map((item) => fromItem<Record<string, unknown>>(item)),
    roleHistory: audit
      .filter((event) => event.action === "user.roles.set")
      .map((event) => ({
        at: event.at,
        actor: event.actor,
        from: event.details?.from,
        to: event.details?.to,
        ...(event.reason ? { reason: event.reason } : {}),
      })),
    emailDelivery: { welcomeEmail: record?.welcomeEmail ?? null },
    linkedIdentities: record?.identities ?? [],
    audit,
    actionsTaken,
    other: own.filter((item) => !["profile", "role", "audit"].includes(item.kind as string)),
    items: own.length + actionsTaken.length,
  };
}
