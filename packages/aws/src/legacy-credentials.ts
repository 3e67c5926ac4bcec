import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type LifecycleConfig, normaliseEmail } from "@cognito-lifecycle/core";
import {
  type AttemptCounter,
  defaultRateLimitPolicy,
  type LegacyUser,
  type RateLimitDecision,
  type RateLimitPolicy,
  rateLimitConditions,
} from "@cognito-lifecycle/core/migration";
// The credential module alone: the passwords barrel would pull bcryptjs and hash-wasm into every handler.
import { type PasswordCredential, readCredential } from "@cognito-lifecycle/core/passwords/credential";
import { logger } from "./logger.ts";
import { tableName } from "./resources.ts";
import { itemKeys, userTable } from "./table.ts";
import { isConditionFailure, reachTable } from "./table-calls.ts";
import { dynamoClient } from "./user-store.ts";

/** A user imported from another system, waiting for their first sign-in (lazy migration). */
export interface LegacyCredentialItem extends LegacyUser {
  /** Absent: the old system had no usable hash (the user can only come in through ForgotPassword). */
  credential?: PasswordCredential;
  disabled: boolean;
  /** The old system's user id. */
  sourceId?: string;
  /** Where it came from, e.g. "import:auth0", "import:firebase", "import:csv". */
  origin: string;
  /** ISO time. */
  importedAt: string;
  /** The import run's id. */
  importJob?: string;
}

export interface LegacyCredentialStore {
  /** Conditional put (attribute_not_exists): "created", or "exists" when already imported (idempotent re-runs). */
  put(item: LegacyCredentialItem, options?: { replace?: boolean }): Promise<"created" | "exists">;
  /** By canonical email (the address is normalised here too). */
  get(email: string): Promise<LegacyCredentialItem | undefined>;
  /** After the user exists in Cognito. Idempotent. */
  remove(email: string): Promise<void>;
  /** Counts one verification attempt under the rate limit rules: conditional updates, never read-then-write. */
  recordAttempt(email: string, nowSeconds: number): Promise<RateLimitDecision>;
}

export interface LegacyCredentialDependencies {
  db: DynamoDBDocumentClient;
  tableName: string;
  rateLimit?: RateLimitPolicy;
}

const { partitionKey: pk, sortKey: sk } = userTable;

type Item = Record<string, unknown>;
type Counted = { refused: boolean; next: AttemptCounter | undefined; expiresAt: number | undefined };

/** The marshalled item may be raw AttributeValues (a condition failure's `Item`) or plain values. */
function numberOf(value: unknown): number | undefined {
  const raw = value && typeof value === "object" && "N" in value ? (value as { N: string }).N : value;
  return typeof raw === "number" || typeof raw === "string" ? Number(raw) : undefined;
}

function counterOf(item: Item | undefined): Omit<Counted, "refused"> {
  const attempts = numberOf(item?.attempts);
  const windowStart = numberOf(item?.windowStart);
  return {
    next: attempts !== undefined && windowStart !== undefined ? { attempts, windowStart } : undefined,
    expiresAt: numberOf(item?.[userTable.ttlAttribute]),
  };
}

function keyOf(email: string, sortKey: string): Record<string, string> {
  return { [pk]: itemKeys.legacy(normaliseEmail(email)), [sk]: sortKey };
}

/** The credential is kept as a JSON string: one opaque attribute, read back through `readCredential`. */
function toItem(item: LegacyCredentialItem): Record<string, unknown> {
  const email = normaliseEmail(item.email);
  const stored: Record<string, unknown> = {
    ...keyOf(email, itemKeys.legacyCredential),
    kind: "legacy-credential",
    email,
    emailVerified: item.emailVerified,
    roles: [...item.roles],
    disabled: item.disabled,
    origin: item.origin,
    importedAt: item.importedAt,
    name: item.name,
    locale: item.locale,
    sourceId: item.sourceId,
    importJob: item.importJob,
    credential: item.credential ? JSON.stringify(item.credential) : undefined,
  };
  return Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== undefined));
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** An unreadable credential is dropped (logged without the address): the user can still reset. */
function credentialOf(value: unknown): PasswordCredential | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return readCredential(JSON.parse(value));
  } catch (error) {
    const problem = (error as { problem?: string }).problem ?? "malformed";
    logger.warn("Stored legacy credential is unusable", { problem });
    return undefined;
  }
}

