import type { LifecycleConfig } from "./config/schema.ts";
import { triggerSources } from "./events.ts";
import { poolContextKey, senderTriggerSources } from "./sender-events.ts";

/** An IAM condition on a statement, as SST's function `permissions` take it. */
export interface StatementCondition<T> {
  test: "StringEquals" | "ForAllValues:StringLike";
  variable: string;
  values: T[];
}

/** One IAM grant: these actions on these resources (ARNs in a stack, names offline), if the conditions hold. */
export interface Statement<T> {
  actions: string[];
  resources: T[];
  conditions?: StatementCondition<T>[];
}

/** What a function may be granted access to, generic over how a resource is named. */
export interface FunctionResources<T> {
  table: T;
  /** `<table arn>/index/*`: the admin listings query the global secondary indexes. */
  tableIndexes: T;
  emailIdentity: T;
  emailConfigurationSet: T;
  /** This app's pool. */
  userPool: T;
}

/**
 * Only items whose partition key is `LEGACY#...` (the imported credentials and their attempt
 * counters): `dynamodb:LeadingKeys` is the request's partition key values. ForAllValues is true
 * for a request without the key, so only item actions (which always carry it) are conditioned.
 */
export function onlyLegacyItems<T>(actions: string[], table: T): Statement<T> {
  return {
    actions,
    resources: [table],
    conditions: [
      { test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["LEGACY#*" as T] },
    ],
  };
}

interface TriggerEntry {
  /** The deployed function's name in the stack; also cognito-local's and the invoke server's. */
  functionName: string;
  /** Its file in `functions/` (without `.ts`): the name in logs, the build and the benchmark. */
  file: string;
  /** The trigger sources it handles; any other passes through unchanged. */
  sources: readonly string[];
  /** What its code calls, for `config`: the one source of its grants. */
  grants<T>(config: LifecycleConfig, resources: FunctionResources<T>): Statement<T>[];
  /** Deployed and attached only when this says so (absent: always). */
  enabled?(config: LifecycleConfig): boolean;
}

/**
 * Every Cognito trigger, keyed by its name in the pool's trigger settings. stacks/ deploys one
 * function per entry with its grants, the local stack registers and serves each, the offline
 * IAM check evaluates their calls against the grants, and the benchmark runs each.
 *
 * Triggers get Cognito actions on their own pool's ARN; the stack attaches those once the pool
 * exists (the pool needs the functions first).
 */
export const triggerManifest = {
  /**
   * Reads nothing. Federated account linking (optional) lists users by email, reads the native
   * user's record (how the email was verified) and links the identity.
   */
  preSignUp: {
    functionName: "PreSignUp",
    file: "pre-sign-up",
    sources: triggerSources.preSignUp,
    grants: (config, { table, userPool }) =>
      config.linking.enabled
        ? [
            {
              actions: ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
              resources: [userPool],
            },
            { actions: ["dynamodb:GetItem"], resources: [table] },
          ]
        : [],
  },
  /**
   * Creates the record with one TransactWriteItems of Puts, which IAM authorises item by item as
   * dynamodb:PutItem (no ConditionCheck items); a retry whose idempotency token is still in use
   * reads the record (GetItem) to learn whether it was written. It records password changes and the welcome-email
   * outcome with UpdateItem, sends the welcome email (SESv2 SendEmail is authorised on the
   * identity and on the configuration set it names) and adds the default group.
   */
  postConfirmation: {
    functionName: "PostConfirmation",
    file: "post-confirmation",
    sources: triggerSources.postConfirmation,
    // No SES: the events function sends the welcome email on `user.created`.
    // While migrating, a reset of a migrated user adopts the imported item and deletes it.
    grants: (config, { table, userPool }) => [
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
      ...(config.migration.enabled ? [onlyLegacyItems(["dynamodb:DeleteItem"], table)] : []),
      ...(config.defaultGroup
        ? [{ actions: ["cognito-idp:AdminAddUserToGroup"], resources: [userPool] }]
        : []),
    ],
  },
  /**
   * One GetItem; PutItem for just-in-time records. While migrating, a migrated user's first token
   * reads the imported item, creates the record (PutItem) and deletes the item.
   */
  preTokenGeneration: {
    functionName: "PreTokenGeneration",
    file: "pre-token-generation",
    sources: triggerSources.preTokenGeneration,
    grants: (config, { table }) => [
      {
        actions: [
          "dynamodb:GetItem",
          ...(config.tokens.createMissingRecords || config.migration.enabled ? ["dynamodb:PutItem"] : []),
        ],
        resources: [table],
      },
      ...(config.migration.enabled ? [onlyLegacyItems(["dynamodb:DeleteItem"], table)] : []),
    ],
  },
  /** No network at all: the templates are in the bundle. */
  customMessage: {
    functionName: "CustomMessage",
    file: "custom-message",
    sources: triggerSources.customMessage,
    // Only while Cognito delivers; with `delivery: "custom-sender"` our senders render instead.
    enabled: (config) => config.delivery === "custom-message",
    grants: () => [],
  },
  /**
   * One UpdateItem: `lastSignInAt`. With `events.signedIn`, a GetItem and a transaction of that
   * update and the audit item carrying `user.signed_in` (IAM authorises the Put as PutItem).
   */
  postAuthentication: {
    functionName: "PostAuthentication",
    file: "post-authentication",
    sources: triggerSources.postAuthentication,
    // GetItem: the sign-in that finds the history full reads it to trim it (and, with
    // `events.signedIn`, every sign-in reads the record its audit item describes).
    grants: (config, { table }) => [
      {
        actions: config.events.signedIn
          ? ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"]
          : ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        resources: [table],
      },
    ],
  },
  /**
   * Only while `migration.enabled`. Reads the imported item (GetItem) and counts the attempt
   * (UpdateItem) under `LEGACY#<email>`; a user found through the legacy endpoint is written
   * there (PutItem) for the first token to adopt. Every one of them only on `LEGACY#` keys.
   */
  userMigration: {
    functionName: "UserMigration",
    file: "user-migration",
    sources: triggerSources.userMigration,
    enabled: (config) => config.migration.enabled,
    grants: (config, { table }) =>
      config.migration.enabled
        ? [onlyLegacyItems(["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"], table)]
        : [],
  },
} as const satisfies Record<keyof typeof triggerSources, TriggerEntry>;

