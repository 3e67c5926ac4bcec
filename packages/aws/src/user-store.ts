import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
  type RecordFields,
  RoleHolderChangedError,
  retentionDefaults,
  type SignIn,
  StoreUnavailableError,
  type SyncedFields,
  searchTextOf,
  signInHistory,
  UserNotFoundError,
  type UserRecord,
  type UserStatus,
  VersionConflictError,
  type WelcomeEmailState,
} from "@cognito-lifecycle/core";
import { type ClientTarget, type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { logger } from "./logger.ts";
import { type ScrubRequest, scrubAuditEntries, scrubUserData } from "./personal-data.ts";
import { tableName } from "./resources.ts";
import { itemKeys, userTable } from "./table.ts";
import { isConditionFailure, reachTable } from "./table-calls.ts";
import { exportUserData, type UserDataExport } from "./user-export.ts";
import {
  auditItem,
  fromItem,
  profileItem,
  profileUpdate,
  roleItem,
  searchTextAttribute,
} from "./user-items.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export type { SyncedFields };

/** What the record operations may rewrite: the synced fields and what SES said of the address. */
export type StoredFields = RecordFields & Partial<Pick<UserRecord, "emailDeliverability">>;

export interface CallOptions {
  abortSignal?: AbortSignal;
}

export type CreateResult = "created" | "exists";

export interface SignInOptions extends CallOptions {
  idpGroups?: boolean;
  /** The sign-in's audit entry: its outbox carries `user.signed_in`. */
  audit?: AuditEvent;
  /** What the event says of the sign-in besides its time (client, new device). */
  signIn?: Omit<SignIn, "at">;
}

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
   * on an existing profile and puts the sign-in first in its `signIns`; false when there is none.
   * With `audit` (a `user.signed_in` entry, `events.signedIn` on) the update and that audit item,
   * carrying the `user.signed_in` event, are one transaction; without it, one UpdateItem (and a
   * read and a second write when the history is full).
   */
  recordSignIn(sub: string, at: string, options?: SignInOptions): Promise<boolean>;
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
  /** Replaces the roles if the profile is still at `expectedVersion` (and `keeps` still holds). */
  setRoles(
    sub: string,
    roles: string[],
    expectedVersion: number,
    audit: AuditEvent,
    keeps?: RoleHolder,
  ): Promise<UserRecord>;
  /** Sets the status; with `expectedVersion`, only if the profile is still at that version. */
  setStatus(
    sub: string,
    status: UserStatus,
    audit: AuditEvent,
    options?: { expectedVersion?: number; keeps?: RoleHolder },
  ): Promise<UserRecord>;
  /**
   * Rewrites the synced fields (and the role entries' copies); with `expectedVersion`, only if
   * the profile is still at that version.
   */
  sync(
    sub: string,
    fields: StoredFields,
    audit: AuditEvent,
    options?: { expectedVersion?: number },
  ): Promise<UserRecord>;
  appendAudit(event: AuditEvent, options?: CallOptions): Promise<void>;
  auditHistory(sub: string, page?: { limit?: number; cursor?: string }): Promise<Page<AuditEvent>>;
  /** Every item the table holds about `sub`, as the export document. */
  exportData(sub: string, now: Date): Promise<UserDataExport>;
  /**
   * Removes the personal data of `request.record` (profile, role entries, every audit entry) and
   * writes `request.audit` with the tombstone; `tombstoned` is false when the version moved on.
   */
  scrub(request: Omit<ScrubRequest, "auditDays">): Promise<{ tombstoned: boolean; auditEntries: number }>;
  /** Scrubs audit entries about `sub` still holding personal data (finishes an interrupted scrub). */
  scrubAudit(sub: string, now: string): Promise<number>;
  /**
   * Writes the search text (`searchTextOf`) onto a profile written before it existed, and onto its
   * role entries, if the profile is still at `record.version`; false when it moved on (that write
   * derived its own search text).
   */
  backfillSearchText(
    record: Pick<UserRecord, "sub" | "email" | "name" | "roles" | "version">,
  ): Promise<boolean>;
}

