import {
  type FunctionResources,
  type LifecycleConfig,
  type Statement,
  type TriggerFunctionName,
  triggerGrants,
  triggerManifest,
  triggerNames,
} from "@cognito-lifecycle/core";

export type { FunctionResources, Statement } from "@cognito-lifecycle/core";

/**
 * What each function may do, derived from what its code calls: the one source of grants. The
 * triggers' grants are in their manifest (packages/core/src/triggers.ts); the other functions'
 * are here. The stacks deploy them; the offline IAM check (packages/local/src/iam.ts)
 * evaluates every SDK call of the local stack and the tests against them;
 * docs/infrastructure.md's matrix is generated from them. Pure and generic over how a resource
 * is named (a Pulumi output in the stack, an ARN string offline).
 */

/** Every deployed function, by its name in the stack (also the local invoke server's name). */
export type FunctionName =
  | TriggerFunctionName
  | "AdminApiHandler"
  | "Reconcile"
  | "Retention"
  | "ApiAuthorizer";

/** Every trigger's statements, by trigger name: from the trigger manifest. */
export const triggerPermissions = triggerGrants;

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
        // Invitations and their resend (MessageAction RESEND).
        "cognito-idp:AdminCreateUser",
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
  const triggers = triggerGrants(config, resources);
  return {
    ...(Object.fromEntries(
      triggerNames.map((trigger) => [triggerManifest[trigger].functionName, triggers[trigger]]),
    ) as Record<TriggerFunctionName, Statement<T>[]>),
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
  resources: Pick<FunctionResources<T>, "table" | "tableIndexes">,
): Statement<T>[] {
  return [
    { actions: ["dynamodb:Query"], resources: [resources.tableIndexes] },
    { actions: ["dynamodb:PutItem"], resources: [resources.table] },
  ];
}
