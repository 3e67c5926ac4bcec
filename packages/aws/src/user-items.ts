import {
  type EventOptions,
  type LifecycleEvent,
  lifecycleEventsFor,
  parseLifecycleEvent,
  type RecordChange,
  retentionDefaults,
  searchTextOf,
  type UserRecord,
} from "@cognito-lifecycle/core";
import { itemKeys, userTable } from "./table.ts";

/**
 * The item codecs of the user table: how a record, its role memberships and its audit events are
 * written as items, and read back. The store, the directory, the retention job and the tests use
 * these; nothing else builds an item.
 */

/** The fields of a user listing's row: every listing reads these, and only these. */
export const listingFields = [
  "sub",
  "email",
  "name",
  "roles",
  "status",
  "source",
  "createdAt",
  "lastSignInAt",
] as const;

/**
 * Read with every listing row but not exported (the CSV's columns are `listingFields`); like
 * `lastSignInAt`, a sign-in rewrites them on the profile alone, so role entries do not copy them.
 */
export const listingFlags = ["invitePending"] as const;

/** One row of a user listing. */
export type UserSummary = Pick<
  UserRecord,
  "sub" | "email" | "name" | "roles" | "status" | "source" | "createdAt" | "invitePending"
> & {
  lastSignInAt?: string;
};

/**
 * What a role entry copies from the profile, so "users with role X" is one query: the listing's
 * fields but `lastSignInAt`, which every sign-in rewrites on the profile alone (one write per
 * sign-in); a role listing reads it from the profiles. `emailNormalised` serves exports.
 */
const roleSummaryFields = [
  ...listingFields.filter((field) => field !== "lastSignInAt"),
  "emailNormalised",
] as const;

/**
 * The audit item's attribute that carries the lifecycle events of its change, as JSON: the
 * outbox. Written in the same transaction as the change, so an event exists iff its change
 * committed; the events function reads it from the table's stream.
 */
export const outboxAttribute = "lifecycleEvents";

/**
 * The folded email and name (`searchTextOf`) on every profile and role item, which a search
 * matches with `contains()`. Derived from the record on every write, like the index keys, so it
 * is not part of the record read back.
 */
export const searchTextAttribute = "searchText";