/**
 * Another user a write must leave active with `role`, checked in the same transaction (the
 * last-admin safeguard): if they are not, the write fails with `RoleHolderChangedError`.
 */
export interface RoleHolder {
  sub: string;
  role: string;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
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
    const result = await reachTable("read", () =>
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
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: auditItem({ audit, after: record }, this.auditRetentionDays),
              },
            },
          ]
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

  /** Sets `fields` (and `updatedAt`) to `at` and removes `remove` on an existing profile, at `version` if given. */
  private timestampUpdate(
    sub: string,
    fields: readonly string[],
    at: string,
    remove: readonly string[] = [],
    version?: number,
  ) {
    const names: Record<string, string> = Object.fromEntries(
      fields.map((field, index) => [`#f${index}`, field]),
    );
    const set = Object.keys(names).map((placeholder) => `${placeholder} = :at`);
    const removed = remove.map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    const values: Record<string, unknown> = { ":at": at };
    if (version !== undefined) {
      names["#version"] = "version";
      values[":version"] = version;
    }
    return {
      TableName: this.tableName,
      Key: this.key(sub),
      UpdateExpression: `SET ${set.join(", ")}, updatedAt = :at${removed.length > 0 ? ` REMOVE ${removed.join(", ")}` : ""}`,
      ConditionExpression: `attribute_exists(#pk)${version !== undefined ? " AND #version = :version" : ""}`,
      ExpressionAttributeNames: { ...names, "#pk": userTable.partitionKey },
      ExpressionAttributeValues: values,
    };
  }

  private async updateIfExists(
    sub: string,
    fields: readonly string[],
    at: string,
    options: CallOptions,
    remove: readonly string[] = [],
  ): Promise<boolean> {
    try {
      await reachTable("update", () =>
        this.db.send(new UpdateCommand(this.timestampUpdate(sub, fields, at, remove)), options),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The sign-in update and its audit item (the `user.signed_in` outbox) in one transaction,
   * conditional on the version read, so the event's record summary is the stored one. A change
   * committed in between fails the condition: read again, once; a second loss records the
   * sign-in without its event rather than fail or delay the sign-in.
   */
  private async signInWithEvent(
    sub: string,
    at: string,
    fields: readonly string[],
    entry: SignIn,
    audit: AuditEvent,
    options: CallOptions,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = await this.get(sub, options);
      if (!before) return false;
      const { invitePending: _accepted, ...unchanged } = before;
      // The whole history is rewritten here (the record was read anyway), newest first, bounded.
      const signIns = [entry, ...(before.signIns ?? [])].slice(0, signInHistory.max);
      const after: UserRecord = {
        ...unchanged,
        ...Object.fromEntries(fields.map((field) => [field, at])),
        signIns,
        updatedAt: at,
      };
      const update = this.timestampUpdate(sub, fields, at, ["invitePending"], before.version);
      update.UpdateExpression = update.UpdateExpression.replace("SET ", "SET #signIns = :signIns, ");
      Object.assign(update.ExpressionAttributeNames, { "#signIns": "signIns" });
      Object.assign(update.ExpressionAttributeValues, { ":signIns": signIns });
      const items: TransactItem[] = [
        { Update: update },
        {
          Put: {
            TableName: this.tableName,
            Item: auditItem({ audit, before, after }, this.auditRetentionDays, { signedIn: true }),
          },
        },
      ];
      try {
        await reachTable("write", () =>
          this.db.send(new TransactWriteCommand({ TransactItems: items }), options),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    logger.warn("sign-in recorded without user.signed_in: the record kept changing", { sub });
    return this.signInUpdate(sub, at, fields, entry, options);
  }

  recordPasswordChange(sub: string, at: string, options: CallOptions = {}): Promise<boolean> {
    return this.updateIfExists(sub, ["passwordChangedAt"], at, options);
  }

  recordSignIn(sub: string, at: string, options: SignInOptions = {}): Promise<boolean> {
    const call = { abortSignal: options.abortSignal };
    const entry: SignIn = { at, ...options.signIn };
    const fields = options.idpGroups ? ["lastSignInAt", "idpGroupsAt"] : ["lastSignInAt"];
    if (options.audit) return this.signInWithEvent(sub, at, fields, entry, options.audit, call);
    return this.signInUpdate(sub, at, fields, entry, call);
  }

  /**
   * One conditional update in the common case: the sign-in is prepended to `signIns` while it
   * has fewer than `signInHistory.max` entries. The sign-in that finds it full (one in
   * `max - keep`) reads the profile and writes the newest `keep` back, so the list stays bounded.
   */
  private async signInUpdate(
    sub: string,
    at: string,
    fields: readonly string[],
    entry: SignIn,
    call: CallOptions,
  ): Promise<boolean> {
    const names: Record<string, string> = { "#pk": userTable.partitionKey, "#signIns": "signIns" };
    fields.forEach((field, index) => {
      names[`#f${index}`] = field;
    });
    // A first sign-in accepts an invitation: the user has left FORCE_CHANGE_PASSWORD.
    names["#invite"] = "invitePending";
    const set = [...fields.map((_, index) => `#f${index} = :at`), "updatedAt = :at"];
    const update = (history: string, condition: string, values: Record<string, unknown>) =>
      reachTable("update", () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(sub),
            UpdateExpression: `SET ${[...set, `#signIns = ${history}`].join(", ")} REMOVE #invite`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":at": at, ...values },
          }),
          call,
        ),
      );
    try {
      await update(
        "list_append(:entry, if_not_exists(#signIns, :none))",
        "attribute_exists(#pk) AND (attribute_not_exists(#signIns) OR size(#signIns) < :max)",
        { ":entry": [entry], ":none": [], ":max": signInHistory.max },
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.get(sub, call);
    if (!current) return false;
    const kept = [entry, ...(current.signIns ?? []).slice(0, signInHistory.keep - 1)];
    try {
      await update(":kept", "attribute_exists(#pk)", { ":kept": kept });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
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
      await reachTable("update", () =>
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
  private async replace(
    before: UserRecord,
    after: UserRecord,
    audit: AuditEvent,
    keeps?: RoleHolder,
  ): Promise<UserRecord> {
    const removed = before.roles.filter((role) => !after.roles.includes(role));
    const items: TransactItem[] = [
      { Update: { TableName: this.tableName, Key: this.key(after.sub), ...profileUpdate(before, after) } },
      ...after.roles.map((role) => ({ Put: { TableName: this.tableName, Item: roleItem(after, role) } })),
      ...removed.map((role) => ({
        Delete: { TableName: this.tableName, Key: this.key(after.sub, itemKeys.role(role)) },
      })),
      {
        Put: {
          TableName: this.tableName,
          Item: auditItem({ audit, before, after }, this.auditRetentionDays),
        },
      },
      ...(keeps ? [this.holderCheck(keeps)] : []),
    ];
    try {
      await reachTable("write", () => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return after;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (keeps && reasons?.[items.length - 1]?.Code === "ConditionalCheckFailed") {
        throw new RoleHolderChangedError(keeps.sub, keeps.role);
      }
      throw new VersionConflictError(after.sub, before.version);
    }
  }

  /** The condition that `holder` is still an active user with their role (on their profile). */
  private holderCheck(holder: RoleHolder): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: this.key(holder.sub),
        ConditionExpression: "#status = :active AND contains(#roles, :role)",
        ExpressionAttributeNames: { "#status": "status", "#roles": "roles" },
        ExpressionAttributeValues: { ":active": "active", ":role": holder.role },
      },
    };
  }

  async setRoles(
    sub: string,
    roles: string[],
    expectedVersion: number,
    audit: AuditEvent,
    keeps?: RoleHolder,
  ): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    if (before.version !== expectedVersion) throw new VersionConflictError(sub, expectedVersion);
    const after = {
      ...before,
      roles: [...new Set(roles)].sort(),
      version: before.version + 1,
      updatedAt: audit.at,
    };
    return this.replace(before, after, audit, keeps);
  }

  async setStatus(
    sub: string,
    status: UserStatus,
    audit: AuditEvent,
    options: { expectedVersion?: number; keeps?: RoleHolder } = {},
  ): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    const { expectedVersion, keeps } = options;
    if (expectedVersion !== undefined && before.version !== expectedVersion) {
      throw new VersionConflictError(sub, expectedVersion);
    }
    const after = { ...before, status, version: before.version + 1, updatedAt: audit.at };
    return this.replace(before, after, audit, keeps);
  }

  async sync(
    sub: string,
    fields: StoredFields,
    audit: AuditEvent,
    options: { expectedVersion?: number } = {},
  ): Promise<UserRecord> {
    const before = await this.requireRecord(sub);
    if (options.expectedVersion !== undefined && before.version !== options.expectedVersion) {
      throw new VersionConflictError(sub, options.expectedVersion);
    }
    const after: UserRecord = { ...before, ...fields, version: before.version + 1, updatedAt: audit.at };
    // How the old address was verified, or that it bounced, says nothing about a new one.
    if (after.emailNormalised !== before.emailNormalised) {
      delete after.emailVerifiedBy;
      if (!("emailDeliverability" in fields)) delete after.emailDeliverability;
    }
    return this.replace(before, after, audit);
  }

  async appendAudit(event: AuditEvent, options: CallOptions = {}): Promise<void> {
    await reachTable("audit", () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: auditItem({ audit: event }, this.auditRetentionDays),
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
    const result = await reachTable("query", () => this.db.send(new QueryCommand(input)));
    return {
      items: (result.Items ?? []).map((item) => fromItem<AuditEvent>(item)),
      cursor: encodeCursor(result.LastEvaluatedKey, scope),
    };
  }

  exportData(sub: string, now: Date): Promise<UserDataExport> {
    return exportUserData(this.db, this.tableName, sub, now);
  }

  scrub(request: Omit<ScrubRequest, "auditDays">): Promise<{ tombstoned: boolean; auditEntries: number }> {
    return reachTable("write", () =>
      scrubUserData(this.db, this.tableName, { ...request, auditDays: this.auditRetentionDays }),
    );
  }

  scrubAudit(sub: string, now: string): Promise<number> {
    return reachTable("write", () => scrubAuditEntries(this.db, this.tableName, sub, now));
  }

  async backfillSearchText(
    record: Pick<UserRecord, "sub" | "email" | "name" | "roles" | "version">,
  ): Promise<boolean> {
    const set = (sk: string, condition: string, values: Record<string, unknown> = {}) => ({
      Update: {
        TableName: this.tableName,
        Key: this.key(record.sub, sk),
        UpdateExpression: "SET #text = :text",
        ConditionExpression: condition,
        ExpressionAttributeNames: {
          "#text": searchTextAttribute,
          "#pk": userTable.partitionKey,
          ...(values[":version"] !== undefined ? { "#version": "version" } : {}),
        },
        ExpressionAttributeValues: { ":text": searchTextOf(record), ...values },
      },
    });
    const items: TransactItem[] = [
      set(itemKeys.profile, "attribute_exists(#pk) AND #version = :version", { ":version": record.version }),
      ...record.roles.map((role) => set(itemKeys.role(role), "attribute_exists(#pk)")),
    ];
    try {
      await reachTable("write", () => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

export function dynamoClient(timeouts: ClientTimeouts, target?: ClientTarget): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrumentClient(new DynamoDBClient(clientOptions(timeouts, target))), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The store a deployed trigger uses: the table it is given, with the config's timeouts. */
export function userStoreFor(config: LifecycleConfig): UserStore {
  return new DynamoUserStore(dynamoClient(config.timeouts), tableName(), config.retention.auditDays);
}