function fromStored(item: Item): LegacyCredentialItem {
  const credential = credentialOf(item.credential);
  const optional = {
    name: optionalString(item.name),
    locale: optionalString(item.locale),
    sourceId: optionalString(item.sourceId),
    importJob: optionalString(item.importJob),
  };
  return {
    email: String(item.email),
    emailVerified: item.emailVerified === true,
    roles: Array.isArray(item.roles) ? item.roles.map(String) : [],
    disabled: item.disabled === true,
    origin: String(item.origin),
    importedAt: String(item.importedAt),
    ...(credential ? { credential } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** The counter after the update, or `refused` with the unchanged one when the condition failed. */
async function conditionalCount(
  { db, table }: { db: DynamoDBDocumentClient; table: string },
  email: string,
  update: { UpdateExpression: string; ConditionExpression: string },
  values: Record<string, number>,
): Promise<Counted> {
  const names: Record<string, string> = { "#attempts": "attempts", "#window": "windowStart" };
  if (update.UpdateExpression.includes("#ttl")) names["#ttl"] = userTable.ttlAttribute;
  try {
    const result = await reachTable("migration attempt count", () =>
      db.send(
        new UpdateCommand({
          TableName: table,
          Key: keyOf(email, itemKeys.legacyAttempts),
          ...update,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    return { refused: false, ...counterOf(result.Attributes) };
  } catch (error) {
    if (isConditionFailure(error)) return { refused: true, ...counterOf((error as { Item?: Item }).Item) };
    throw error;
  }
}

/**
 * Count in the window, else open a new one, else count again: a concurrent attempt may have
 * opened the window between the first two. Failing all three means over the limit.
 */
async function recordAttempt(
  target: { db: DynamoDBDocumentClient; table: string },
  policy: RateLimitPolicy,
  email: string,
  nowSeconds: number,
): Promise<RateLimitDecision> {
  const { windowFloor, maxAttempts, now, expiresAt } = rateLimitConditions(nowSeconds, policy);
  const count = () =>
    conditionalCount(
      target,
      email,
      {
        UpdateExpression: "ADD #attempts :one",
        ConditionExpression: "#window >= :windowFloor AND #attempts < :maxAttempts",
      },
      { ":one": 1, ":windowFloor": windowFloor, ":maxAttempts": maxAttempts },
    );
  const openWindow = () =>
    conditionalCount(
      target,
      email,
      {
        UpdateExpression: "SET #attempts = :one, #window = :now, #ttl = :expiresAt",
        ConditionExpression: "attribute_not_exists(#window) OR #window < :windowFloor",
      },
      { ":one": 1, ":now": now, ":expiresAt": expiresAt, ":windowFloor": windowFloor },
    );
  let counter = await count();
  if (counter.refused) counter = await openWindow();
  if (counter.refused) counter = await count();
  return { allowed: !counter.refused, next: counter.next, expiresAt: counter.expiresAt };
}

/**
 * Imported credentials in the user table (layout in table.ts): `LEGACY#<canonical email>` with
 * `CREDENTIAL` (the user) and `ATTEMPTS` (the rate limit counter, expiring by TTL).
 */
export function createLegacyCredentialStore(deps: LegacyCredentialDependencies): LegacyCredentialStore {
  const { db } = deps;
  const table = deps.tableName;
  const policy = deps.rateLimit ?? defaultRateLimitPolicy;

  return {
    async put(item, options) {
      try {
        await reachTable("legacy credential write", () =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: toItem(item),
              ...(options?.replace ? {} : { ConditionExpression: `attribute_not_exists(${pk})` }),
            }),
          ),
        );
        return "created";
      } catch (error) {
        if (isConditionFailure(error)) return "exists";
        throw error;
      }
    },

    async get(email) {
      const result = await reachTable("legacy credential read", () =>
        db.send(
          new GetCommand({
            TableName: table,
            Key: keyOf(email, itemKeys.legacyCredential),
            ConsistentRead: true,
          }),
        ),
      );
      return result.Item ? fromStored(result.Item) : undefined;
    },

    async remove(email) {
      await reachTable("legacy credential removal", () =>
        db.send(new DeleteCommand({ TableName: table, Key: keyOf(email, itemKeys.legacyCredential) })),
      );
    },

    recordAttempt: (email, nowSeconds) => recordAttempt({ db, table }, policy, email, nowSeconds),
  };
}

/** The deployed store: the user table, with the configured rate limit. */
export function legacyCredentialsFor(config: LifecycleConfig): LegacyCredentialStore {
  const { maxAttempts, windowSeconds } = config.migration;
  return createLegacyCredentialStore({
    db: dynamoClient(config.timeouts),
    tableName: tableName(),
    rateLimit: { maxAttempts, windowSeconds },
  });
}
