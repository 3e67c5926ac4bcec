import { join } from "node:path";
import { compiledConfigName } from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { keyAttributes, userTable } from "../../packages/aws/src/table.ts";
import { consoleContentSecurityPolicy } from "../../packages/console/src/csp.ts";
import { type Grant, grantsOf, leastPrivilegeProblems, trustedPrincipals } from "./support/iam.ts";
import { repoRoot, requirePlatform, skipInfra, skipReason } from "./support/platform.ts";
import { Stack } from "./support/record.ts";
import { runStacks } from "./support/run-stack.ts";

if (skipInfra) console.warn(`Skipping the infrastructure tests: ${skipReason}`);

const account = "123456789012";
const region = "us-east-1";
const poolArn = `arn:aws:cognito-idp:${region}:${account}:userpool/us-east-1_MockPool`;
const senderIdentity = `arn:aws:ses:${region}:${account}:identity/no-reply@example.com`;

const triggers = {
  preSignUp: { id: "PreSignUp", handler: "functions/pre-sign-up.handler" },
  postConfirmation: { id: "PostConfirmation", handler: "functions/post-confirmation.handler" },
  preTokenGeneration: { id: "PreTokenGeneration", handler: "functions/pre-token-generation.handler" },
  customMessage: { id: "CustomMessage", handler: "functions/custom-message.handler" },
  postAuthentication: { id: "PostAuthentication", handler: "functions/post-authentication.handler" },
} as const;

const otherFunctions = {
  AdminApiHandler: "functions/admin-api.handler",
  Reconcile: "functions/reconcile.handler",
  Retention: "functions/retention.handler",
  WebhookDispatch: "functions/webhook-dispatch.handler",
  CognitoApiEvents: "functions/cognito-api-events.handler",
  EmailFeedback: "functions/email-feedback.handler",
  ApiAuthorizer: "functions/api-authorizer.handler",
  Events: "functions/events.handler",
  SelfServiceApiHandler: "functions/self-service-api.handler",
} as const;

/** The admin API contract (/tmp/admin-api-contract.md), as API Gateway route keys. */
const contractRoutes = [
  "GET /me",
  "GET /roles",
  "GET /users",
  "POST /users",
  "GET /users.csv",
  "GET /users/count",
  "POST /users/bulk",
  "GET /users/bulk/{id}",
  "POST /users/bulk/{id}/resume",
  "POST /users/bulk/export",
  "GET /users/{sub}",
  "PATCH /users/{sub}/roles",
  "PATCH /users/{sub}/profile",
  "POST /users/{sub}/disable",
  "POST /users/{sub}/enable",
  "DELETE /users/{sub}",
  "POST /users/{sub}/resync",
  "GET /users/{sub}/export",
  "POST /users/{sub}/erase",
  "POST /users/{sub}/invite",
  "POST /users/{sub}/sign-out",
  "POST /users/{sub}/reset-password",
  "POST /users/{sub}/verify-email",
  "GET /users/{sub}/mfa",
  "POST /users/{sub}/mfa/reset",
  "GET /audit",
  "GET /webhooks",
  "POST /webhooks",
  "GET /webhooks/{id}",
  "PATCH /webhooks/{id}",
  "POST /webhooks/{id}/disable",
  "POST /webhooks/{id}/enable",
  "POST /webhooks/{id}/rotate",
  "POST /webhooks/{id}/test",
  "GET /webhooks/{id}/attempts",
  "POST /webhooks/{id}/replay",
  "POST /imports",
  "GET /imports/{id}",
];

/** The self-service data-rights routes, behind their own authorizer for the app's clients. */
const selfServiceRouteKeys = ["DELETE /me", "GET /me/export"];

const identityProviders = [
  { type: "google", clientId: "google-client" },
  {
    type: "oidc",
    name: "Okta",
    issuer: "https://acme.okta.com",
    clientId: "okta-client",
    groupsClaim: "groups",
  },
  {
    type: "saml",
    name: "Entra",
    metadataUrl: "https://login.microsoftonline.com/tenant/federationmetadata/2007-06/federationmetadata.xml",
    groupsAttribute: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
  },
];

/** The delete signal's dead-letter queue, as the mocks name its ARN. */
function deadLetterArn(stack: Stack): string {
  const queue = stack.one("aws:sqs/queue:Queue", "CognitoApiEventsDeadLetters");
  // The mocks' computed queue ARN (tests/infra/support/stack-program.mjs).
  return `arn:aws:sqs:${region}:${account}:${queue.name}`;
}

/** The bounce and complaint function's dead-letter queue, as the mocks name its ARN. */
function feedbackDeadLetterArn(stack: Stack): string {
  return `arn:aws:sqs:${region}:${account}:${stack.one("aws:sqs/queue:Queue", "EmailFeedbackDeadLetters").name}`;
}

