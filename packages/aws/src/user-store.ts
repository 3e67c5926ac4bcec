import { createHash } from "node:crypto";
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type AuditEvent,
  type LifecycleConfig,
  LifecycleError,
  retentionDefaults,
  StoreUnavailableError,
  UserNotFoundError,
  type UserRecord,
  type UserStatus,
  VersionConflictError,
  type WelcomeEmailState,
} from "@cognito-lifecycle/core";
import { type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";
import { tableName } from "./resources.ts";
import { itemKeys, userTable } from "./table.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface CallOptions {
  abortSignal?: AbortSignal;
}

export type CreateResult = "created" | "exists";

export interface CreateOptions extends CallOptions {
  /** Who creates the record and why (default `user.create`); part of the idempotency token. */
  purpose?: string;
}

/**
 * The create transaction's ClientRequestToken (at most 36 characters). DynamoDB answers a repeat
 * of the same request with the same token within 10 minutes with success and no second write;
 * the same token with other parameters is refused (IdempotentParameterMismatchException).
 */
export function createToken(sub: string, purpose: string): string {
  return createHash("sha256").update(`${purpose}\n${sub}`).digest("base64url").slice(0, 36);
}

/** Another request with the same token: an earlier, different attempt (or one still running). */
function isTokenReuse(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "IdempotentParameterMismatchException" || name === "TransactionInProgressException";
}

/** Fields of a profile that an admin or reconcile may rewrite from Cognito. */
export type SyncedFields = Partial<
  Pick<
    UserRecord,
    "email" | "emailNormalised" | "emailVerified" | "name" | "locale" | "groups" | "identities" | "username"
  >
>;

/** The application's user table. Every write is conditional, so Cognito's retries are harmless. */
export interface UserStore {
  /** Strongly consistent read of a profile. */
  get(sub: string, options?: CallOptions): Promise<UserRecord | undefined>;
  /**
   * Creates the profile (and its role entries) unless it exists, in one request whose idempotency
   * token is derived from the sub and `purpose`, so a retry of a write that committed succeeds.
   */
  create(record: UserRecord, audit?: AuditEvent, options?: CreateOptions): Promise<CreateResult>;
  /** Sets `passwordChangedAt` on an existing profile; false when there is none. */
  recordPasswordChange(sub: string, at: string, options?: CallOptions): Promise<boolean>;
  /**
   * Sets `lastSignInAt` (and `idpGroupsAt` for an IdP sign-in, which rewrote the IdP groups)
   * on an existing profile; false when there is none.
   */
  recordSignIn(sub: string, at: string, options?: CallOptions & { idpGroups?: boolean }): Promise<boolean>;
  /**
   * Moves the welcome email to `next` if it is still in `expected`; false if another
   * invocation moved it first.
   */
  transitionWelcomeEmail(
    sub: string,
    expected: readonly WelcomeEmailState["status"][],
    next: WelcomeEmailState,
    options?: CallOptions & { claimedBefore?: string },
  ): Promise<boolean>;
  /** Replaces the roles if the profile is still at `expectedVersion`. */
  setRoles(sub: string, roles: string[], expectedVersion: number, audit: AuditEvent): Promise<UserRecord>;
  setStatus(sub: string, status: UserStatus, audit: AuditEvent): Promise<UserRecord>;
  /** Rewrites the synced fields (and the role entries' copies). */
  sync(sub: string, fields: SyncedFields, audit: AuditEvent): Promise<UserRecord>;
  appendAudit(event: AuditEvent, options?: CallOptions): Promise<void>;
  auditHistory(sub: string, page?: { limit?: number; cursor?: string }): Promise<Page<AuditEvent>>;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** What a role entry copies from the profile, so "users with role X" is one query. */
const summaryFields = [
  "sub",
  "email",
  "emailNormalised",
  "name",
  "status",
  "roles",
  "source",
  "createdAt",
] as const;

const keyFields = new Set<string>([
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
    summaryFields.flatMap((field) => (record[field] === undefined ? [] : [[field, record[field]]])),
  );
  return {
    ...summary,
    role,
    [userTable.partitionKey]: itemKeys.user(record.sub),
    [userTable.sortKey]: itemKeys.role(role),
    kind: "role",
    [byStatusOrRole.partitionKey]: itemKeys.roleIndex(role),
    [byStatusOrRole.sortKey]: itemKeys.created(record.createdAt, record.sub),
  };
}

/** Every audit item expires (table TTL) `retentionDays` after it happened. */
export function auditItem(
  event: AuditEvent,
  retentionDays: number = retentionDefaults.auditDays,
): Record<string, unknown> {
  const { byStatusOrRole, byEmail, byCreated } = userTable.indexes;
  const order = `${event.at}#${event.id}`;
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
  };
}

