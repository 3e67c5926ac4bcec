import type { LifecycleConfig } from "./config/schema.ts";
import {
  type FunctionResources,
  type SenderFunctionName,
  type SenderResources,
  type Statement,
  senderManifest,
  senderNames,
  type TriggerFunctionName,
  triggerGrants,
  triggerManifest,
  triggerNames,
} from "./triggers.ts";

export type { FunctionResources, SenderResources, Statement } from "./triggers.ts";

/**
 * What each function may do, derived from what its code calls: the one source of grants. The
 * triggers' grants are in their manifest (./triggers.ts); the other functions'
 * are here. The component's stacks (packages/sst/src/stacks) deploy them; the offline IAM check (packages/local/src/iam.ts)
 * evaluates every SDK call of the local stack and the tests against them;
 * docs/infrastructure.md's matrix is generated from them. Pure and generic over how a resource
 * is named (a Pulumi output in the stack, an ARN string offline).
 */

/** Every deployed function, by its name in the stack (also the local invoke server's name). */
export type FunctionName =
  | TriggerFunctionName
  | SenderFunctionName
  | "AdminApiHandler"
  | "Reconcile"
  | "Retention"
  | "WebhookDispatch"
  | "ApiAuthorizer"
  | "AttachTriggers"
  | "Events"
  | "SelfServiceApiHandler"
  | "CognitoApiEvents"
  | "EmailFeedback";

/** What only the events function touches (stacks/events.ts creates them). */
export interface EventResources<T> {
  /** The table's stream: `<table arn>/stream/*`. */
  tableStream: T;
  /** The custom EventBridge bus lifecycle events go to. */
  eventBus: T;
  /** The SQS queue the stream mapping sends records to that keep failing. */
  eventsDeadLetterQueue: T;
}

/** Every trigger's statements, by trigger name: from the trigger manifest. */
export const triggerPermissions = triggerGrants;

/**
 * The admin API: reads records and audit pages (GetItem, BatchGetItem, Query on the table and
 * its indexes), writes role and status changes as transactions of Put, Update and Delete items
 * plus audit Puts and, to keep an active admin, a ConditionCheck on another admin's record (IAM
 * authorises each transaction item as its own action), and disables,
 * enables, signs out, deletes and re-reads users in this pool, resets their password and MFA,
 * marks their email verified and edits their profile (setting and clearing attributes).
 */
export function adminApiPermissions<T>(resources: FunctionResources<T>): Statement<T>[] {
  const { table, tableIndexes, userPool } = resources;
  return [
    // Item actions name only the table; an index ARN is only ever asked for by Query.
    {
      actions: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
      ],
      resources: [table],
    },
    { actions: ["dynamodb:Query"], resources: [table, tableIndexes] },
    {
      actions: [
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminListGroupsForUser",
        "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminEnableUser",
        "cognito-idp:AdminUserGlobalSignOut",
        "cognito-idp:AdminDeleteUser",
        // Invitations and their resend (MessageAction RESEND).
        "cognito-idp:AdminCreateUser",
        // Account actions: reset password, mark the email verified, reset MFA.
        "cognito-idp:AdminResetUserPassword",
        "cognito-idp:AdminUpdateUserAttributes",
        "cognito-idp:AdminSetUserMFAPreference",
        // Profile edits that clear a field.
        "cognito-idp:AdminDeleteUserAttributes",
      ],
      resources: [userPool],
    },
  ];
}

/**
 * Reconcile: pages ListUsers and the group memberships, reads the matching records, creates
 * missing ones, marks users deleted in Cognito, syncs drifted fields, and retries pending
 * welcome emails (claim and outcome are UpdateItem).
 */
export function reconcilePermissions<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T>,
): Statement<T>[] {
  const { table, tableIndexes, userPool, emailIdentity, emailConfigurationSet } = resources;
  return [
    {
      actions: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
        "dynamodb:UpdateItem",
      ],
      resources: [table],
    },
    { actions: ["dynamodb:Query"], resources: [table, tableIndexes] },
    {
      actions: [
        "cognito-idp:ListUsers",
        "cognito-idp:AdminGetUser",
        "cognito-idp:ListGroups",
        "cognito-idp:ListUsersInGroup",
      ],
      resources: [userPool],
    },
    ...(config.welcomeEmail.enabled
      ? [{ actions: ["ses:SendEmail"], resources: [emailIdentity, emailConfigurationSet] }]
      : []),
  ];
}

/**
 * The events function (functions/events.ts). Lambda's stream mapping reads the stream with the
 * function's role (DescribeStream, GetShardIterator, GetRecords, ListStreams) and sends a batch
 * that keeps failing to the DLQ with it (sqs:SendMessage). The code publishes to the bus, reads
 * a created record (GetItem) and takes and records the welcome email's claim (UpdateItem).
 */
