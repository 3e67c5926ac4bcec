import { beforeAll, describe, expect, it } from "vitest";
// The repository's offline SST harness (Pulumi mocks, a stand-in SST CLI): this app lives two
// levels below the repository's root, in examples/ and in the copy example:check installs.
import { grantsOf, leastPrivilegeProblems } from "../../../tests/infra/support/iam.ts";
import { Stack } from "../../../tests/infra/support/record.ts";
import { runStacks } from "../../../tests/infra/support/run-stack.ts";

const appRoot = new URL("..", import.meta.url).pathname;
const poolId = "us-east-1_MockPool";

/** This app's sst.config.ts run() with the installed component, under Pulumi mocks. */
describe("the example app's infrastructure", () => {
  let app: Stack;

  beforeAll(async () => {
    const [record] = await runStacks([{ stage: "dev", sstConfig: `${appRoot}sst.config.ts`, appRoot }]);
    if (!record) throw new Error("runStacks returned no record");
    app = new Stack(record);
  });

  it("runs to completion without errors", () => {
    expect(app.record.errors, app.record.stderr).toEqual([]);
    expect(app.record.unknownMethods).toEqual([]);
    expect(app.record.builds.flatMap((build) => build.errors)).toEqual([]);
  });

  it("creates the pool with the triggers, from the installed package's handlers", () => {
    expect(app.all("aws:cognito/userPool:UserPool")).toHaveLength(1);
    const pool = app.all("aws:cognito/userPool:UserPool")[0]?.inputs as {
      lambdaConfig: Record<string, unknown>;
    };
    expect(Object.keys(pool.lambdaConfig).sort()).toEqual(
      expect.arrayContaining(["customMessage", "postAuthentication", "postConfirmation", "preSignUp"]),
    );
    expect(pool.lambdaConfig.preTokenGenerationConfig).toMatchObject({ lambdaVersion: "V2_0" });
    for (const id of ["PreSignUp", "PostConfirmation", "PreTokenGeneration", "CustomMessage"]) {
      expect(app.fn(id).build.handler, id).toMatch(
        /^node_modules\/@cognito-lifecycle\/sst\/dist\/functions\/[a-z-]+\.handler$/,
      );
    }
  });

  it("compiles this app's lifecycle.config.ts into the handlers", () => {
    const nodePaths = app.fn("PreSignUp").build.properties.esbuild?.nodePaths;
    expect(nodePaths).toEqual([`${appRoot}.sst/cognito-lifecycle/node_modules`]);
  });

  it("creates the user table with its stream", () => {
    const table = app.one("aws:dynamodb/table:Table", "UsersTable").inputs;
    expect(table).toMatchObject({ hashKey: "pk", rangeKey: "sk", streamEnabled: true });
  });

  it("deploys the console the package ships, configured by config.json", () => {
    const build = app.one("command:local:Command", "AdminConsoleBuilder").inputs;
    expect(build).toMatchObject({
      create: "node config-json.mjs",
      dir: `${appRoot}.sst/cognito-lifecycle/console`,
      environment: expect.objectContaining({ VITE_USER_POOL_ID: poolId }),
    });
  });

  it("routes GET /me to the app's own handler", () => {
    const routes = app.all("aws:apigatewayv2/route:Route").map((route) => route.inputs.routeKey);
    expect(routes).toContain("GET /me");
    const me = app.record.builds.find((build) => build.handler === "src/me.handler");
    expect(me?.exports).toContain("handler");
  });

  it("gives the route the pool and web client to verify tokens, and the table read-only", () => {
    const me = app.record.builds.find((build) => build.handler === "src/me.handler");
    if (!me) throw new Error("no build of src/me.handler");
    const fn = app.fn(me.functionID);
    expect(fn.inputs.environment?.variables).toMatchObject({
      USER_POOL_ID: poolId,
      USER_POOL_CLIENT_ID: "WebClientClient-id",
    });
    expect(me.links).toEqual(["AuthUsers"]);
    const table = app.one("aws:dynamodb/table:Table", "UsersTable");
    const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${String(table.inputs.name)}`;
    expect(
      leastPrivilegeProblems(grantsOf(fn.role.inputs.inlinePolicies), [
        {
          actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
          resources: [tableArn, `${tableArn}/index/*`],
        },
      ]),
    ).toEqual([]);
  });

  it("returns the pool, client, issuer and API URL", () => {
    expect(app.record.outputs).toMatchObject({
      userPoolId: poolId,
      webClientId: "WebClientClient-id",
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
    });
    expect(String(app.record.outputs?.api)).toMatch(/^https:\/\//);
  });
});