/**
 * Profile fields the triggers write without a version bump (sign-in, password change, welcome
 * email). A versioned rewrite must leave them as they are now, not as they were when it read
 * the record: putting back a stale `welcomeEmail` would make reconcile send the email again.
 */
const triggerOwnedFields = new Set<string>([
  "lastSignInAt",
  "idpGroupsAt",
  "passwordChangedAt",
  "welcomeEmail",
]);

/**
 * The update expression that turns the stored profile `before` into `after`, conditional on
 * `before`'s version: it sets every attribute of `after` (index keys included, so the indexes
 * follow) and removes those `after` no longer has, leaving the trigger-owned fields alone.
 */
function profileUpdate(
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

export function encodeCursor(key: Record<string, unknown> | undefined, scope: string): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify({ s: scope, k: key }), "utf8").toString("base64url");
}

/** Opaque cursors are bound to the query that made them; a cursor from another query is refused. */
export function decodeCursor(cursor: string | undefined, scope: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      s?: unknown;
      k?: unknown;
    };
    if (parsed.s === scope && typeof parsed.k === "object" && parsed.k !== null)
      return parsed.k as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends LifecycleError {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("cursor is not valid for this query", { code: "invalid_request", status: 400 });
  }

  override get publicMessage(): string {
    return "The cursor is not valid for this query.";
  }

  override details(): Record<string, unknown> {
    return { fields: { cursor: this.message } };
  }
}

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");
  }
  return (error as { name?: string })?.name === "ConditionalCheckFailedException";
}

/** Wraps SDK failures that mean "the store is not there right now". */
async function reach<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailure(error)) throw error;
    throw new StoreUnavailableError(`User store ${operation} failed: ${(error as Error)?.name ?? "error"}`, {
      cause: error,
    });
  }
}

