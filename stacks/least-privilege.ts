import type { LifecycleConfig } from "@cognito-lifecycle/core";

/**
 * What each function may do, derived from what its code calls: the one source of grants. The
 * stacks deploy it; the offline IAM check (packages/local/src/iam.ts) evaluates every SDK call
 * of the local stack and the tests against it; docs/infrastructure.md's matrix is generated from
 * it. Pure and generic over how a resource is named (a Pulumi output in the stack, an ARN string
 * offline).
 *
 * - Pre sign-up reads nothing. Federated account linking (optional) lists users by email, reads
 *   the native user's record (how the email was verified) and links the identity: ListUsers,
 *   GetItem, AdminLinkProviderForUser.
 * - Post confirmation creates the record with one TransactWriteItems of Puts, which IAM
 *   authorises item by item as dynamodb:PutItem (no ConditionCheck items are used); a retry
 *   whose idempotency token is still in use reads the record (GetItem) to learn whether it was
 *   written. It records password changes and the welcome-email outcome with UpdateItem, sends
 *   the welcome email (SESv2 SendEmail is authorised on the identity and on the configuration
 *   set it names) and adds the default group.
 * - Pre token generation: one GetItem; PutItem for just-in-time records.
 * - Post authentication: one UpdateItem. Custom message: no network at all.
 *
 * Triggers get Cognito actions on their own pool's ARN. The pool needs the functions first, so
 * the stack attaches those statements as a separate role policy once the pool exists
 * (`statementsOn` / `statementsNotOn` split them).
 */
export type TriggerName =
  | "preSignUp"
  | "postConfirmation"
  | "preTokenGeneration"
  | "customMessage"
  | "postAuthentication";

export const triggerNames: readonly TriggerName[] = [
  "preSignUp",
  "postConfirmation",
  "preTokenGeneration",
  "customMessage",
  "postAuthentication",
];

/** Every deployed function, by its name in the stack (also the local invoke server's name). */
export type FunctionName =
  | "PreSignUp"
  | "PostConfirmation"
  | "PreTokenGeneration"
  | "CustomMessage"
  | "PostAuthentication"
  | "AdminApiHandler"
  | "Reconcile"
  | "Retention"
  | "ApiAuthorizer";

export const triggerFunctionNames: Record<TriggerName, FunctionName> = {
  preSignUp: "PreSignUp",
  postConfirmation: "PostConfirmation",
  preTokenGeneration: "PreTokenGeneration",
  customMessage: "CustomMessage",
  postAuthentication: "PostAuthentication",
};

/** The entry point of each trigger, relative to the repository root. */
export const triggerHandlers: Record<TriggerName, string> = {
  preSignUp: "functions/pre-sign-up.handler",
  postConfirmation: "functions/post-confirmation.handler",
  preTokenGeneration: "functions/pre-token-generation.handler",
  customMessage: "functions/custom-message.handler",
  postAuthentication: "functions/post-authentication.handler",
};

export interface Statement<T> {
  actions: string[];
  resources: T[];
}

export interface FunctionResources<T> {
  table: T;
  /** `<table arn>/index/*`: the admin listings query the global secondary indexes. */
  tableIndexes: T;
  emailIdentity: T;
  emailConfigurationSet: T;
  /** This app's pool. */
  userPool: T;
}

/** @deprecated names kept for the stacks' readability: every function sees the same resources. */
export type TriggerResources<T> = FunctionResources<T>;
export type AdminResources<T> = FunctionResources<T>;

export function triggerPermissions<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T>,
): Record<TriggerName, Statement<T>[]> {
  const { table, emailIdentity, emailConfigurationSet, userPool } = resources;
  return {
    preSignUp: config.linking.enabled
      ? [
          {
            actions: ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
            resources: [userPool],
          },
          { actions: ["dynamodb:GetItem"], resources: [table] },
        ]
      : [],
    postConfirmation: [
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
      ...(config.welcomeEmail.enabled
        ? [{ actions: ["ses:SendEmail"], resources: [emailIdentity, emailConfigurationSet] }]
        : []),
      ...(config.defaultGroup
        ? [{ actions: ["cognito-idp:AdminAddUserToGroup"], resources: [userPool] }]
        : []),
    ],
    preTokenGeneration: [
      {
        actions: config.tokens.createMissingRecords
          ? ["dynamodb:GetItem", "dynamodb:PutItem"]
          : ["dynamodb:GetItem"],
        resources: [table],
      },
    ],
    customMessage: [],
    postAuthentication: [{ actions: ["dynamodb:UpdateItem"], resources: [table] }],
  };
}

/**
 * The admin API: reads records and audit pages (GetItem, BatchGetItem, Query on the table and
 * its indexes), writes role and status changes as transactions of Put, Update and Delete items
 * plus audit Puts (IAM authorises each transaction item as its own action), and disables,
 * enables, signs out, deletes and re-reads users in this pool.
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

/** Every function's statements: what deploy grants and what the offline check enforces. */
export function functionPermissions<T>(
  config: LifecycleConfig,
  resources: FunctionResources<T>,
): Record<FunctionName, Statement<T>[]> {
  const triggers = triggerPermissions(config, resources);
  return {
    ...(Object.fromEntries(
      triggerNames.map((trigger) => [triggerFunctionNames[trigger], triggers[trigger]]),
    ) as Record<(typeof triggerFunctionNames)[TriggerName], Statement<T>[]>),
    AdminApiHandler: adminApiPermissions(resources),
    Reconcile: reconcilePermissions(config, resources),
    Retention: retentionPermissions(resources),
    // The authorizer verifies tokens against the pool's public keys: no AWS call at all.
    ApiAuthorizer: [],
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
    })),
  };
}

/**
 * The retention job (functions/retention.ts): one Query on the status index finds deleted
 * profiles, and each scrub is one TransactWriteItems of Puts (profile, role entries, audit),
 * which IAM authorises item by item as dynamodb:PutItem. No reads of the base table, no deletes,
 * no Cognito or SES.
 */
export function retentionPermissions<T>(
  resources: Pick<AdminResources<T>, "table" | "tableIndexes">,
): Statement<T>[] {
  return [
    { actions: ["dynamodb:Query"], resources: [resources.tableIndexes] },
    { actions: ["dynamodb:PutItem"], resources: [resources.table] },
  ];
}
