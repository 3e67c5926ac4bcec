import { createHash } from "node:crypto";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  type AuditEvent,
  domainNeedles,
  normaliseEmail,
  parseUserSearch,
  type UserRecord,
  type UserSortOrder,
  type UserSource,
  type UserStatus,
} from "@cognito-lifecycle/core";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor.ts";
import { itemKeys, userTable } from "./table.ts";
import { reachTable } from "./table-calls.ts";
import {
  fromItem,
  listingFields,
  listingFlags,
  searchTextAttribute,
  type UserSummary,
} from "./user-items.ts";
import type { Page } from "./user-store.ts";

export interface UserFilter {
  /**
   * Normalised emails starting with this: the email index's key (in email order), or a filter on
   * whatever key `q` or the other filters choose; with a whole-email `q`, decided without a query.
   */
  emailPrefix?: string;
  /**
   * A search (`parseUserSearch`): a sub (one item read), a whole email (the email index), an
   * `@domain` or any other text (matched in the folded email and name, under the read budget).
   */
  q?: string;
  /** Newest first (the default), oldest first, or by email A to Z (see `emailShardOrder`). */
  sort?: UserSortOrder;
  role?: string;
  status?: UserStatus;
  source?: UserSource;
  /** Inclusive lower bound on `createdAt`: an ISO date or date-time. */
  createdFrom?: string;
  /** Inclusive upper bound on `createdAt`: a date includes that whole day. */
  createdTo?: string;
  /** Leaves out deleted users (ignored when `status` names one). */
  hideDeleted?: boolean;
}

/** One page of a user listing; `searched`: index entries a filtered page read to find its rows. */
export interface UserPage extends Page<UserSummary> {
  searched?: number;
}

/**
 * The email index's partitions in email order: one per first character of a normalised address.
 * Normalised addresses are lower-case, so A-Z never start one. An address starting with a
 * character outside printable ASCII is in a partition this walk does not know, so the email
 * order leaves it out (docs/admin.md says so).
 */
export const emailShardOrder: readonly string[] = Array.from({ length: 0x7e - 0x20 }, (_, index) =>
  String.fromCharCode(0x21 + index),
).filter((char) => !/[A-Z]/.test(char));

/** A count of the users matching a filter; `exact: false` means "at least `count`". */
export interface UserCount {
  count: number;
  exact: boolean;
}

export interface AuditFilter {
  /** The user the events concern (their sub). */
  sub?: string;
  actor?: string;
  action?: string;
  /** Inclusive bounds on the event time: ISO dates or date-times (`to` includes that whole day). */
  from?: string;
  to?: string;
}