const keyFields = new Set<string>([
  // Not part of the audit entry an admin reads: the events it yielded are delivered, not listed.
  outboxAttribute,
  searchTextAttribute,
  userTable.partitionKey,
  userTable.sortKey,
  ...Object.values(userTable.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  "kind",
  userTable.ttlAttribute,
]);

/**
 * DynamoDB caps an index sort key at 1,024 bytes. Cognito accepts longer email attributes (an
 * admin or an IdP can set one), so such an address stays on the record but out of the email
 * index: its user can still sign in, only email-prefix search will not find them.
 */
function indexable(email: string): boolean {
  return Buffer.byteLength(email, "utf8") <= 1024;
}

export function profileItem(record: UserRecord): Record<string, unknown> {
  const { byStatusOrRole, byEmail, byCreated } = userTable.indexes;
  const created = itemKeys.created(record.createdAt, record.sub);
  return {
    ...record,
    [userTable.partitionKey]: itemKeys.user(record.sub),
    [userTable.sortKey]: itemKeys.profile,
    kind: "profile",
    [searchTextAttribute]: searchTextOf(record),
    [byStatusOrRole.partitionKey]: itemKeys.status(record.status),
    [byStatusOrRole.sortKey]: created,
    ...(record.emailNormalised && indexable(record.emailNormalised)
      ? {
          [byEmail.partitionKey]: itemKeys.emailShard(record.emailNormalised),
          [byEmail.sortKey]: record.emailNormalised,
        }
      : {}),
    [byCreated.partitionKey]: itemKeys.allUsers,
    [byCreated.sortKey]: created,
  };
}

export function roleItem(record: UserRecord, role: string): Record<string, unknown> {
  const { byStatusOrRole } = userTable.indexes;
  const summary = Object.fromEntries(
    roleSummaryFields.flatMap((field) => (record[field] === undefined ? [] : [[field, record[field]]])),
  );
  return {
    ...summary,
    role,
    [userTable.partitionKey]: itemKeys.user(record.sub),
    [userTable.sortKey]: itemKeys.role(role),
    kind: "role",
    [searchTextAttribute]: searchTextOf(record),
    [byStatusOrRole.partitionKey]: itemKeys.roleIndex(role),
    [byStatusOrRole.sortKey]: itemKeys.created(record.createdAt, record.sub),
  };
}

/**
 * The audit item of a change, carrying the events the change yields (`lifecycleEventsFor`).
 * Every writer of an audit entry builds it here, so no change can commit without its events.
 * Every audit item expires (table TTL) `retentionDays` after it happened.
 */
export function auditItem(
  change: RecordChange,
  retentionDays: number = retentionDefaults.auditDays,
  options: EventOptions = {},
): Record<string, unknown> {
  const event = change.audit;
  const { byStatusOrRole, byEmail, byCreated } = userTable.indexes;
  const order = `${event.at}#${event.id}`;
  const events = lifecycleEventsFor(change, options);
  return {
    ...event,
    [userTable.partitionKey]: itemKeys.user(event.sub),
    [userTable.sortKey]: itemKeys.audit(event.at, event.id),
    kind: "audit",
    [byStatusOrRole.partitionKey]: itemKeys.actor(event.actor),
    [byStatusOrRole.sortKey]: order,
    [byEmail.partitionKey]: itemKeys.action(event.action),
    [byEmail.sortKey]: order,
    [byCreated.partitionKey]: itemKeys.allAudit,
    [byCreated.sortKey]: order,
    [userTable.ttlAttribute]: Math.floor(Date.parse(event.at) / 1000) + retentionDays * 86_400,
    ...(events.length > 0 ? { [outboxAttribute]: JSON.stringify(events) } : {}),
  };
}

/** The lifecycle events an item carries: none unless it is an audit item with an outbox. */
export function outboxEvents(item: Record<string, unknown>): LifecycleEvent[] {
  const outbox = item[outboxAttribute];
  if (item.kind !== "audit" || typeof outbox !== "string") return [];
  const events: unknown = JSON.parse(outbox);
  return Array.isArray(events) ? events.map(parseLifecycleEvent) : [];
}

/**
 * Profile fields the triggers write without a version bump (sign-in, password change, welcome
 * email). A versioned rewrite must leave them as they are now, not as they were when it read
 * the record: putting back a stale `welcomeEmail` would make reconcile send the email again.
 */
const triggerOwnedFields = new Set<string>([
  "lastSignInAt",
  "signIns",
  "idpGroupsAt",
  "passwordChangedAt",
  "welcomeEmail",
]);

/**
 * The update expression that turns the stored profile `before` into `after`, conditional on
 * `before`'s version: it sets every attribute of `after` (index keys included, so the indexes
 * follow) and removes those `after` no longer has, leaving the trigger-owned fields alone.
 */
export function profileUpdate(
  before: UserRecord,
  after: UserRecord,
): {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} {
  const next = profileItem(after);
  const previous = profileItem(before);
  const untouched = (field: string) =>
    field === userTable.partitionKey || field === userTable.sortKey || triggerOwnedFields.has(field);
  const placeholders = new Map<string, string>();
  const name = (field: string) => {
    const existing = placeholders.get(field);
    if (existing) return existing;
    const placeholder = `#f${placeholders.size}`;
    placeholders.set(field, placeholder);
    return placeholder;
  };
  const values: Record<string, unknown> = { ":expected": before.version };
  const set: string[] = [];
  for (const [field, value] of Object.entries(next)) {
    if (untouched(field) || value === undefined) continue;
    const placeholder = `:v${set.length}`;
    values[placeholder] = value;
    set.push(`${name(field)} = ${placeholder}`);
  }
  const remove = Object.keys(previous)
    .filter((field) => !untouched(field) && next[field] === undefined)
    .map(name);
  return {
    UpdateExpression: `SET ${set.join(", ")}${remove.length > 0 ? ` REMOVE ${remove.join(", ")}` : ""}`,
    ConditionExpression: `${name("version")} = :expected`,
    ExpressionAttributeNames: Object.fromEntries(
      [...placeholders].map(([field, placeholder]) => [placeholder, field]),
    ),
    ExpressionAttributeValues: values,
  };
}

/** Strips the storage keys from an item. */
export function fromItem<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !keyFields.has(key))) as T;
}