describe.skipIf(skipInfra)("the SST stack under Pulumi mocks", () => {
  let prod: Stack;
  let dev: Stack;

  beforeAll(async () => {
    requirePlatform();
    const [production, development] = await runStacks([
      {
        stage: "prod",
        env: {
          LIFECYCLE_IDENTITY_PROVIDERS: JSON.stringify(identityProviders),
          LIFECYCLE_AUTH_DOMAIN_PREFIX: "acme-sign-in",
          LIFECYCLE_CALLBACK_URLS: "https://app.example.com/auth/callback",
          LIFECYCLE_ALARM_EMAIL: "ops@example.com",
          LIFECYCLE_CLOUDTRAIL: "create",
          SST_SECRET_GoogleClientSecret: "google-secret",
          SST_SECRET_OktaClientSecret: "okta-secret",
        },
      },
      { stage: "dev", configFile: join(repoRoot, "tests", "infra", "fixtures", "linking.config.ts") },
    ]);
    if (!production || !development) throw new Error("runStacks returned fewer records than runs");
    prod = new Stack(production);
    dev = new Stack(development);
  }, 900_000);

  it("runs to completion without errors or calls the stand-in CLI does not know", () => {
    for (const stack of [prod, dev]) {
      expect(stack.record.errors, stack.record.stderr).toEqual([]);
      expect(stack.record.unknownMethods).toEqual([]);
      expect(stack.record.outputs).toBeDefined();
    }
  });

  it("deploys through the CognitoLifecycle component, as an app adding it would", () => {
    for (const stack of [prod, dev]) {
      expect(stack.all("cognito-lifecycle:aws:CognitoLifecycle").map((resource) => resource.name)).toEqual([
        "Auth",
      ]);
      expect(stack.one("sst:aws:CognitoUserPool", "UserPool").parent).toMatch(
        /cognito-lifecycle:aws:CognitoLifecycle::Auth$/,
      );
    }
  });

  it("bundles every handler with esbuild, minified, and each exports `handler`", () => {
    const expected = {
      ...Object.fromEntries(Object.values(triggers).map(({ id, handler }) => [id, handler])),
      ...otherFunctions,
    };
    const built = Object.fromEntries(prod.record.builds.map((build) => [build.functionID, build.handler]));
    expect(built).toEqual(expected);
    for (const build of prod.record.builds) {
      expect(build.errors, build.handler).toEqual([]);
      expect(build.exports, build.handler).toContain("handler");
      expect(build.properties).toMatchObject({ architecture: "arm64", minify: true, format: "esm" });
      expect(prod.fn(build.functionID).inputs.handler).toBe(`${build.handler.split("/").pop()}`);
    }
  });

  it("bundles every handler with the config validated at deploy, so no cold start validates it again", () => {
    for (const build of prod.record.builds) {
      const define = (build.properties.esbuild?.define ?? {}) as Record<string, string>;
      expect(Object.keys(define), build.handler).toEqual([compiledConfigName]);
      const compiled = JSON.parse(define[compiledConfigName] as string) as { config: unknown };
      expect(compiled.config, build.handler).toEqual(lifecycleConfig);
    }
  });

  it("wires each trigger to its own function, with permission for Cognito to invoke it", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    const lambdaConfig = pool.lambdaConfig as Record<string, unknown> & {
      preTokenGenerationConfig: { lambdaArn: string; lambdaVersion: string };
    };
    const wired: Record<string, unknown> = {
      preSignUp: lambdaConfig.preSignUp,
      postConfirmation: lambdaConfig.postConfirmation,
      preTokenGeneration: lambdaConfig.preTokenGenerationConfig.lambdaArn,
      customMessage: lambdaConfig.customMessage,
      postAuthentication: lambdaConfig.postAuthentication,
    };
    for (const [trigger, { id, handler }] of Object.entries(triggers)) {
      const fnId = prod.functionIdOf(wired[trigger]);
      expect(fnId, trigger).toBe(id);
      expect(prod.fn(id).build.handler).toBe(handler);
      const invoke = prod
        .all("aws:lambda/permission:Permission")
        .filter((permission) => permission.inputs.function === wired[trigger]);
      expect(invoke.map((permission) => permission.inputs)).toEqual([
        expect.objectContaining({ principal: "cognito-idp.amazonaws.com", sourceArn: poolArn }),
      ]);
    }
    expect(Object.keys(lambdaConfig).sort()).toEqual([
      "customMessage",
      "postAuthentication",
      "postConfirmation",
      "preSignUp",
      "preTokenGenerationConfig",
    ]);
  });

  it("issues V2 token events on the Essentials tier", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    expect(pool.lambdaConfig).toMatchObject({ preTokenGenerationConfig: { lambdaVersion: "V2_0" } });
    expect(pool.userPoolTier).toBe("ESSENTIALS");
  });

  it("sends Cognito's email through the SES identity (DEVELOPER), so custom HTML is honoured", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    const configSet = prod.one("aws:sesv2/configurationSet:ConfigurationSet", "EmailConfig").inputs;
    expect(prod.one("aws:sesv2/emailIdentity:EmailIdentity", "EmailIdentity").inputs.emailIdentity).toBe(
      "no-reply@example.com",
    );
    expect(pool.emailConfiguration).toEqual({
      emailSendingAccount: "DEVELOPER",
      sourceArn: senderIdentity,
      fromEmailAddress: '"Acme" <no-reply@example.com>',
      replyToEmailAddress: "support@example.com",
      configurationSet: configSet.configurationSetName,
    });
  });

  it("offers TOTP MFA (optional for the pool, required of admins by the console and API), no SMS, no device tracking", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    expect(pool.mfaConfiguration).toBe("OPTIONAL");
    expect(pool.softwareTokenMfaConfiguration).toEqual({ enabled: true });
    expect(pool.smsConfiguration).toBeUndefined();
    expect(pool.deviceConfiguration).toBeUndefined();
  });

  it("signs users in by case-insensitive email with a strong password policy", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    expect(pool.usernameAttributes).toEqual(["email"]);
    expect(pool.usernameConfiguration).toEqual({ caseSensitive: false });
    expect(pool.passwordPolicy).toMatchObject({
      minimumLength: 12,
      requireLowercase: true,
      requireNumbers: true,
    });
    expect(pool.accountRecoverySetting).toEqual({
      recoveryMechanisms: [{ name: "verified_email", priority: 1 }],
    });
    expect(pool.deletionProtection).toBe("ACTIVE");
    expect(prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool")).toMatchObject({
      retainOnDelete: true,
      protect: true,
    });
    expect(dev.one("aws:cognito/userPool:UserPool", "UserPoolUserPool")).toMatchObject({
      retainOnDelete: false,
      protect: false,
    });
    expect(dev.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs.deletionProtection).toBe(
      "INACTIVE",
    );
    expect(pool.adminCreateUserConfig).toEqual({ allowAdminCreateUserOnly: false });
    expect(dev.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs.adminCreateUserConfig).toEqual(
      {
        allowAdminCreateUserOnly: true,
      },
    );
  });

  it("gives no app client write access to the groups attribute, except the federated one without self-service scope", () => {
    const pool = prod.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    // The groups attribute, then admin.editableAttributes (the repo's config: custom:department).
    expect(pool.schemas).toEqual([
      expect.objectContaining({ name: "idp_groups", attributeDataType: "String", mutable: true }),
      expect.objectContaining({ name: "department", attributeDataType: "String", mutable: true }),
    ]);
    const client = (name: string) =>
      prod.one("aws:cognito/userPoolClient:UserPoolClient", `${name}Client`).inputs;
    const flows = { WebClient: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] } as Record<
      string,
      string[]
    >;
    flows.ConsoleClient = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    for (const name of ["WebClient", "ConsoleClient"]) {
      const inputs = client(name);
      expect(inputs.explicitAuthFlows, name).toEqual(flows[name]);
      expect(inputs.supportedIdentityProviders, name).toEqual(["COGNITO"]);
      for (const attribute of [
        ...(inputs.readAttributes as string[]),
        ...(inputs.writeAttributes as string[]),
      ]) {
        expect(attribute, name).not.toMatch(/^custom:/);
      }
      expect(inputs.writeAttributes, name).not.toContain("email_verified");
    }
    const federated = client("FederatedClient");
    expect(federated.explicitAuthFlows).toEqual(["ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(federated.supportedIdentityProviders).toEqual(["Google", "Okta", "Entra"]);
    expect(federated.allowedOauthScopes).not.toContain("aws.cognito.signin.user.admin");
    expect(federated.writeAttributes).toContain("custom:idp_groups");
    expect(federated.callbackUrls).toEqual(["https://app.example.com/auth/callback"]);
    expect(prod.one("aws:cognito/userPoolDomain:UserPoolDomain", "UserPoolDomain").inputs.domain).toBe(
      "acme-sign-in",
    );
    expect(
      dev
        .all("aws:cognito/userPoolClient:UserPoolClient")
        .map((resource) => resource.name)
        .sort(),
    ).toEqual(["ConsoleClientClient", "WebClientClient"]);
  });

  it("creates the config's groups and maps the IdPs' groups into the groups attribute", () => {
    const groups = prod
      .all("aws:cognito/userGroup:UserGroup")
      .map(({ inputs }) => [inputs.name, inputs.precedence]);
    expect(groups).toEqual([
      ["admins", 0],
      ["support", 10],
    ]);
    const provider = (name: string) =>
      prod.one("aws:cognito/identityProvider:IdentityProvider", `${name}IdentityProvider`).inputs;
    expect(provider("Google")).toMatchObject({
      providerType: "Google",
      providerDetails: { client_id: "google-client", client_secret: "google-secret" },
      attributeMapping: { username: "sub", email: "email", email_verified: "email_verified" },
    });
    expect(provider("Okta")).toMatchObject({
      providerType: "OIDC",
      providerDetails: { oidc_issuer: "https://acme.okta.com", client_secret: "okta-secret" },
      attributeMapping: { "custom:idp_groups": "groups", email_verified: "email_verified" },
    });
    expect(provider("Entra")).toMatchObject({
      providerType: "SAML",
      attributeMapping: {
        "custom:idp_groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
      },
    });
  });

  describe("least privilege", () => {
    const tableArn = (stack: Stack) =>
      `arn:aws:dynamodb:${region}:${account}:table/${String(stack.one("aws:dynamodb/table:Table", "UsersTable").inputs.name)}`;
    const configSetArn = (stack: Stack) =>
      `arn:aws:ses:${region}:${account}:configuration-set/${String(
        stack.one("aws:sesv2/configurationSet:ConfigurationSet", "EmailConfig").inputs.configurationSetName,
      )}`;

    const nameOf = (stack: Stack, type: string, id: string) => {
      const inputs = stack.one(type, id).inputs;
      return typeof inputs.name === "string" && inputs.name ? inputs.name : id;
    };
    const streamArn = (stack: Stack) => `${tableArn(stack)}/stream/2030-01-01T00:00:00.000`;
    const queueArn = (stack: Stack) =>
      `arn:aws:sqs:${region}:${account}:${nameOf(stack, "aws:sqs/queue:Queue", "EventsDeadLetter")}`;
    const busArn = (stack: Stack) =>
      `arn:aws:events:${region}:${account}:event-bus/${nameOf(stack, "aws:cloudwatch/eventBus:EventBus", "LifecycleEvents")}`;

    /** Written out by hand from what each function's code calls (see packages/core/src/least-privilege.ts). */
    function expectedGrants(stack: Stack, variant: "prod" | "dev"): Record<string, Grant[]> {
      const table = tableArn(stack);
      const indexes = `${table}/index/*`;
      const send: Grant = { actions: ["ses:SendEmail"], resources: [senderIdentity, configSetArn(stack)] };
      const linking: Grant = {
        actions: ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
        resources: [poolArn],
      };
      return {
        PreSignUp: variant === "dev" ? [linking, { actions: ["dynamodb:GetItem"], resources: [table] }] : [],
        PostConfirmation: [
          { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
          ...(variant === "prod"
            ? []
            : [{ actions: ["cognito-idp:AdminAddUserToGroup"], resources: [poolArn] }]),
        ],
        PreTokenGeneration: [
          {
            actions: variant === "prod" ? ["dynamodb:GetItem", "dynamodb:PutItem"] : ["dynamodb:GetItem"],
            resources: [table],
          },
        ],
        CustomMessage: [],
        PostAuthentication: [{ actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources: [table] }],
        AdminApiHandler: [
          {
            actions: [
              "dynamodb:GetItem",
              "dynamodb:BatchGetItem",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
              "dynamodb:DeleteItem",
              // The last-admin check: a ConditionCheck on another admin's record.
              "dynamodb:ConditionCheckItem",
            ],
            resources: [table],
          },
          { actions: ["dynamodb:Query"], resources: [table, indexes] },
          {
            actions: [
              "cognito-idp:AdminCreateUser",
              "cognito-idp:AdminGetUser",
              "cognito-idp:AdminListGroupsForUser",
              "cognito-idp:AdminDisableUser",
              "cognito-idp:AdminEnableUser",
              "cognito-idp:AdminUserGlobalSignOut",
              "cognito-idp:AdminDeleteUser",
              "cognito-idp:AdminResetUserPassword",
              "cognito-idp:AdminUpdateUserAttributes",
              "cognito-idp:AdminSetUserMFAPreference",
              "cognito-idp:AdminDeleteUserAttributes",
            ],
            resources: [poolArn],
          },
        ],
        Reconcile: [
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
          { actions: ["dynamodb:Query"], resources: [table, indexes] },
          {
            actions: [
              "cognito-idp:ListUsers",
              "cognito-idp:AdminGetUser",
              "cognito-idp:ListGroups",
              "cognito-idp:ListUsersInGroup",
            ],
            resources: [poolArn],
          },
          ...(variant === "prod" ? [send] : []),
        ],
        Retention: [
          { actions: ["dynamodb:Query"], resources: [table, indexes] },
          { actions: ["dynamodb:PutItem"], resources: [table] },
        ],
        WebhookDispatch: [
          { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [table] },
          { actions: ["dynamodb:Query"], resources: [table, indexes] },
        ],
        CognitoApiEvents: [
          { actions: ["sqs:SendMessage"], resources: [deadLetterArn(stack)] },
          {
            actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            resources: [table],
          },
          { actions: ["dynamodb:Query"], resources: [indexes] },
          {
            actions: ["cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"],
            resources: [poolArn],
          },
        ],
        ApiAuthorizer: [],
        Events: [
          {
            actions: [
              "dynamodb:DescribeStream",
              "dynamodb:GetShardIterator",
              "dynamodb:GetRecords",
              "dynamodb:ListStreams",
            ],
            resources: [streamArn(stack)],
          },
          { actions: ["sqs:SendMessage"], resources: [queueArn(stack)] },
          { actions: ["events:PutEvents"], resources: [busArn(stack)] },
          {
            actions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem"],
            resources: [table],
          },
          ...(variant === "prod" ? [send] : []),
        ],
        SelfServiceApiHandler: [
          { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
          { actions: ["dynamodb:Query"], resources: [table, indexes] },
        ],
        EmailFeedback: [
          { actions: ["sqs:SendMessage"], resources: [feedbackDeadLetterArn(stack)] },
          { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table] },
          { actions: ["dynamodb:Query"], resources: [indexes] },
        ],
      };
    }

    it.each<["prod" | "dev", string]>([
      ["prod", "lifecycle.config.ts"],
      ["dev", "linking, default group, no welcome email, no just-in-time records"],
    ])("grants each function exactly what its code calls (%s: %s)", (variant) => {
      const stack = variant === "prod" ? prod : dev;
      for (const [id, expected] of Object.entries(expectedGrants(stack, variant))) {
        const { role, rolePolicies } = stack.fn(id);
        const grants = [
          ...grantsOf(role.inputs.inlinePolicies),
          ...grantsOf(rolePolicies.map((p) => p.inputs)),
        ];
        expect(leastPrivilegeProblems(grants, expected), id).toEqual([]);
        expect(role.inputs.managedPolicyArns, id).toEqual([
          "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ]);
        expect(trustedPrincipals(role.inputs.assumeRolePolicy), id).toEqual(["Service:lambda.amazonaws.com"]);
      }
    });

    it("grants triggers Cognito actions on their own pool only, in a role policy added after the pool", () => {
      for (const id of ["PreSignUp", "PostConfirmation"]) {
        const { role, rolePolicies } = dev.fn(id);
        const inline = grantsOf(role.inputs.inlinePolicies);
        expect(
          inline.flatMap((grant) => grant.actions).filter((a) => a.startsWith("cognito-idp:")),
          id,
        ).toEqual([]);
        const onPool = grantsOf(rolePolicies.map((policy) => policy.inputs));
        expect(onPool.length, id).toBeGreaterThan(0);
        for (const grant of onPool) expect(grant.resources, id).toEqual([poolArn]);
      }
      for (const grant of dev.all("aws:iam/rolePolicy:RolePolicy").flatMap((p) => grantsOf([p.inputs]))) {
        expect(grant.resources.some((resource) => resource.endsWith("userpool/*"))).toBe(false);
      }
    });

    it("passes resource names as environment variables, never as SST links", () => {
      const table = String(prod.one("aws:dynamodb/table:Table", "UsersTable").inputs.name);
      const usesTable = [
        "PostConfirmation",
        "PreTokenGeneration",
        "PostAuthentication",
        "AdminApiHandler",
        "Reconcile",
        "Retention",
        "WebhookDispatch",
        "SelfServiceApiHandler",
        "CognitoApiEvents",
        "EmailFeedback",
        "Events",
      ];
      for (const id of [
        ...Object.values(triggers).map((trigger) => trigger.id),
        ...Object.keys(otherFunctions),
      ]) {
        const variables = prod.fn(id).inputs.environment?.variables ?? {};
        expect(variables.LIFECYCLE_TABLE_NAME, id).toBe(usesTable.includes(id) ? table : undefined);
        const linked = Object.keys(variables).filter((name) => name.startsWith("SST_RESOURCE_"));
        expect(linked, id).toEqual(["SST_RESOURCE_App"]);
        expect(prod.fn(id).build.links, id).toEqual([]);
      }
    });
  });

  it("relays the table's stream to the events function: partial batches, bisect, retries, a DLQ, alarms", () => {
    expect(prod.one("aws:dynamodb/table:Table", "UsersTable").inputs).toMatchObject({
      streamEnabled: true,
      streamViewType: userTable.streamViewType,
    });
    const mapping = prod.one(
      "aws:lambda/eventSourceMapping:EventSourceMapping",
      "EventsStreamMapping",
    ).inputs;
    expect(mapping).toMatchObject({
      functionName: prod.fn("Events").inputs.name,
      startingPosition: "TRIM_HORIZON",
      batchSize: 25,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 10,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: {
        onFailure: {
          destinationArn: expect.stringMatching(/^arn:aws:sqs:us-east-1:123456789012:EventsDeadLetter/),
        },
      },
    });
    expect(prod.fn("Events").inputs.environment?.variables?.LIFECYCLE_EVENT_BUS_NAME).toBeDefined();
    expect(prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", "EventsDeadLetterAlarm").inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      threshold: 1,
    });
    expect(prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", "EventsIteratorAgeAlarm").inputs).toMatchObject(
      {
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        dimensions: { FunctionName: prod.fn("Events").inputs.name },
        threshold: 300_000,
      },
    );
  });

  it("runs triggers on arm64 within Cognito's 5 s, with log retention and alarms", () => {
    const topic = prod.one("aws:sns/topic:Topic", "Alarms");
    const topicArn = `arn:aws:sns:${region}:${account}:${String(topic.inputs.name ?? "Alarms")}`;
    for (const { id } of Object.values(triggers)) {
      const { inputs, logGroup } = prod.fn(id);
      expect(inputs.architectures, id).toEqual(["arm64"]);
      expect(inputs.memorySize, id).toBe(1024);
      expect(inputs.timeout, id).toBeLessThanOrEqual(5);
      expect(inputs.runtime, id).toBe("nodejs22.x");
      expect(logGroup.inputs.retentionInDays, id).toBe(30);
      for (const metric of ["Errors", "Throttles"]) {
        const alarm = prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", `${id}${metric}Alarm`).inputs;
        expect(alarm, `${id} ${metric}`).toMatchObject({
          namespace: "AWS/Lambda",
          metricName: metric,
          dimensions: { FunctionName: inputs.name },
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          alarmActions: [topicArn],
        });
      }
    }
    expect(prod.one("aws:sns/topicSubscription:TopicSubscription", "AlarmsEmail").inputs).toMatchObject({
      protocol: "email",
      endpoint: "ops@example.com",
    });
    expect(dev.all("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
  });

  it("puts every admin route behind the Cognito JWT authorizer", () => {
    const authorizers = prod
      .all("aws:apigatewayv2/authorizer:Authorizer")
      .filter((resource) => !resource.name.includes("AppUsers"));
    expect(authorizers).toHaveLength(1);
    const authorizer = authorizers[0]?.inputs as {
      authorizerType: string;
      jwtConfiguration: { issuer: string; audiences: string[] };
    };
    expect(authorizer.authorizerType).toBe("JWT");
    expect(authorizer.jwtConfiguration.issuer).toBe(
      `https://cognito-idp.${region}.amazonaws.com/us-east-1_MockPool`,
    );
    expect(authorizer.jwtConfiguration.audiences).toEqual(["ConsoleClientClient-id"]);

    const routes = prod
      .all("aws:apigatewayv2/route:Route")
      .filter((route) => !selfServiceRouteKeys.includes(String(route.inputs.routeKey)));
    expect(routes.map((route) => route.inputs.routeKey).sort()).toEqual([...contractRoutes].sort());
    const adminArn = prod.fn("AdminApiHandler").arn;
    for (const route of routes) {
      expect(route.inputs, String(route.inputs.routeKey)).toMatchObject({
        authorizationType: "JWT",
        authorizerId: `${authorizers[0]?.name}-id`,
      });
      const integrationId = String(route.inputs.target).replace("integrations/", "");
      const integration = prod
        .all("aws:apigatewayv2/integration:Integration")
        .find((resource) => `${resource.name}-id` === integrationId);
      expect(integration?.inputs.integrationUri, String(route.inputs.routeKey)).toBe(adminArn);
    }
  });

  it("puts the self-service routes behind an authorizer for the app's clients, on their own function", () => {
    const authorizer = prod
      .all("aws:apigatewayv2/authorizer:Authorizer")
      .find((resource) => resource.name.includes("AppUsers"));
    expect(authorizer).toBeDefined();
    const audiences =
      (authorizer?.inputs as { jwtConfiguration?: { audiences: string[] } } | undefined)?.jwtConfiguration
        ?.audiences ?? [];
    expect(audiences).not.toContain("ConsoleClientClient-id");
    expect(audiences.length).toBeGreaterThan(0);
    const routes = prod
      .all("aws:apigatewayv2/route:Route")
      .filter((route) => selfServiceRouteKeys.includes(String(route.inputs.routeKey)));
    expect(routes.map((route) => String(route.inputs.routeKey)).sort()).toEqual(
      [...selfServiceRouteKeys].sort(),
    );
    for (const route of routes) {
      expect(route.inputs).toMatchObject({
        authorizationType: "JWT",
        authorizerId: `${authorizer?.name}-id`,
      });
    }
  });

  it("deploys exactly the routes the admin and self-service apps serve", async () => {
    const { app } = await import("../../functions/admin-api.ts");
    const { app: selfService } = await import("../../functions/self-service-api.ts");
    const served = [...app.routes, ...selfService.routes]
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    const deployed = prod.all("aws:apigatewayv2/route:Route").map((route) => String(route.inputs.routeKey));
    expect([...new Set(served)].sort()).toEqual(deployed.sort());
  });

  it("builds the table from the store's own key definitions", () => {
    const table = prod.one("aws:dynamodb/table:Table", "UsersTable");
    expect(table.inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: userTable.partitionKey,
      rangeKey: userTable.sortKey,
      ttl: { attributeName: userTable.ttlAttribute, enabled: true },
      streamEnabled: true,
      streamViewType: userTable.streamViewType,
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    expect(table.inputs.attributes).toEqual(keyAttributes.map((name) => ({ name, type: "S" })));
    expect(table.inputs.globalSecondaryIndexes).toEqual(
      Object.values(userTable.indexes).map((index) => ({
        name: index.name,
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
        projectionType: "ALL",
      })),
    );
    expect(table.retainOnDelete).toBe(true);
    expect(table.protect).toBe(true);
    const devTable = dev.one("aws:dynamodb/table:Table", "UsersTable");
    expect(devTable.inputs.deletionProtectionEnabled).toBe(false);
    expect(devTable.retainOnDelete).toBe(false);
    expect(devTable.protect).toBe(false);
  });

  it("retains and protects production stages only", () => {
    expect(prod.record.app).toMatchObject({ stage: "prod", removal: "retain", protect: true, home: "aws" });
    expect(dev.record.app).toMatchObject({ stage: "dev", removal: "remove", protect: false });
  });

  it("runs reconcile daily with the scheduled input", () => {
    const rule = prod.one("aws:cloudwatch/eventRule:EventRule", "ReconcileScheduleRule").inputs;
    expect(rule).toMatchObject({ scheduleExpression: "cron(0 3 * * ? *)", state: "ENABLED" });
    const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", "ReconcileScheduleTarget").inputs;
    expect(target.arn).toBe(prod.fn("Reconcile").arn);
    expect(JSON.parse(String(target.input))).toEqual({ apply: true });
    expect(prod.fn("Reconcile").inputs.timeout).toBe(900);
  });

  it("publishes the configuration set's bounces and complaints to the default bus, and a rule sends them to EmailFeedback with retries and a DLQ", () => {
    for (const stack of [prod, dev]) {
      const configSet = String(
        stack.one("aws:sesv2/configurationSet:ConfigurationSet", "EmailConfig").inputs.configurationSetName,
      );
      const destination = stack.one(
        "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
        "EmailFeedbackDestination",
      ).inputs;
      expect(destination.configurationSetName).toBe(configSet);
      expect(destination.eventDestination).toMatchObject({
        enabled: true,
        matchingEventTypes: ["BOUNCE", "COMPLAINT"],
        eventBridgeDestination: { eventBusArn: `arn:aws:events:${region}:${account}:event-bus/default` },
      });
      const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "EmailFeedbackRule").inputs;
      expect(rule.eventBusName ?? "default").toBe("default");
      expect(JSON.parse(String(rule.eventPattern))).toEqual({
        source: ["aws.ses"],
        "detail-type": ["Email Bounced", "Email Complaint Received"],
        detail: { mail: { tags: { "ses:configuration-set": [configSet] } } },
      });
      const target = stack.one("aws:cloudwatch/eventTarget:EventTarget", "EmailFeedbackTarget").inputs;
      expect(target.arn).toBe(stack.fn("EmailFeedback").arn);
      expect(target.deadLetterConfig).toEqual({ arn: feedbackDeadLetterArn(stack) });
      expect(target.retryPolicy).toEqual({ maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 });
      expect(
        stack.one(
          "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
          "EmailFeedbackInvokeConfig",
        ).inputs,
      ).toMatchObject({
        maximumRetryAttempts: 2,
        destinationConfig: { onFailure: { destination: feedbackDeadLetterArn(stack) } },
      });
      expect(stack.one("aws:lambda/permission:Permission", "EmailFeedbackInvoke").inputs).toMatchObject({
        principal: "events.amazonaws.com",
        action: "lambda:InvokeFunction",
      });
    }
  });

  it("sends our pool's CloudTrail-recorded deletes and attribute changes to the delete signal, with retries and a DLQ", () => {
    for (const stack of [prod, dev]) {
      const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "CognitoApiEventsRule").inputs;
      expect(rule.eventBusName ?? "default").toBe("default");
      const pattern = JSON.parse(String(rule.eventPattern));
      expect(pattern).toMatchObject({
        source: ["aws.cognito-idp"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: ["cognito-idp.amazonaws.com"] },
      });
      const [adminCalls, tokenCalls] = pattern.detail.$or;
      expect(adminCalls.eventName.sort()).toEqual(
        [
          "AdminDeleteUser",
          "AdminDisableUser",
          "AdminEnableUser",
          "AdminUpdateUserAttributes",
          "AdminDeleteUserAttributes",
        ].sort(),
      );
      expect(adminCalls.requestParameters.userPoolId).toHaveLength(1);
      expect(tokenCalls).toEqual({ eventName: ["DeleteUser", "UpdateUserAttributes"] });

      const target = stack.one("aws:cloudwatch/eventTarget:EventTarget", "CognitoApiEventsTarget").inputs;
      expect(target.arn).toBe(stack.fn("CognitoApiEvents").arn);
      expect(target.deadLetterConfig).toEqual({ arn: deadLetterArn(stack) });
      expect(target.retryPolicy).toEqual({ maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 });
      const invoke = stack.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        "CognitoApiEventsInvokeConfig",
      ).inputs;
      expect(invoke).toMatchObject({
        maximumRetryAttempts: 2,
        destinationConfig: { onFailure: { destination: deadLetterArn(stack) } },
      });
      const permission = stack.one("aws:lambda/permission:Permission", "CognitoApiEventsInvoke").inputs;
      expect(permission).toMatchObject({
        principal: "events.amazonaws.com",
        action: "lambda:InvokeFunction",
      });
    }
    // The trail is opt-in (LIFECYCLE_CLOUDTRAIL=create): prod sets it, dev relies on the account's.
    const trail = prod.one("aws:cloudtrail/trail:Trail", "ManagementEventsTrail").inputs;
    expect(trail).toMatchObject({
      enableLogging: true,
      isMultiRegionTrail: false,
      eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
    });
    expect(dev.all("aws:cloudtrail/trail:Trail")).toEqual([]);
  });

  it("runs the retention scrub daily after reconcile", () => {
    const rule = prod.one("aws:cloudwatch/eventRule:EventRule", "RetentionScheduleRule").inputs;
    expect(rule).toMatchObject({ scheduleExpression: "cron(0 4 * * ? *)", state: "ENABLED" });
    const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", "RetentionScheduleTarget").inputs;
    expect(target.arn).toBe(prod.fn("Retention").arn);
    expect(prod.fn("Retention").inputs.timeout).toBe(900);
  });

  it("runs the webhook dispatcher every minute, one run at a time, within a minute", () => {
    const rule = prod.one("aws:cloudwatch/eventRule:EventRule", "WebhookDispatchScheduleRule").inputs;
    expect(rule).toMatchObject({ scheduleExpression: "rate(1 minute)", state: "ENABLED" });
    const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", "WebhookDispatchScheduleTarget").inputs;
    expect(target.arn).toBe(prod.fn("WebhookDispatch").arn);
    expect(prod.fn("WebhookDispatch").inputs).toMatchObject({ timeout: 60, reservedConcurrentExecutions: 1 });
  });

  it("builds the console with the deployment's pool, client and API", () => {
    const command = prod.one("command:local:Command", "AdminConsoleBuilder").inputs;
    expect(command).toMatchObject({
      create: "npm run build -w @cognito-lifecycle/console",
      dir: join(prod.record.root, "packages", "console"),
      environment: {
        VITE_REGION: region,
        VITE_USER_POOL_ID: "us-east-1_MockPool",
        VITE_CLIENT_ID: "ConsoleClientClient-id",
        VITE_API_BASE: prod.record.outputs?.adminApiUrl,
        VITE_LOCALES: "en,de,es",
        VITE_DEFAULT_LOCALE: "en",
      },
    });
  });

  it("serves the console with security headers from a response headers policy on its distribution", () => {
    for (const stack of [prod, dev]) {
      const policies = stack.all("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
      expect(policies.map((policy) => policy.name)).toEqual(["AdminConsoleHeaders"]);
      const apiOrigin = new URL(String(stack.record.outputs?.adminApiUrl)).origin;
      const csp = consoleContentSecurityPolicy({
        connectSources: [`https://cognito-idp.${region}.amazonaws.com`, apiOrigin],
        header: true,
      });
      // The header is the meta policy plus what only a header can say.
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`connect-src 'self' https://cognito-idp.${region}.amazonaws.com ${apiOrigin}`);
      expect(policies[0]?.inputs.securityHeadersConfig).toEqual({
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        frameOptions: { frameOption: "DENY", override: true },
        contentTypeOptions: { override: true },
        strictTransportSecurity: {
          accessControlMaxAgeSec: 63_072_000,
          includeSubdomains: true,
          override: true,
        },
        referrerPolicy: { referrerPolicy: "no-referrer", override: true },
      });
      const distribution = stack.one(
        "aws:cloudfront/distribution:Distribution",
        "AdminConsoleCdnDistribution",
      );
      expect(distribution.inputs.defaultCacheBehavior).toMatchObject({
        responseHeadersPolicyId: "AdminConsoleHeaders-id",
        viewerProtocolPolicy: "redirect-to-https",
      });
    }
  });

  it("writes SST's vite typing of the console's variables outside the console's sources", () => {
    expect(prod.record.written).toEqual([".sst/console-vite-env.d.ts"]);
  });

  it("reports the values an operator needs", () => {
    expect(prod.record.outputs).toMatchObject({
      region,
      userPoolId: "us-east-1_MockPool",
      webClientId: "WebClientClient-id",
      consoleClientId: "ConsoleClientClient-id",
      federatedClientId: "FederatedClientClient-id",
      hostedUi: `https://acme-sign-in.auth.${region}.amazoncognito.com`,
      tableName: prod.one("aws:dynamodb/table:Table", "UsersTable").inputs.name,
      emailIdentity: "no-reply@example.com",
    });
    expect(Object.keys(prod.record.outputs ?? {})).toEqual(
      expect.arrayContaining(["adminApiUrl", "consoleUrl", "apiAuthorizerArn", "reconcileFunction"]),
    );
  });
});