export function eventsPermissions<T>(
  config: LifecycleConfig,
  resources: Pick<FunctionResources<T>, "table" | "emailIdentity" | "emailConfigurationSet"> &
    EventResources<T>,
): Statement<T>[] {
  const { table, tableStream, eventBus, eventsDeadLetterQueue } = resources;
  return [
    {
      actions: [
        "dynamodb:DescribeStream",
        "dynamodb:GetShardIterator",
        "dynamodb:GetRecords",
        "dynamodb:ListStreams",
      ],
      resources: [tableStream],
    },
    { actions: ["sqs:SendMessage"], resources: [eventsDeadLetterQueue] },
    { actions: ["events:PutEvents"], resources: [eventBus] },
    // GetItem/UpdateItem: the welcome email's claim on the record; Query/PutItem: the webhook
    // endpoints and the deliveries queued for them (DynamoWebhookStore).
    {
      actions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem"],
      resources: [table],
    },
    ...(config.welcomeEmail.enabled
      ? [
          {
            actions: ["ses:SendEmail"],
            resources: [resources.emailIdentity, resources.emailConfigurationSet],
          },
        ]
      : []),
  ];
}

/**
 * The self-service API (`DELETE /me`, `GET /me/export`): reads the caller's record, marks it
 * deleted (a transaction of an Update and Puts), writes the export's audit entry, and queries the
 * caller's partition and the actor index for the export. No Cognito grant: DeleteUser is
 * authorised by the user's own access token, so this function cannot delete anyone else.
 */
export function selfServicePermissions<T>(
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes">,
): Statement<T>[] {
  const { table, tableIndexes } = resources;
  return [
    { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
    { actions: ["dynamodb:Query"], resources: [table, tableIndexes] },
  ];
}

/** Every function's statements: what deploy grants and what the offline check enforces. */
export function functionPermissions<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T> & EventResources<T> & SenderResources<T>,
): Record<FunctionName, Statement<T>[]> {
  const triggers = triggerGrants(config, resources);
  return {
    ...(Object.fromEntries(
      triggerNames.map((trigger) => [triggerManifest[trigger].functionName, triggers[trigger]]),
    ) as Record<TriggerFunctionName, Statement<T>[]>),
    ...(Object.fromEntries(
      senderNames.map((sender) => [
        senderManifest[sender].functionName,
        senderManifest[sender].grants(config, resources),
      ]),
    ) as Record<SenderFunctionName, Statement<T>[]>),
    AdminApiHandler: adminApiPermissions(resources),
    Reconcile: reconcilePermissions(config, resources),
    Retention: retentionPermissions(resources),
    WebhookDispatch: webhookDispatchPermissions(resources),
    CognitoApiEvents: cognitoApiEventsPermissions(resources),
    EmailFeedback: emailFeedbackPermissions(resources),
    // The authorizer verifies tokens against the pool's public keys: no AWS call at all.
    ApiAuthorizer: [],
    AttachTriggers: attachTriggersPermissions(resources),
    Events: eventsPermissions(config, resources),
    SelfServiceApiHandler: selfServicePermissions(resources),
  };
}

/** The statements that name `resource` (e.g. the pool, granted once it exists). */
export function statementsOn<T>(statements: Statement<T>[], resource: T): Statement<T>[] {
  return statements.filter((statement) => statement.resources.includes(resource));
}

/** The statements that do not name `resource`. */
export function statementsNotOn<T>(statements: Statement<T>[], resource: T): Statement<T>[] {
  return statements.filter((statement) => !statement.resources.includes(resource));
}

/** An IAM policy document of Allow statements, as a role's inline policy holds it. */
export function policyDocument<T>(statements: Statement<T>[]) {
  return {
    Version: "2012-10-17" as const,
    Statement: statements.map((statement) => ({
      Effect: "Allow" as const,
      Action: statement.actions,
      Resource: statement.resources,
      ...(statement.conditions?.length ? { Condition: conditionBlock(statement.conditions) } : {}),
    })),
  };
}

/** Key administration for the account, without the right to use the key (no Encrypt or Decrypt). */
const keyAdministration = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

/**
 * The sender key's policy, the only way to use the key (KMS does not let IAM policies alone
 * grant it): the account administers the key but cannot use it; Cognito may create the grant it
 * encrypts through, from this pool and account only (as AWS documents for custom senders); the
 * sender roles may decrypt codes bound to this pool, as their own grants say. Deployed by
 * packages/sst/src/stacks/senders.ts and evaluated by the offline IAM check as the key's resource policy.
 */
