import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createLegacyCredentialStore,
  type DynamoUserStore,
  type LegacyCredentialItem,
  type LegacyCredentialStore,
  signLegacyRequest,
} from "@cognito-lifecycle/aws";
import { defineConfig, type LifecycleConfig } from "@cognito-lifecycle/core";
import { migrationRefusalMessage } from "@cognito-lifecycle/core/migration";
import { parsePasswordHash } from "@cognito-lifecycle/core/passwords";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler as preTokenGeneration } from "../../functions/pre-token-generation.ts";
import { createHandler as userMigration } from "../../functions/user-migration.ts";
import { freshStore } from "../support/aws.ts";
import { captureLogs, clone, expectOnlyResponseChanged, invoke, runtime } from "./support.ts";

const config: LifecycleConfig = defineConfig({
  roles: {
    admin: { permissions: [] },
    editor: { permissions: ["posts:write"] },
    member: { permissions: [] },
  },
  defaultRoles: ["member"],
  migration: { enabled: true, roleMap: { Editors: ["editor"], Owners: ["admin"] } },
});

let store: DynamoUserStore;
let legacy: LegacyCredentialStore;
let db: Awaited<ReturnType<typeof freshStore>>["db"];
let tableName: string;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
  legacy = createLegacyCredentialStore({ db, tableName });
});

/** Openwall's crypt_blowfish vector: password "U*U". */
const bcryptHash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
const oldPassword = "U*U";

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `migrating-${counter}-${Date.now()}@example.com`;
}

async function imported(overrides: Partial<LegacyCredentialItem> = {}): Promise<LegacyCredentialItem> {
  const item: LegacyCredentialItem = {
    email: uniqueEmail(),
    emailVerified: true,
    name: "Jane Doe",
    roles: ["editor"],
    credential: parsePasswordHash(bcryptHash),
    disabled: false,
    origin: "import:auth0",
    importedAt: "2030-01-01T00:00:00.000Z",
    ...overrides,
  };
  await legacy.put(item);
  return item;
}

/**
 * Shaped as Cognito sends it (the Powertools MigrateUserTriggerSchema example and the developer
 * guide's parameters): `response` members arrive null; ForgotPassword has no password.
 */
function authenticationEvent(userName: string, password: string | null) {
  return {
    version: "1",
    triggerSource: "UserMigration_Authentication",
    region: "us-east-1",
    userPoolId: "us-east-1_ABC123",
    userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "abcdefg1234567" },
    request: { password, validationData: null, clientMetadata: null },
    response: {
      userAttributes: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
    },
  };
}

function forgotPasswordEvent(userName: string) {
  const event = authenticationEvent(userName, null);
  return { ...event, triggerSource: "UserMigration_ForgotPassword", request: { clientMetadata: null } };
}

function handlerWith(
  parts: Partial<Parameters<typeof userMigration>[0] extends () => infer R ? R : never> = {},
) {
  return userMigration(() => ({ config, legacy, now: () => new Date(), ...parts }));
}

async function refusalOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as Error | undefined;
  if (!error) throw new Error("expected a refusal");
  return { name: error.name, message: error.message };
}