export class DynamoUserStore implements UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly auditRetentionDays: number = retentionDefaults.auditDays,
  ) {}

  private key(sub: string, sk: string = itemKeys.profile) {
    return { [userTable.partitionKey]: itemKeys.user(sub), [userTable.sortKey]: sk };
  }

  async get(sub: string, options: CallOptions = {}): Promise<UserRecord | undefined> {
    const result = await reach("read", () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: this.key(sub), ConsistentRead: true }),
        options,
      ),
    );
    return result.Item ? fromItem<UserRecord>(result.Item) : undefined;
  }

  async create(record: UserRecord, audit?: AuditEvent, options: CreateOptions = {}): Promise<CreateResult> {
    const { purpose = "user.create", ...call } = options;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: profileItem(record),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": userTable.partitionKey },
        },
      },
      ...record.roles.map((role) => ({ Put: { TableName: this.tableName, Item: roleItem(record, role) } })),
      ...(audit
        ? [{ Put: { TableName: this.tableName, Item: auditItem(audit, this.auditRetentionDays) } }]
        : []),
    ];
    const input = { TransactItems: items, ClientRequestToken: createToken(record.sub, purpose) };
    try {
      await this.db.send(new TransactWriteCommand(input), call);
      return "created";
    } catch (error) {
      if (isConditionFailure(error)) return "exists";
      // Within 10 minutes of an earlier create for the same purpose: whether it wrote decides.
      if (isTokenReuse(error) && (await this.get(record.sub, call))) return "exists";
      throw new StoreUnavailableError(`User store create failed: ${(error as Error)?.name ?? "error"}`, {
        cause: error,
      });
    }
  }

  private async updateIfExists(
    sub: string,
    fields: readonly string[],
    at: string,
    options: CallOptions,
  ): Promise<boolean> {
    const names = Object.fromEntries(fields.map((field, index) => [`#f${index}`, field]));
    const set = Object.keys(names).map((placeholder) => `${placeholder} = :at`);
    try {
      await reach("update", () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(sub),
            UpdateExpression: `SET ${set.join(", ")}, updatedAt = :at`,
            ConditionExpression: "attribute_exists(#pk)",
            ExpressionAttributeNames: { ...names, "#pk": userTable.partitionKey },
            ExpressionAttributeValues: { ":at": at },
          }),
          options,
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  recordPasswordChange(sub: string, at: string, options: CallOptions = {}): Promise<boolean> {
    return this.updateIfExists(sub, ["passwordChangedAt"], at, options);
  }

  recordSignIn(
    sub: string,
    at: string,
    options: CallOptions & { idpGroups?: boolean } = {},
  ): Promise<boolean> {
    const fields = options.idpGroups ? ["lastSignInAt", "idpGroupsAt"] : ["lastSignInAt"];
    return this.updateIfExists(sub, fields, at, { abortSignal: options.abortSignal });
  }

  async transitionWelcomeEmail(
    sub: string,
    expected: readonly WelcomeEmailState["status"][],
    next: WelcomeEmailState,
    options: CallOptions & { claimedBefore?: string } = {},
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ":next": next, ":updated": next.at };
    // DynamoDB refuses a request that declares a name its expressions do not use.
    const names: Record<string, string> = { "#pk": userTable.partitionKey, "#status": "status" };
    const allowed = expected.map((status, index) => {
      values[`:s${index}`] = status;
      return `welcomeEmail.#status = :s${index}`;
    });
    // A claim that has been "sending" since before `claimedBefore` was abandoned by a crash.
    if (options.claimedBefore) {
      values[":sending"] = "sending";
      values[":before"] = options.claimedBefore;
      names["#at"] = "at";
      allowed.push("(welcomeEmail.#status = :sending AND welcomeEmail.#at < :before)");
    }
    try {
      await reach("update", () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(sub),
            UpdateExpression: "SET welcomeEmail = :next, updatedAt = :updated",
            // DynamoDB refuses redundant parentheses, e.g. around the stale-claim clause alone.
            ConditionExpression: `attribute_exists(#pk) AND ${allowed.length === 1 ? allowed[0] : `(${allowed.join(" OR ")})`}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
          { abortSignal: options.abortSignal },
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async requireRecord(sub: string): Promise<UserRecord> {
    const record = await this.get(sub);
    if (!record) throw new UserNotFoundError(sub);
    return record;
  }

  /**
   * Writes a changed profile and its role entries in one transaction, conditional on the
   * version read, so two admins cannot overwrite each other. The profile is updated, not put:
   * fields the triggers write without a version bump keep their current value.
   */
  private async replace(before: UserRecord, after: UserRecord, audit: AuditEvent): Promise<UserRecord> {
    const removed = before.roles.filter((role) => !after.roles.includes(role));
    const items: TransactItem[] = [
      { Update: { TableName: this.tableName, Key: this.key(after.sub), ...profileUpdate(before, after) } },
      ...after.roles.map((role) => ({ Put: { TableName: this.tableName, Item: roleItem(after, role) } })),
      ...removed.map((role) => ({
        Delete: { TableName: this.tableName, Key: this.key(after.sub, itemKeys.role(role)) },
      })),
      { Put: { TableName: this.tableName, Item: auditItem(audit, this.auditRetentionDays) } },
    ];
    try {
      await reach("write", () => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return after;
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError(after.sub, before.version);
      throw error;
    }
  }

  async setRoles(
    sub: string,
    roles: string[],
    expectedVersion: number,
    audit: AuditEvent,
  ): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    if (before.version !== expectedVersion) throw new VersionConflictError(sub, expectedVersion);
    const after = {
      ...before,
      roles: [...new Set(roles)].sort(),
      version: before.version + 1,
      updatedAt: audit.at,
    };
    return this.replace(before, after, audit);
  }

  async setStatus(sub: string, status: UserStatus, audit: AuditEvent): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    const after = { ...before, status, version: before.version + 1, updatedAt: audit.at };
    return this.replace(before, after, audit);
  }

  async sync(sub: string, fields: SyncedFields, audit: AuditEvent): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    const after: UserRecord = { ...before, ...fields, version: before.version + 1, updatedAt: audit.at };
    // How the old address was verified says nothing about a new one.
    if (after.emailNormalised !== before.emailNormalised) delete after.emailVerifiedBy;
    return this.replace(before, after, audit);
  }

  async appendAudit(event: AuditEvent, options: CallOptions = {}): Promise<void> {
    await reach("audit", () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: auditItem(event, this.auditRetentionDays),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": userTable.partitionKey },
        }),
        options,
      ),
    ).catch((error) => {
      // The same audit id written twice is a retry of the same event: nothing to add.
      if (!isConditionFailure(error)) throw error;
    });
  }

  async auditHistory(sub: string, page: { limit?: number; cursor?: string } = {}): Promise<Page<AuditEvent>> {
    const scope = `audit:${sub}`;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
      ExpressionAttributeNames: { "#pk": userTable.partitionKey, "#sk": userTable.sortKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub), ":prefix": itemKeys.auditPrefix },
      ScanIndexForward: false,
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(page.cursor, scope),
    };
    const result = await reach("query", () => this.db.send(new QueryCommand(input)));
    return {
      items: (result.Items ?? []).map((item) => fromItem<AuditEvent>(item)),
      cursor: encodeCursor(result.LastEvaluatedKey, scope),
    };
  }
}

export function dynamoClient(timeouts: ClientTimeouts): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrumentClient(new DynamoDBClient(clientOptions(timeouts))), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The store a deployed trigger uses: the table it is given, with the config's timeouts. */
export function userStoreFor(config: LifecycleConfig): UserStore {
  return new DynamoUserStore(dynamoClient(config.timeouts), tableName(), config.retention.auditDays);
}
