import { join } from "node:path";
import { activeTriggers, triggerManifest } from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import linkingConfig from "./fixtures/linking.config.ts";
import { grantsOf, leastPrivilegeProblems } from "./support/iam.ts";
import { repoRoot, requirePlatform, skipInfra, skipReason } from "./support/platform.ts";
import { Stack } from "./support/record.ts";
import { runStacks } from "./support/run-stack.ts";

if (skipInfra) console.warn(`Skipping the component tests: ${skipReason}`);

const appPoolId = "us-east-1_AppPool";
const appPoolArn = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${appPoolId}`;

describe.skipIf(skipInfra)("the CognitoLifecycle component in an app with its own pool (attach mode)", () => {
  let app: Stack;

  beforeAll(async () => {
    requirePlatform();
    const [record] = await runStacks([
      {
        stage: "dev",
        sstConfig: join(repoRoot, "tests", "infra", "fixtures", "attach.sst.config.ts"),
        // Linking and a default group: PreSignUp and PostConfirmation call Cognito on the pool.
        configFile: join(repoRoot, "tests", "infra", "fixtures", "linking.config.ts"),
      },
    ]);
    if (!record) throw new Error("runStacks returned no record");
    app = new Stack(record);
  }, 900_000);

  it("runs to completion without errors", () => {
    expect(app.record.errors, app.record.stderr).toEqual([]);
    expect(app.record.unknownMethods).toEqual([]);
  });

  it("creates no pool, no groups and no app client: only the console's client, on the app's pool", () => {
    expect(app.all("aws:cognito/userPool:UserPool")).toEqual([]);
    expect(app.all("aws:cognito/userGroup:UserGroup")).toEqual([]);
    const clients = app.all("aws:cognito/userPoolClient:UserPoolClient");
    expect(clients.map((client) => [client.name, client.inputs.userPoolId])).toEqual([
      ["ConsoleClientClient", appPoolId],
    ]);
    expect(app.record.outputs).toMatchObject({
      userPoolId: appPoolId,
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${appPoolId}`,
    });
  });

  it("lets Cognito invoke each trigger from the app's pool only", () => {
    // The triggers the fixture's config deploys (user migration is off there).
    for (const trigger of activeTriggers(linkingConfig)) {
      const { functionName } = triggerManifest[trigger];
      const invoke = app
        .all("aws:lambda/permission:Permission")
        .filter((permission) => permission.inputs.function === app.fn(functionName).arn);
      expect(
        invoke.map((permission) => permission.inputs),
        trigger,
      ).toEqual([
        expect.objectContaining({
          action: "lambda:InvokeFunction",
          principal: "cognito-idp.amazonaws.com",
          sourceArn: appPoolArn,
        }),
      ]);
    }
  });

  it("writes every trigger into the pool's LambdaConfig on create, update and delete, after the permissions", () => {
    const invocation = app.one("aws:lambda/invocation:Invocation", "AttachTriggers");
    expect(invocation.inputs).toMatchObject({
      functionName: app.fn("AttachTriggers").inputs.name,
      lifecycleScope: "CRUD",
    });
    const input = JSON.parse(String(invocation.inputs.input));
    expect(input).toEqual({
      userPoolId: appPoolId,
      lambdaConfig: {
        PreSignUp: app.fn("PreSignUp").arn,
        PostConfirmation: app.fn("PostConfirmation").arn,
        PreTokenGenerationConfig: { LambdaArn: app.fn("PreTokenGeneration").arn, LambdaVersion: "V2_0" },
        CustomMessage: app.fn("CustomMessage").arn,
        PostAuthentication: app.fn("PostAuthentication").arn,
      },
    });
    expect(app.fn("AttachTriggers").build.handler).toBe("functions/attach-triggers.handler");
  });

  it("grants the pool writer DescribeUserPool and UpdateUserPool on the app's pool only", () => {
    const { role, rolePolicies } = app.fn("AttachTriggers");
    const grants = [...grantsOf(role.inputs.inlinePolicies), ...grantsOf(rolePolicies.map((p) => p.inputs))];
    expect(
      leastPrivilegeProblems(grants, [
        { actions: ["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"], resources: [appPoolArn] },
      ]),
    ).toEqual([]);
  });

  it("grants triggers their Cognito actions on the app's pool", () => {
    for (const id of ["PreSignUp", "PostConfirmation"]) {
      const onPool = grantsOf(app.fn(id).rolePolicies.map((policy) => policy.inputs));
      expect(onPool.length, id).toBeGreaterThan(0);
      for (const grant of onPool) expect(grant.resources, id).toEqual([appPoolArn]);
    }
  });

  it("builds the admin API on the console's client and skips the console when turned off", () => {
    // The admin API's authorizer (the self-service one, "AppUsers", takes the app's clients).
    const authorizer = app
      .all("aws:apigatewayv2/authorizer:Authorizer")
      .find((resource) => !resource.name.includes("AppUsers"))?.inputs as {
      jwtConfiguration: { issuer: string; audiences: string[] };
    };
    expect(authorizer.jwtConfiguration).toEqual({
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${appPoolId}`,
      audiences: ["ConsoleClientClient-id"],
    });
    expect(app.all("aws:cloudfront/distribution:Distribution")).toEqual([]);
    expect(app.fn("ApiAuthorizer").inputs.environment?.variables?.LIFECYCLE_USER_POOL_CLIENT_ID).toBe(
      "app-client-id",
    );
  });

  it("applies transform hooks: the table's and one function's", () => {
    const table = app.one("aws:dynamodb/table:Table", "UsersTable").inputs;
    expect(table).toMatchObject({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" });
    expect(app.fn("Reconcile").inputs.memorySize).toBe(2048);
    expect(app.fn("Retention").inputs.memorySize).toBe(256);
  });

  it("applies transform hooks to the events, webhooks and delete-signal resources", () => {
    expect(app.one("aws:cloudwatch/eventBus:EventBus", "LifecycleEvents").inputs.tags).toEqual({
      hook: "eventBus",
    });
    expect(
      app.one("aws:lambda/eventSourceMapping:EventSourceMapping", "EventsStreamMapping").inputs,
    ).toMatchObject({ batchSize: 50, bisectBatchOnFunctionError: true });
    for (const queue of ["EventsDeadLetter", "CognitoApiEventsDeadLetters"]) {
      expect(app.one("aws:sqs/queue:Queue", queue).inputs.tags, queue).toEqual({ hook: queue });
    }
    expect(app.one("aws:cloudwatch/eventRule:EventRule", "CognitoApiEventsRule").inputs.tags).toEqual({
      hook: "eventRule",
    });
    expect(
      app.one("aws:cloudwatch/eventTarget:EventTarget", "CognitoApiEventsTarget").inputs.retryPolicy,
    ).toEqual({
      maximumEventAgeInSeconds: 3600,
      maximumRetryAttempts: 20,
    });
    expect(app.one("aws:cloudtrail/trail:Trail", "ManagementEventsTrail").inputs.tags).toEqual({
      hook: "trail",
    });
    for (const alarm of ["EventsDeadLetterAlarm", "EventsIteratorAgeAlarm", "EventsErrorsAlarm"]) {
      expect(app.one("aws:cloudwatch/metricAlarm:MetricAlarm", alarm).inputs.tags, alarm).toEqual({
        hook: alarm,
      });
    }
    expect(app.fn("Events").inputs.memorySize).toBe(1024);
    expect(app.fn("WebhookDispatch").inputs.memorySize).toBe(384);
    expect(app.fn("CognitoApiEvents").inputs.memorySize).toBe(640);
    expect(
      app.one("aws:cloudwatch/eventRule:EventRule", "WebhookDispatchScheduleRule").inputs.scheduleExpression,
    ).toBe("rate(2 minutes)");
  });

  it("links the table to the app's functions read-only: GetItem, BatchGetItem and Query", () => {
    const table = app.one("aws:dynamodb/table:Table", "UsersTable");
    const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${String(table.inputs.name)}`;
    const appApi = app.fn("AppApi");
    expect(
      leastPrivilegeProblems(grantsOf(appApi.role.inputs.inlinePolicies), [
        {
          actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
          resources: [tableArn, `${tableArn}/index/*`],
        },
      ]),
    ).toEqual([]);
    expect(appApi.build.links).toEqual(["AuthUsers"]);
  });

  it("parents its resources to the component with an alias to the stack root, so a deploy adopts them", () => {
    const component = app.all("cognito-lifecycle:aws:CognitoLifecycle");
    expect(component.map((resource) => resource.name)).toEqual(["Auth"]);
    for (const [type, name] of [
      ["sst:aws:Dynamo", "Users"],
      ["sst:aws:Email", "Email"],
      ["sst:aws:Function", "PreSignUp"],
      ["aws:sns/topic:Topic", "Alarms"],
      ["sst:aws:ApiGatewayV2", "AdminApi"],
    ] as const) {
      const resource = app.one(type, name);
      expect(resource.parent, name).toMatch(/cognito-lifecycle:aws:CognitoLifecycle::Auth$/);
      expect(resource.aliases, name).toEqual([expect.objectContaining({ noParent: true })]);
    }
  });
});