/** A user as an audit listing names them. */
export interface PersonName {
  email?: string;
  name?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface DirectoryOptions {
  /**
   * Items a filtered listing may read per request before it answers with what it found and a
   * cursor, so a rare filter over a large table costs a bounded amount per page.
   */
  readBudget?: number;
  /** Index items a count may read; past it the count is a lower bound ("1000+"). */
  countBudget?: number;
}

type IndexName = (typeof userTable.indexes)[keyof typeof userTable.indexes];
/** The table's own key, for a query on one user's items. */
const baseTable = {
  name: undefined,
  partitionKey: userTable.partitionKey,
  sortKey: userTable.sortKey,
} as const;

/** How one listing is served: one index, one key condition, the rest as a filter. */
interface QueryPlan {
  index: IndexName | typeof baseTable;
  keyCondition: string;
  filter?: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  /** Newest first on the time-ordered indexes; a prefix search reads in email order. */
  forward: boolean;
  /** Attributes to read; the index and table keys are added so a page can end anywhere. */
  projection?: readonly string[];
  /** Served by the role-member items, which do not carry `lastSignInAt`. */
  roleItems?: boolean;
  /** Email order: the query runs once per partition of `emailShardOrder`, `:pk` set for each. */
  shards?: boolean;
  /** Decided without a query: the filter can match no one (a whole email outside the prefix). */
  matchesNothing?: boolean;
}

/** The upper bound that makes a date (or any prefix of an ISO time) inclusive. */
const through = (value: string) => `${value}\uffff`;

function scopeOf(kind: string, filter: object): string {
  const digest = createHash("sha256").update(JSON.stringify(filter)).digest("base64url").slice(0, 16);
  return `${kind}:${digest}`;
}

function projectionFor(
  index: QueryPlan["index"],
  attributes: readonly string[],
  names: Record<string, string>,
): string {
  // A query on the table itself has the table's keys as its index keys: name each once.
  const keys = [userTable.partitionKey, userTable.sortKey, index.partitionKey, index.sortKey];
  return [...new Set([...attributes, ...keys])]
    .map((attribute) => {
      const alias = `#p_${attribute}`;
      names[alias] = attribute;
      return alias;
    })
    .join(", ");
}

interface QueryKey {
  index: IndexName | typeof baseTable;
  keyCondition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  forward: boolean;
  createdInKey: boolean;
  shards?: boolean;
  /** The key itself holds the email prefix (a prefix query, or a whole email that starts with it). */
  prefixInKey?: boolean;
  matchesNothing?: boolean;
}

/** The exact keys a search can use: a sub is one profile, a whole email one email-index entry. */
function searchKey(filter: UserFilter): QueryKey | undefined {
  const search = filter.q ? parseUserSearch(filter.q) : undefined;
  if (search?.kind === "sub") {
    return {
      index: baseTable,
      keyCondition: "#pk = :pk AND #sk = :sk",
      names: { "#pk": baseTable.partitionKey, "#sk": baseTable.sortKey },
      values: { ":pk": itemKeys.user(search.sub), ":sk": itemKeys.profile },
      forward: true,
      createdInKey: false,
    };
  }
  if (search?.kind === "email") {
    const { byEmail } = userTable.indexes;
    const email = normaliseEmail(search.email);
    // The key is one address: the prefix is decided here, as the email index holds it normalised.
    const prefix = filter.emailPrefix === undefined ? undefined : normaliseEmail(filter.emailPrefix);
    return {
      index: byEmail,
      keyCondition: "#pk = :pk AND #sk = :email",
      names: { "#pk": byEmail.partitionKey, "#sk": byEmail.sortKey },
      values: { ":pk": itemKeys.emailShard(email), ":email": email },
      forward: true,
      createdInKey: false,
      prefixInKey: true,
      ...(prefix !== undefined && !email.startsWith(prefix) ? { matchesNothing: true } : {}),
    };
  }
  return undefined;
}

/** The index and key condition of a user listing: the most selective key wins. */
function userQueryKey(filter: UserFilter): QueryKey {
  const { byStatusOrRole, byEmail, byCreated } = userTable.indexes;
  const exact = searchKey(filter);
  if (exact) return exact;
  if (filter.emailPrefix) {
    const prefix = normaliseEmail(filter.emailPrefix);
    return {
      index: byEmail,
      keyCondition: "#pk = :pk AND begins_with(#sk, :prefix)",
      names: { "#pk": byEmail.partitionKey, "#sk": byEmail.sortKey },
      values: { ":pk": itemKeys.emailShard(prefix), ":prefix": prefix },
      forward: true,
      createdInKey: false,
      prefixInKey: true,
    };
  }
  if (filter.sort === "email") {
    return {
      index: byEmail,
      keyCondition: "#pk = :pk",
      names: { "#pk": byEmail.partitionKey },
      values: {},
      forward: true,
      createdInKey: false,
      shards: true,
    };
  }
  const [index, pk] = filter.role
    ? [byStatusOrRole, itemKeys.roleIndex(filter.role)]
    : filter.status
      ? [byStatusOrRole, itemKeys.status(filter.status)]
      : [byCreated, itemKeys.allUsers];
  return {
    index,
    keyCondition: "#pk = :pk",
    names: { "#pk": index.partitionKey },
    values: { ":pk": pk },
    forward: filter.sort === "oldest",
    createdInKey: true,
  };
}

/** The FilterExpression part of a text or domain search: `contains()` on the folded email and name. */
function searchFilter(filter: UserFilter, names: Record<string, string>, values: Record<string, unknown>) {
  const search = filter.q ? parseUserSearch(filter.q) : undefined;
  if (search?.kind !== "text" && search?.kind !== "domain") return undefined;
  names["#searchText"] = searchTextAttribute;
  if (search.kind === "text") {
    values[":text"] = search.text;
    return "contains(#searchText, :text)";
  }
  const [exact, subdomains] = domainNeedles(search.domain);
  values[":domain"] = exact;
  values[":subdomains"] = subdomains;
  return "(contains(#searchText, :domain) OR contains(#searchText, :subdomains))";
}

/** Plans the one index query that serves a user listing; the most selective key wins. */
export function planUserQuery(filter: UserFilter): QueryPlan {
  const { byStatusOrRole } = userTable.indexes;
  const key = userQueryKey(filter);
  const { index, names, values, forward, createdInKey } = key;
  let keyCondition = key.keyCondition;
  const filters: string[] = [];
  const search = searchFilter(filter, names, values);
  if (search) filters.push(search);
  // Every other key (a sub, a role, a status, the creation or email order) filters by the prefix.
  if (filter.emailPrefix && !key.prefixInKey) {
    names["#emailNormalised"] = "emailNormalised";
    values[":prefix"] = normaliseEmail(filter.emailPrefix);
    filters.push("begins_with(#emailNormalised, :prefix)");
  }

  if (createdInKey && (filter.createdFrom || filter.createdTo)) {
    names["#sk"] = index.sortKey;
    if (filter.createdFrom && filter.createdTo) {
      values[":from"] = filter.createdFrom;
      values[":to"] = through(filter.createdTo);
      keyCondition += " AND #sk BETWEEN :from AND :to";
    } else if (filter.createdFrom) {
      values[":from"] = filter.createdFrom;
      keyCondition += " AND #sk >= :from";
    } else {
      values[":to"] = through(filter.createdTo as string);
      keyCondition += " AND #sk <= :to";
    }
  } else if (filter.createdFrom || filter.createdTo) {
    names["#createdAt"] = "createdAt";
    if (filter.createdFrom) {
      values[":from"] = filter.createdFrom;
      filters.push("#createdAt >= :from");
    }
    if (filter.createdTo) {
      values[":to"] = through(filter.createdTo);
      filters.push("#createdAt <= :to");
    }
  }
  if (filter.role && index !== byStatusOrRole) {
    names["#roles"] = "roles";
    values[":role"] = filter.role;
    filters.push("contains(#roles, :role)");
  }
  if (filter.status && values[":pk"] !== itemKeys.status(filter.status)) {
    names["#status"] = "status";
    values[":status"] = filter.status;
    filters.push("#status = :status");
  }
  if (filter.hideDeleted && !filter.status) {
    names["#status"] = "status";
    values[":deleted"] = "deleted";
    filters.push("#status <> :deleted");
  }
  if (filter.source) {
    names["#source"] = "source";
    values[":source"] = filter.source;
    filters.push("#source = :source");
  }
  return {
    index,
    keyCondition,
    ...(filters.length > 0 ? { filter: filters.join(" AND ") } : {}),
    names,
    values,
    forward,
    projection: [...listingFields, ...listingFlags],
    ...(filter.role && index === byStatusOrRole ? { roleItems: true } : {}),
    ...(key.shards ? { shards: true } : {}),
    ...(key.matchesNothing ? { matchesNothing: true } : {}),
  };
}

/**
 * The key condition's time range on a sort key `<prefix><at>#<id>`, inclusive of `to`'s whole
 * day. With a prefix (one user's items) both bounds are always set, so the range never reaches
 * the user's profile or role items.
 */
function auditTimeRange(
  filter: AuditFilter,
  prefix: string,
  values: Record<string, unknown>,
): string | undefined {
  if (!filter.from && !filter.to && !prefix) return undefined;
  if (filter.from || prefix) values[":from"] = `${prefix}${filter.from ?? ""}`;
  if (filter.to || prefix) values[":to"] = through(`${prefix}${filter.to ?? ""}`);
  if (values[":from"] !== undefined && values[":to"] !== undefined) return "#sk BETWEEN :from AND :to";
  return filter.from ? "#sk >= :from" : "#sk <= :to";
}

/**
 * Plans the one query that serves an audit listing, newest first: one user's items on the
 * table, else the actor, action or all-events index; the time range is in the key condition,
 * the other filters a FilterExpression.
 */
export function planAuditQuery(filter: AuditFilter): QueryPlan {
  const { byStatusOrRole, byEmail, byCreated } = userTable.indexes;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  let index: QueryPlan["index"];
  if (filter.sub) {
    index = baseTable;
    values[":pk"] = itemKeys.user(filter.sub);
  } else if (filter.actor) {
    index = byStatusOrRole;
    values[":pk"] = itemKeys.actor(filter.actor);
  } else if (filter.action) {
    index = byEmail;
    values[":pk"] = itemKeys.action(filter.action);
  } else {
    index = byCreated;
    values[":pk"] = itemKeys.allAudit;
  }
  if (filter.actor && index !== byStatusOrRole) {
    names["#actor"] = "actor";
    values[":actor"] = filter.actor;
    filters.push("#actor = :actor");
  }
  if (filter.action && index !== byEmail) {
    names["#action"] = "action";
    values[":action"] = filter.action;
    filters.push("#action = :action");
  }
  names["#pk"] = index.partitionKey;
  const prefix = index === baseTable ? itemKeys.auditPrefix : "";
  let keyCondition = "#pk = :pk";
  const range = auditTimeRange(filter, prefix, values);
  if (range) {
    names["#sk"] = index.sortKey;
    keyCondition += ` AND ${range}`;
  }
  return {
    index,
    keyCondition,
    ...(filters.length > 0 ? { filter: filters.join(" AND ") } : {}),
    names,
    values,
    forward: false,
  };
}

/**
 * Read-only views over the user table for admins: listings by creation time, role, status or
 * email prefix, the audit feed by actor or action, and lookups by email. Each listing is a Query
 * on one of the table's overloaded indexes (never a Scan), with any further filters applied by
 * DynamoDB as a FilterExpression.
 */
export class UserDirectory {
  private readonly readBudget: number;
  private readonly countBudget: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    options: DirectoryOptions = {},
  ) {
    this.readBudget = options.readBudget ?? 3000;
    this.countBudget = options.countBudget ?? 1000;
  }