export type TriggerName = keyof typeof triggerManifest;
export type TriggerFunctionName = (typeof triggerManifest)[TriggerName]["functionName"];
export type TriggerFile = (typeof triggerManifest)[TriggerName]["file"];

export const triggerNames = Object.keys(triggerManifest) as TriggerName[];

/** The entry file of a trigger, relative to the repository root. */
export function triggerEntry(trigger: TriggerName): `functions/${TriggerFile}.ts` {
  return `functions/${triggerManifest[trigger].file}.ts`;
}

/** The triggers `config` deploys and attaches (user migration only while migrating; custom message only while Cognito delivers). */
export function activeTriggers(config: LifecycleConfig): TriggerName[] {
  return triggerNames.filter((trigger) => {
    const entry: TriggerEntry = triggerManifest[trigger];
    return entry.enabled?.(config) ?? true;
  });
}

/** Every trigger's grants for `config` and `resources`. */
export function triggerGrants<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T>,
): Record<TriggerName, Statement<T>[]> {
  return Object.fromEntries(
    triggerNames.map((trigger) => [trigger, triggerManifest[trigger].grants(config, resources)]),
  ) as Record<TriggerName, Statement<T>[]>;
}

/** What only the custom sender functions use (packages/sst/src/stacks/senders.ts creates the key). */
export interface SenderResources<T> {
  /** The KMS key Cognito encrypts codes with. */
  senderKey: T;
  /** The pool's id: the encryption context Cognito binds to every code names it. */
  userPoolId: T;
}

interface SenderEntry {
  functionName: string;
  file: string;
  sources: readonly string[];
  grants<T>(config: LifecycleConfig, resources: FunctionResources<T> & SenderResources<T>): Statement<T>[];
}

/**
 * Decrypt on the sender key, and only for codes Cognito encrypted for this pool: the condition
 * is the encryption context Cognito sets, so the role cannot decrypt anything else under the key.
 */
function decryptCodes<T>({ senderKey, userPoolId }: SenderResources<T>): Statement<T> {
  return {
    actions: ["kms:Decrypt"],
    resources: [senderKey],
    conditions: [
      { test: "StringEquals", variable: `kms:EncryptionContext:${poolContextKey}`, values: [userPoolId] },
    ],
  };
}

/**
 * The custom email and SMS sender triggers (config `delivery: "custom-sender"`): deployed, and
 * wired into the pool with the sender key, only in that mode (their grants are empty otherwise).
 * Cognito invokes them asynchronously; they decrypt the code and send it themselves.
 */
export const senderManifest = {
  /** Decrypt, then SESv2 SendEmail (identity and configuration set). */
  customEmailSender: {
    functionName: "CustomEmailSender",
    file: "custom-email-sender",
    sources: senderTriggerSources.customEmailSender,
    grants: (config, resources) =>
      config.delivery === "custom-sender"
        ? [
            decryptCodes(resources),
            {
              actions: ["ses:SendEmail"],
              resources: [resources.emailIdentity, resources.emailConfigurationSet],
            },
          ]
        : [],
  },
  /**
   * Decrypt, then SNS Publish to a phone number. SMS to a number has no resource ARN: IAM
   * authorises it on "*" only (https://docs.aws.amazon.com/sns/latest/dg/sns-using-identity-based-policies.html).
   */
  customSmsSender: {
    functionName: "CustomSmsSender",
    file: "custom-sms-sender",
    sources: senderTriggerSources.customSmsSender,
    grants: <T>(config: LifecycleConfig, resources: FunctionResources<T> & SenderResources<T>) =>
      config.delivery === "custom-sender"
        ? [decryptCodes(resources), { actions: ["sns:Publish"], resources: ["*" as T] }]
        : [],
  },
} as const satisfies Record<string, SenderEntry>;

export type SenderName = keyof typeof senderManifest;
export type SenderFunctionName = (typeof senderManifest)[SenderName]["functionName"];
export const senderNames = Object.keys(senderManifest) as SenderName[];
