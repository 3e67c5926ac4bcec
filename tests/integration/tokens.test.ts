import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  freePort,
  HandlerRegistry,
  localCredentials,
  localRegion,
  type RunningService,
  startInvokeServer,
  type TokenEventVersion,
} from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal } from "../../packages/local/src/cognito.ts";

/**
 * The tokens cognito-local issues under each pre token generation version, with a test trigger
 * (fixtures/pre-token-generation.ts) whose answer depends on the user, so every part of the V2
 * semantics is seen on real signed tokens: claims per token, complex values, suppression,
 * reserved claims, scopes and group overrides. The lifecycle test covers our own trigger.
 */
const services: RunningService[] = [];
let dataDir: string;
const pools = new Map<TokenEventVersion, Pool>();
const roleArn = "arn:aws:iam::123456789012:role/admins";
const password = "Correct-horse-1";

interface Pool {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
}

async function startPool(version: TokenEventVersion, invokeEndpoint: string): Promise<Pool> {
  const port = await freePort();
  services.push(
    await startCognitoLocal({
      port,
      dataDir: join(dataDir, version),
      invokeEndpoint,
      triggers: { PreTokenGeneration: "PreTokenGeneration" },
      messageSender: { sendEmail: async () => {}, sendSms: async () => {} },
      logFile: join(dataDir, `${version}.log`),
      tokenEvents: version,
    }),
  );
  const cognito = new CognitoIdentityProviderClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: localRegion,
    credentials: localCredentials,
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({ PoolName: `tokens-${version}`, UsernameAttributes: ["email"] }),
  );
  const userPoolId = UserPool?.Id as string;
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  for (const [GroupName, extra] of [
    ["admins", { RoleArn: roleArn, Precedence: 1 }],
    ["support", {}],
  ] as const) {
    await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName, ...extra }));
  }
  return { cognito, userPoolId, clientId: UserPoolClient?.ClientId as string };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "tokens-"));
  const invoke = await startInvokeServer({
    port: await freePort(),
    registry: new HandlerRegistry(join(import.meta.dirname, "fixtures")),
  });
  services.push(invoke);
  for (const version of ["v1", "v2", "v3"] as const)
    pools.set(version, await startPool(version, invoke.endpoint));
}, 60_000);

afterAll(async () => {
  for (const pool of pools.values()) pool.cognito.destroy();
  for (const service of services.reverse()) await service.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function decode(token: string | undefined): Record<string, unknown> {
  if (!token) throw new Error("no token");
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

/** A confirmed user in the `admins` group (scenario = the email's first word), signed in. */
async function signedIn(version: TokenEventVersion, scenario: string) {
  const { cognito, userPoolId, clientId } = pools.get(version) as Pool;
  const email = `${scenario}-${randomUUID().slice(0, 8)}@example.com`;
  const { User } = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      UserAttributes: [{ Name: "email", Value: email }],
      MessageAction: "SUPPRESS",
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  await cognito.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: userPoolId,
      Username: User?.Username as string,
      GroupName: "admins",
    }),
  );
  const { AuthenticationResult } = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return {
    email,
    clientId,
    id: decode(AuthenticationResult?.IdToken),
    access: decode(AuthenticationResult?.AccessToken),
    refreshToken: AuthenticationResult?.RefreshToken as string,
  };
}

describe("pre token generation V2 (the default) on the local stack", () => {
  it("sends a V2 event with the user's real groups, their IAM role and the token's scopes", async () => {
    const { id } = await signedIn("v2", "echo");
    expect(id.seen).toEqual({
      version: "2",
      groupConfiguration: {
        groupsToOverride: ["admins"],
        iamRolesToOverride: [roleArn],
        preferredRole: roleArn,
      },
      scopes: ["aws.cognito.signin.user.admin"],
    });
    expect(id["cognito:groups"]).toEqual(["admins"]);
    expect(id["cognito:roles"]).toEqual([roleArn]);
    expect(id["cognito:preferred_role"]).toBe(roleArn);
  });

  it("applies claims to each token, with complex values; suppress wins; reserved claims stay Cognito's", async () => {
    const { id, access, clientId } = await signedIn("v2", "claims");
    expect(id).toMatchObject({
      roles: ["member", "support"],
      tier: 3,
      flags: { beta: true },
      token_use: "id",
    });
    expect(id).not.toHaveProperty("email");
    expect(id.sub).not.toBe("forged");
    expect(access).toMatchObject({ roles: ["member", "support"], client_id: clientId, token_use: "access" });
    expect(access).not.toHaveProperty("tier");
    expect(access.scope).toBe("aws.cognito.signin.user.admin orders/read");
  });

  it("groupOverrideDetails replaces the groups in both tokens; an empty one removes them", async () => {
    const regrouped = await signedIn("v2", "regroup");
    expect(regrouped.id["cognito:groups"]).toEqual(["support"]);
    expect(regrouped.access["cognito:groups"]).toEqual(["support"]);
    expect(regrouped.id).not.toHaveProperty("cognito:roles");

    const ungrouped = await signedIn("v2", "nogroups");
    expect(ungrouped.id).not.toHaveProperty("cognito:groups");
    expect(ungrouped.access).not.toHaveProperty("cognito:groups");

    const kept = await signedIn("v2", "claims");
    expect(kept.access["cognito:groups"]).toEqual(["admins"]);
  });

  it("suppressing every scope leaves the access token without a scope claim", async () => {
    const { access } = await signedIn("v2", "noscopes");
    expect(access).not.toHaveProperty("scope");
  });

  it("runs the same answer again on refresh", async () => {
    const { refreshToken, clientId } = await signedIn("v2", "claims");
    const { cognito } = pools.get("v2") as Pool;
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(decode(AuthenticationResult?.AccessToken).roles).toEqual(["member", "support"]);
  });
});

describe("pre token generation V3 and V1 (stack option tokenEvents)", () => {
  it("V3 sends version 3 and applies the answer as V2 does", async () => {
    const { id, access } = await signedIn("v3", "claims");
    expect(access.roles).toEqual(["member", "support"]);
    expect(id.roles).toEqual(["member", "support"]);
    expect((await signedIn("v3", "echo")).id.seen).toMatchObject({ version: "3" });
  });

  it("V1 sends version 1 without scopes and changes the ID token only", async () => {
    const { id, access } = await signedIn("v1", "echo");
    expect(JSON.parse(String(id.seen))).toEqual({
      version: "1",
      groupConfiguration: {
        groupsToOverride: ["admins"],
        iamRolesToOverride: [roleArn],
        preferredRole: roleArn,
      },
      scopes: null,
    });
    expect(id.roles).toBe('["member"]');
    expect(access).not.toHaveProperty("roles");
    expect(access.scope).toBe("aws.cognito.signin.user.admin");

    const ungrouped = await signedIn("v1", "nogroups");
    expect(ungrouped.id).not.toHaveProperty("cognito:groups");
    expect(ungrouped.access).not.toHaveProperty("cognito:groups");
  });
});