  private input(plan: QueryPlan, limit: number, startKey?: Record<string, unknown>): QueryCommandInput {
    const names = { ...plan.names };
    const projection = plan.projection ? projectionFor(plan.index, plan.projection, names) : undefined;
    return {
      TableName: this.tableName,
      ...(plan.index.name ? { IndexName: plan.index.name } : {}),
      KeyConditionExpression: plan.keyCondition,
      ...(plan.filter ? { FilterExpression: plan.filter } : {}),
      ...(projection ? { ProjectionExpression: projection } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: plan.values,
      ScanIndexForward: plan.forward,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    };
  }

  /** The index position of an item, usable as an ExclusiveStartKey. */
  private keyOf(plan: QueryPlan, item: Record<string, unknown>): Record<string, unknown> {
    const attributes = [
      userTable.partitionKey,
      userTable.sortKey,
      plan.index.partitionKey,
      plan.index.sortKey,
    ];
    return Object.fromEntries(attributes.map((attribute) => [attribute, item[attribute]]));
  }

  /**
   * Up to `limit` items (and one more, to know whether there are more) from `startKey`. Without a
   * filter that is a single request; with one, the query continues (same key condition) until the
   * page is full, the index is exhausted, or `budget` index entries have been read.
   */
  private async collect(
    plan: QueryPlan,
    limit: number,
    startKey: Record<string, unknown> | undefined,
    budget: number,
  ): Promise<{ found: Record<string, unknown>[]; next?: Record<string, unknown>; read: number }> {
    const found: Record<string, unknown>[] = [];
    let read = 0;
    let next = startKey;
    for (let round = 1; ; round++) {
      // A filtered page reads a little more than it needs, then more each round the filter is selective.
      const missing = limit + 1 - found.length;
      const batch = plan.filter
        ? Math.max(missing, Math.min(1000, budget - read, missing * 2 ** round))
        : missing;
      const result = await this.query(this.input(plan, batch, next));
      read += result.ScannedCount ?? 0;
      found.push(...(result.Items ?? []));
      next = result.LastEvaluatedKey;
      if (found.length > limit || !next || read >= budget || !plan.filter)
        return { found, ...(next ? { next } : {}), read };
    }
  }

  /** One page of at most `limit` items, and the cursor of exactly where it stopped. */
  private async page(
    plan: QueryPlan,
    scope: string,
    request: PageRequest,
  ): Promise<Page<Record<string, unknown>> & { read: number }> {
    const limit = request.limit ?? 25;
    const { found, next, read } = await this.collect(
      plan,
      limit,
      decodeCursor(request.cursor, scope),
      this.readBudget,
    );
    if (found.length > limit) {
      const items = found.slice(0, limit);
      const last = this.keyOf(plan, items[items.length - 1] as Record<string, unknown>);
      return { items, cursor: encodeCursor(last, scope), read };
    }
    return { items: found, ...(next ? { cursor: encodeCursor(next, scope) } : {}), read };
  }

  /**
   * A page in email order: the email index's partitions one after another (`emailShardOrder`),
   * under one read budget; the cursor holds the partition and the position in it.
   */
  private async shardedPage(
    plan: QueryPlan,
    scope: string,
    request: PageRequest,
  ): Promise<Page<Record<string, unknown>> & { read: number }> {
    const limit = request.limit ?? 25;
    const position = decodeCursor(request.cursor, scope) as {
      shard?: unknown;
      key?: Record<string, unknown>;
    };
    const first = position?.shard ?? 0;
    if (typeof first !== "number" || !Number.isInteger(first) || first < 0) throw new InvalidCursorError();
    const items: Record<string, unknown>[] = [];
    let read = 0;
    let key = position?.key;
    for (let shard = first; shard < emailShardOrder.length; shard++, key = undefined) {
      const shardPlan = {
        ...plan,
        values: { ...plan.values, ":pk": itemKeys.emailShard(emailShardOrder[shard] as string) },
      };
      const result = await this.collect(shardPlan, limit - items.length, key, this.readBudget - read);
      read += result.read;
      items.push(...result.found);
      if (items.length > limit) {
        const page = items.slice(0, limit);
        const last = this.keyOf(plan, page[page.length - 1] as Record<string, unknown>);
        return { items: page, cursor: encodeCursor({ shard, key: last }, scope) as string, read };
      }
      // The partition goes on (a full 1 MB response, or the budget is spent): continue inside it.
      if (result.next)
        return { items, cursor: encodeCursor({ shard, key: result.next }, scope) as string, read };
      const last = shard + 1 >= emailShardOrder.length;
      if (!last && (items.length === limit || read >= this.readBudget))
        return { items, cursor: encodeCursor({ shard: shard + 1 }, scope) as string, read };
    }
    return { items, read };
  }

  async listUsers(filter: UserFilter, request: PageRequest = {}): Promise<UserPage> {
    const plan = planUserQuery(filter);
    if (plan.matchesNothing) return { items: [] };
    const scope = scopeOf("users", filter);
    const page = plan.shards
      ? await this.shardedPage(plan, scope, request)
      : await this.page(plan, scope, request);
    return {
      items: await this.summaries(plan, page.items),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      ...(plan.filter ? { searched: page.read } : {}),
    };
  }

  /**
   * How many users match `filter`: `Select: COUNT` on the listing's own query, reading at most
   * `countBudget` index items, so a count costs at most as much as reading that many summaries.
   * Past the budget the answer is a lower bound (`exact: false`).
   */
  async countUsers(filter: UserFilter): Promise<UserCount> {
    // The order changes nothing in a count; the creation order needs no walk over partitions.
    const { sort: _sort, ...unordered } = filter;
    const { projection: _projection, ...plan } = planUserQuery(unordered);
    if (plan.matchesNothing) return { count: 0, exact: true };
    let count = 0;
    let read = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({ ...this.input(plan, this.countBudget - read, startKey), Select: "COUNT" }),
      );
      count += result.Count ?? 0;
      read += result.ScannedCount ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey && read < this.countBudget);
    return { count, exact: !startKey };
  }

  /** Every user matching `filter`, page by page (for exports), newest first whatever `sort` says. */
  async *eachUserPage(filter: UserFilter, pageSize = 500): AsyncGenerator<UserSummary[]> {
    const { sort: _sort, ...unordered } = filter;
    const plan = planUserQuery(unordered);
    if (plan.matchesNothing) return;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.query(this.input(plan, pageSize, startKey));
      const items = await this.summaries(plan, result.Items ?? []);
      if (items.length > 0) yield items;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  async listAudit(filter: AuditFilter, request: PageRequest = {}): Promise<Page<AuditEvent>> {
    const plan = planAuditQuery(filter);
    const page = await this.page(plan, scopeOf("audit", filter), request);
    return {
      items: page.items.map((item) => fromItem<AuditEvent>(item)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /** Profiles whose normalised email is exactly `email` (more than one only for linked-less federated twins). */
  async findByEmail(email: string): Promise<UserRecord[]> {
    const normalised = normaliseEmail(email);
    const { byEmail } = userTable.indexes;
    const result = await this.query({
      TableName: this.tableName,
      IndexName: byEmail.name,
      KeyConditionExpression: "#pk = :pk AND #sk = :email",
      ExpressionAttributeNames: { "#pk": byEmail.partitionKey, "#sk": byEmail.sortKey },
      ExpressionAttributeValues: { ":pk": itemKeys.emailShard(normalised), ":email": normalised },
    });
    return (result.Items ?? []).map((item) => fromItem<UserRecord>(item));
  }

  /**
   * The email and name of each of `subs` that has a profile: one BatchGetItem per 100 subs, so an
   * audit page names its users and actors in one round trip, not one read per row.
   */
  async namesOf(subs: readonly string[]): Promise<Map<string, PersonName>> {
    const names = new Map<string, PersonName>();
    const profiles = await this.profiles(subs, {
      ProjectionExpression: "#sub, #email, #name",
      ExpressionAttributeNames: { "#sub": "sub", "#email": "email", "#name": "name" },
    });
    for (const profile of profiles) {
      names.set(String(profile.sub), {
        ...(typeof profile.email === "string" ? { email: profile.email } : {}),
        ...(typeof profile.name === "string" ? { name: profile.name } : {}),
      });
    }
    return names;
  }

  /** Strongly consistent profiles for up to 100 subs per request; missing subs are absent from the map. */
  async getMany(subs: readonly string[]): Promise<Map<string, UserRecord>> {
    const records = new Map<string, UserRecord>();
    for (const item of await this.profiles(subs, { ConsistentRead: true })) {
      const record = fromItem<UserRecord>(item);
      records.set(record.sub, record);
    }
    return records;
  }

  /** The profiles of `subs` (or the fields `read` projects), up to 100 per BatchGetItem. */
  private async profiles(
    subs: readonly string[],
    read: {
      ConsistentRead?: boolean;
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
    },
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    const unique = [...new Set(subs)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + 100).map((sub) => ({
        [userTable.partitionKey]: itemKeys.user(sub),
        [userTable.sortKey]: itemKeys.profile,
      }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error("DynamoDB left keys unprocessed after repeated retries");
        const result = await reachTable("read", () =>
          this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ...read } } })),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /**
   * Listing rows from the items a plan read. Rows from role-member items get `lastSignInAt` and
   * `invitePending` from the profiles (one BatchGetItem per page): sign-ins write them there only.
   */
  private async summaries(plan: QueryPlan, items: Record<string, unknown>[]): Promise<UserSummary[]> {
    const rows = items.map((item) => fromItem<UserSummary>(item));
    if (!plan.roleItems || rows.length === 0) return rows;
    const fromProfiles = new Map<string, Pick<UserSummary, "lastSignInAt" | "invitePending">>();
    const profiles = await this.profiles(
      rows.map((row) => row.sub),
      {
        ProjectionExpression: "#sub, #last, #invite",
        ExpressionAttributeNames: { "#sub": "sub", "#last": "lastSignInAt", "#invite": "invitePending" },
      },
    );
    for (const profile of profiles) {
      fromProfiles.set(String(profile.sub), {
        ...(typeof profile.lastSignInAt === "string" ? { lastSignInAt: profile.lastSignInAt } : {}),
        ...(profile.invitePending === true ? { invitePending: true } : {}),
      });
    }
    return rows.map((row) => ({ ...row, ...fromProfiles.get(row.sub) }));
  }

  private query(input: QueryCommandInput) {
    return reachTable("query", () => this.db.send(new QueryCommand(input)));
  }

  /**
   * One page of the profiles written before search existed (no search text), oldest first, from
   * the creation index, with what `UserRecords.backfillSearch` needs; `startKey` is the previous
   * page's `nextKey`. Reads every profile once over a whole run (a one-off).
   */
  async withoutSearchText(
    startKey?: Record<string, unknown>,
    pageSize = 500,
  ): Promise<{
    items: Pick<UserRecord, "sub" | "email" | "name" | "roles" | "version">[];
    nextKey?: Record<string, unknown>;
  }> {
    const { byCreated } = userTable.indexes;
    const result = await this.query({
      TableName: this.tableName,
      IndexName: byCreated.name,
      KeyConditionExpression: "#pk = :pk",
      FilterExpression: "attribute_not_exists(#text)",
      ProjectionExpression: "#sub, #email, #name, #roles, #version",
      ExpressionAttributeNames: {
        "#pk": byCreated.partitionKey,
        "#text": searchTextAttribute,
        "#sub": "sub",
        "#email": "email",
        "#name": "name",
        "#roles": "roles",
        "#version": "version",
      },
      ExpressionAttributeValues: { ":pk": itemKeys.allUsers },
      ScanIndexForward: true,
      Limit: pageSize,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    return {
      items: (result.Items ?? []).map((item) =>
        fromItem<Pick<UserRecord, "sub" | "email" | "name" | "roles" | "version">>(item),
      ),
      ...(result.LastEvaluatedKey ? { nextKey: result.LastEvaluatedKey } : {}),
    };
  }

  /**
   * One page of (sub, username) for the profiles in `status`, oldest first, from the status index;
   * `startKey` is the previous page's `nextKey`.
   */
  async subsWithStatus(
    status: UserStatus,
    startKey?: Record<string, unknown>,
    pageSize = 500,
  ): Promise<{ items: { sub: string; username: string }[]; nextKey?: Record<string, unknown> }> {
    const { byStatusOrRole } = userTable.indexes;
    const result = await this.query({
      TableName: this.tableName,
      IndexName: byStatusOrRole.name,
      KeyConditionExpression: "#pk = :pk",
      ProjectionExpression: "#sub, #username",
      ExpressionAttributeNames: {
        "#pk": byStatusOrRole.partitionKey,
        "#sub": "sub",
        "#username": "username",
      },
      ExpressionAttributeValues: { ":pk": itemKeys.status(status) },
      Limit: pageSize,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    return {
      items: (result.Items ?? []).map((item) => ({ sub: String(item.sub), username: String(item.username) })),
      ...(result.LastEvaluatedKey ? { nextKey: result.LastEvaluatedKey } : {}),
    };
  }
}