describe("user migration: imported credentials", () => {
  it("migrates with the old password: confirmed, silent, email verified as the old system said", async () => {
    const item = await imported();
    const event = authenticationEvent(item.email.toUpperCase(), oldPassword);
    const result = await invoke(handlerWith(), clone(event));
    expectOnlyResponseChanged(event, result);
    expect(result.response).toMatchObject({
      userAttributes: { email: item.email, email_verified: "true", name: "Jane Doe" },
      finalUserStatus: "CONFIRMED",
      messageAction: "SUPPRESS",
    });
    // Roles are ours: never sent to Cognito as attributes.
    expect(JSON.stringify(result.response)).not.toContain("editor");
  });

  it("leaves email_verified out when the old system did not verify the address", async () => {
    const item = await imported({ emailVerified: false });
    const result = await invoke(handlerWith(), authenticationEvent(item.email, oldPassword));
    expect(
      (result.response as unknown as { userAttributes: Record<string, string> }).userAttributes,
    ).not.toHaveProperty("email_verified");
  });

  it("answers a wrong password, an unknown user, a disabled user and a rate-limited one identically", async () => {
    const wrong = await imported();
    const disabled = await imported({ disabled: true });
    const limited = await imported();
    const handler = handlerWith();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await invoke(handler, authenticationEvent(limited.email, "not it")).catch(() => undefined);
    }
    const logs = captureLogs();
    const refusals = await Promise.all([
      refusalOf(invoke(handler, authenticationEvent(wrong.email, "not it"))),
      refusalOf(invoke(handler, authenticationEvent(uniqueEmail(), oldPassword))),
      refusalOf(invoke(handler, authenticationEvent(disabled.email, oldPassword))),
      // The right password, over the limit.
      refusalOf(invoke(handler, authenticationEvent(limited.email, oldPassword))),
    ]);
    expect(new Set(refusals.map((refusal) => JSON.stringify(refusal))).size).toBe(1);
    expect(refusals[0]?.message).toBe(migrationRefusalMessage);
    const logged = logs.join("\n");
    for (const secret of [oldPassword, "not it", wrong.email, disabled.email, limited.email]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).toContain("rate-limited");
  });

  it("ForgotPassword migrates a verified address without a password, and refuses an unverified one", async () => {
    const verified = await imported({ credential: undefined });
    const result = await invoke(handlerWith(), forgotPasswordEvent(verified.email));
    expect(result.response).toMatchObject({
      userAttributes: { email: verified.email, email_verified: "true" },
      messageAction: "SUPPRESS",
    });
    expect(result.response).not.toHaveProperty("finalUserStatus", "CONFIRMED");
    const unverified = await imported({ emailVerified: false });
    expect((await refusalOf(invoke(handlerWith(), forgotPasswordEvent(unverified.email)))).message).toBe(
      migrationRefusalMessage,
    );
  });

  it("the first token adopts the user: record with source migration and mapped roles, imported item gone", async () => {
    const item = await imported();
    const sub = crypto.randomUUID();
    const deps = runtime({ config, store });
    const pre = preTokenGeneration(() => ({ ...deps(), legacy }));
    const tokenEvent = {
      version: "2",
      triggerSource: "TokenGeneration_Authentication",
      region: "us-east-1",
      userPoolId: "us-east-1_ABC123",
      userName: sub,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "abcdefg1234567" },
      request: {
        userAttributes: {
          sub,
          email: item.email,
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        scopes: ["openid"],
      },
      response: { claimsAndScopeOverrideDetails: null },
    };
    const first = await invoke(pre, clone(tokenEvent));
    const record = await store.get(sub);
    expect(record).toMatchObject({
      source: "migration",
      emailVerifiedBy: "migration",
      roles: ["editor", "member"],
    });
    expect(JSON.stringify(first.response)).toContain("editor");
    expect(await legacy.get(item.email)).toBeUndefined();
    // A retry finds the record and changes nothing.
    await invoke(pre, clone(tokenEvent));
    expect((await store.get(sub))?.version).toBe(record?.version);
  });
});

describe("user migration: legacy endpoint", () => {
  let url: string;
  let close: () => void;
  const secret = "test-shared-secret";
  const seen: { body: string; timestamp: string; signature: string }[] = [];

  beforeAll(async () => {
    const server = createServer(async (request: IncomingMessage, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      const timestamp = String(request.headers["x-migration-timestamp"]);
      const signature = String(request.headers["x-migration-signature"]);
      seen.push({ body, timestamp, signature });
      if (signature !== signLegacyRequest(secret, timestamp, body)) {
        response.writeHead(401).end();
        return;
      }
      const asked = JSON.parse(body) as { action: string; email: string; password?: string };
      if (!asked.email.startsWith("endpoint-")) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          found: true,
          verified: asked.password === "legacy-pass",
          user: { emailVerified: true, roles: ["Editors", "Unknown"], name: "Old User" },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;
    close = () => server.close();
  });
  afterAll(() => close());

  it("signs the request, maps the old roles, and hands the user to the store for the first token", async () => {
    const email = `endpoint-${uniqueEmail()}`;
    const handler = handlerWith({ endpoint: { url, secret, timeoutMs: 2000 } });
    const result = await invoke(handler, authenticationEvent(email, "legacy-pass"));
    expect(result.response).toMatchObject({ userAttributes: { email, email_verified: "true" } });
    const request = seen.at(-1);
    expect(request?.signature).toBe(signLegacyRequest(secret, request?.timestamp ?? "", request?.body ?? ""));
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      action: "authenticate",
      email,
      password: "legacy-pass",
    });
    expect(await legacy.get(email)).toMatchObject({ roles: ["editor"], origin: "endpoint" });
    expect((await legacy.get(email))?.credential).toBeUndefined();
  });

  it("refuses a wrong password and an unknown user alike; a wrongly signed request is a failure, not a match", async () => {
    const handler = handlerWith({ endpoint: { url, secret, timeoutMs: 2000 } });
    const wrong = await refusalOf(invoke(handler, authenticationEvent(`endpoint-${uniqueEmail()}`, "nope")));
    const unknown = await refusalOf(invoke(handler, authenticationEvent(uniqueEmail(), "legacy-pass")));
    expect(wrong).toEqual(unknown);
    const badKey = handlerWith({ endpoint: { url, secret: "other", timeoutMs: 2000 } });
    const failed = await refusalOf(
      invoke(badKey, authenticationEvent(`endpoint-${uniqueEmail()}`, "legacy-pass")),
    );
    expect(failed.message).not.toBe(migrationRefusalMessage);
  });
});
