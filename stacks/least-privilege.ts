import type { LifecycleConfig } from "@cognito-lifecycle/core";

/**
 * What each trigger may do, derived from what its code calls. Pure and generic over how a
 * resource is named (a Pulumi output in the stack, a string in unit tests).
 *
 * - Pre sign-up reads nothing. Federated account linking (optional) lists users by email and
 *   links the identity: ListUsers + AdminLinkProviderForUser.
 * - Post confirmation creates the record with one TransactWriteItems of Puts, which IAM
 *   authorises item by item as dynamodb:PutItem (no ConditionCheck items are used), records
 *   password changes and the welcome-email outcome with UpdateItem, sends the welcome email
 *   (SESv2 SendEmail is authorised on the identity and on the configuration set it names) and
 *   adds the default group.
 * - Pre token generation: one GetItem; PutItem for just-in-time records.
 * - Post authentication: one UpdateItem. Custom message: no network at all.
 *
 * A trigger cannot name its own pool's ARN (the pool needs the function first), so Cognito
 * actions are granted on `userpool/*` of this account and region, and only when used.
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

export interface TriggerResources<T> {
  table: T;
  emailIdentity: T;
  emailConfigurationSet: T;
  /** `arn:<partition>:cognito-idp:<region>:<account>:userpool/*` */
  userPools: T;
}

export function triggerPermissions<T>(
  config: LifecycleConfig,
  resources: TriggerResources<T>,
): Record<TriggerName, Statement<T>[]> {
  const { table, emailIdentity, emailConfigurationSet, userPools } = resources;
  return {
    preSignUp: config.linking.enabled
      ? [
          {
            actions: ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
            resources: [userPools],
          },
        ]
      : [],
    postConfirmation: [
      { actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
      ...(config.welcomeEmail.enabled
        ? [{ actions: ["ses:SendEmail"], resources: [emailIdentity, emailConfigurationSet] }]
        : []),
      ...(config.defaultGroup
        ? [{ actions: ["cognito-idp:AdminAddUserToGroup"], resources: [userPools] }]
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

export interface AdminResources<T> extends TriggerResources<T> {
  /** `<table arn>/index/*`: the admin listings query the global secondary indexes. */
  tableIndexes: T;
  /** This app's pool: admin functions are not triggers, so they can name it. */
  userPool: T;
}

/**
 * The admin API: reads records and audit pages (GetItem, BatchGetItem, Query on the table and
 * its indexes), writes role and status changes as transactions of Put and Delete items plus
 * audit Puts, and disables, enables, signs out, deletes and re-reads users in this pool.
 */
export function adminApiPermissions<T>(resources: AdminResources<T>): Statement<T>[] {
  const { table, tableIndexes, userPool } = resources;
  return [
    {
      actions: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
      ],
      resources: [table, tableIndexes],
    },
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
  resources: AdminResources<T>,
): Statement<T>[] {
  const { table, tableIndexes, userPool, emailIdentity, emailConfigurationSet } = resources;
  return [
    {
      actions: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
        "dynamodb:UpdateItem",
      ],
      resources: [table, tableIndexes],
    },
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