export function senderKeyPolicy<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T> & SenderResources<T>,
  who: { account: T; accountRoot: T; senderRoles: T[] },
) {
  const decrypt = statementsOn(
    senderManifest.customEmailSender.grants(config, resources),
    resources.senderKey,
  )[0];
  if (!decrypt?.conditions?.length)
    throw new Error("the senders' Decrypt grant lost its encryption context condition");
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Sid: "AccountAdministersTheKey",
        Effect: "Allow" as const,
        Principal: { AWS: who.accountRoot },
        Action: keyAdministration,
        Resource: "*",
      },
      {
        Sid: "CognitoEncryptsCodesForThisPool",
        Effect: "Allow" as const,
        Principal: { Service: "cognito-idp.amazonaws.com" },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": who.account },
          ArnLike: { "aws:SourceArn": resources.userPool },
        },
      },
      {
        Sid: "SendersDecryptThisPoolsCodes",
        Effect: "Allow" as const,
        Principal: { AWS: who.senderRoles },
        Action: decrypt.actions,
        Resource: "*",
        Condition: conditionBlock(decrypt.conditions),
      },
    ],
  };
}

/** Conditions as a policy's `Condition` block: `{ StringEquals: { variable: values } }`. */
function conditionBlock<T>(conditions: NonNullable<Statement<T>["conditions"]>) {
  const block: Record<string, Record<string, T[]>> = {};
  for (const { test, variable, values } of conditions) {
    block[test] = { ...block[test], [variable]: values };
  }
  return block;
}

/**
 * The retention job (functions/retention.ts): one Query on the status index finds deleted
 * profiles; each scrub (packages/aws/src/personal-data.ts, shared with erasure) queries the
 * user's audit entries, rewrites them with Puts, and writes one TransactWriteItems of Puts
 * (profile, role entries, audit), which IAM authorises item by item as dynamodb:PutItem. No
 * GetItem, no deletes, no Cognito or SES.
 */
export function retentionPermissions<T>(
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes">,
): Statement<T>[] {
  return [
    { actions: ["dynamodb:Query"], resources: [resources.table, resources.tableIndexes] },
    { actions: ["dynamodb:PutItem"], resources: [resources.table] },
  ];
}

/**
 * Attach mode's deploy-time function (functions/attach-triggers.ts): reads the existing pool's
 * settings and writes them back with our LambdaConfig. Only deployed with `existingUserPool`.
 */
export function attachTriggersPermissions<T>(
  resources: Pick<FunctionResources<T>, "userPool">,
): Statement<T>[] {
  return [
    {
      actions: ["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"],
      resources: [resources.userPool],
    },
  ];
}

/**
 * The webhook dispatcher (functions/webhook-dispatch.ts): Query lists endpoints (base table) and
 * pending deliveries (the pending index); GetItem re-reads an endpoint after a lost race; PutItem
 * writes deliveries, attempts and endpoints' failure state, each conditionally. Nothing else: it
 * never reads a user or an audit item, and calls no other AWS service (the POSTs go to the internet).
 */
export function webhookDispatchPermissions<T>(
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes">,
): Statement<T>[] {
  return [
    { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [resources.table] },
    { actions: ["dynamodb:Query"], resources: [resources.table, resources.tableIndexes] },
  ];
}

/**
 * The delete signal (functions/cognito-api-events.ts): reads the record (GetItem; Query on the
 * email index when CloudTrail shows an email username), asks Cognito about the user
 * (AdminGetUser, AdminListGroupsForUser) and writes the status or drift with its audit item as
 * a transaction of Puts and Deletes (role entries), as the record operations do.
 */
export function cognitoApiEventsPermissions<T>(
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes" | "userPool">,
  /** Deployed only: where Lambda sends an event that failed every attempt (with the function's role). */
  deadLetterQueue?: T,
): Statement<T>[] {
  const { table, tableIndexes, userPool } = resources;
  return [
    ...(deadLetterQueue ? [{ actions: ["sqs:SendMessage"], resources: [deadLetterQueue] }] : []),
    {
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      resources: [table],
    },
    { actions: ["dynamodb:Query"], resources: [tableIndexes] },
    {
      actions: ["cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"],
      resources: [userPool],
    },
  ];
}

/**
 * The bounce and complaint function (functions/email-feedback.ts): finds users by email (Query
 * on the email index), re-reads each record (GetItem) and marks it in a transaction of the
 * profile Update, the role entries' Puts and the audit Put, as the record operations do.
 */
export function emailFeedbackPermissions<T>(
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes">,
  /** Deployed only: where Lambda sends an event that failed every attempt (with the function's role). */
  deadLetterQueue?: T,
): Statement<T>[] {
  const { table, tableIndexes } = resources;
  return [
    ...(deadLetterQueue ? [{ actions: ["sqs:SendMessage"], resources: [deadLetterQueue] }] : []),
    { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
    { actions: ["dynamodb:Query"], resources: [tableIndexes] },
  ];
}
