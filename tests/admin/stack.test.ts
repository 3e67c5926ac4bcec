import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { reconcile, serveAdmin } from "@cognito-lifecycle/admin";
import { itemKeys } from "@cognito-lifecycle/aws";
import type { UserRecord } from "@cognito-lifecycle/core";
import { freePort, localCredentials, sesInbox } from "@cognito-lifecycle/local";
import type { LambdaEvent } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { type AdminStack, cognitoLocalKey, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt, rsaKey, signJwt, tamperedJwt, unsignedJwt } from "./tokens.ts";

const password = "Passw0rd!admin-tests";
const repoRoot = join(import.meta.dirname, "../..");

describe("admin API, reconcile and CLI against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};
  let db: DynamoDBDocumentClient;

  const userOf = async (sub: string) => (await s.server.runtime.store.get(sub)) as UserRecord;
  const get = (path: string, token = admin.idToken) => s.api("GET", path, { token });

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    for (const [name, display] of [
      ["alice", "Alice"],
      ["bob", "Bob"],
      ["carol", "Carol"],
      ["dave", "Dave"],
    ]) {
      subs[name as string] = await s.signUp(`${name}@example.com`, password, display);
    }
    db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: info.endpoints.dynamodb,
        region: info.region,
        credentials: localCredentials,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    db?.destroy();
    await s?.stop();
  }, 60_000);

  describe("routes", () => {
    it("GET /me and GET /roles", async () => {
      const me = await get("/me");
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        sub: adminSub,
        email: s.stack.info.admin.email,
        roles: ["admin", "member"],
        // What the console offers: the permissions the caller's current roles grant.
        permissions: expect.arrayContaining(["users:read", "users:write", "webhooks:manage"]),
      });
      const roles = await get("/roles");
      expect(roles.body.roles).toEqual([
        { name: "admin", description: "Manages users", permissions: expect.arrayContaining(["users:write"]) },
        { name: "support", description: "Reads user records", permissions: ["users:read", "profile:read"] },
        { name: "member", description: "A signed-up user", permissions: ["profile:read", "profile:write"] },
      ]);
    });

    it("GET /users lists newest first, pages with a cursor and filters", async () => {
      const first = await get("/users?limit=3");
      expect(first.status).toBe(200);
      const items = first.body.items as { email: string }[];
      expect(items.map((user) => user.email)).toEqual([
        "dave@example.com",
        "carol@example.com",
        "bob@example.com",
      ]);
      const second = await get(`/users?limit=3&cursor=${encodeURIComponent(String(first.body.cursor))}`);
      expect((second.body.items as { email: string }[]).map((user) => user.email)).toEqual([
        "alice@example.com",
        s.stack.info.admin.email,
      ]);
      expect(second.body.cursor).toBeUndefined();
      const alice = await get("/users?emailPrefix=ALI&role=&status=");
      expect(alice.body.items).toEqual([
        {
          sub: subs.alice,
          email: "alice@example.com",
          name: "Alice",
          roles: ["member"],
          status: "active",
          source: "sign-up",
          createdAt: expect.any(String),
        },
      ]);
      const admins = await get("/users?role=admin");
      expect((admins.body.items as { sub: string }[]).map((user) => user.sub)).toEqual([adminSub]);
      const today = new Date().toISOString().slice(0, 10);
      const created = await get(
        `/users?status=active&createdFrom=${today}&createdTo=${today}&source=sign-up`,
      );
      expect((created.body.items as unknown[]).length).toBe(4);
    });

    it("GET /users answers 400 with a message per bad field", async () => {
      const bad = await get("/users?limit=0&role=wizard&status=gone&createdFrom=yesterday&colour=red");
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: "invalid_request",
        message: "The request is not valid.",
        fields: {
          limit: expect.stringContaining(">=1"),
          role: 'unknown role "wizard" (known: admin, support, member)',
          status: expect.stringContaining("active"),
          createdFrom: "must be an ISO date or time, such as 2025-01-31 or 2025-01-31T12:00:00Z",
          colour: "is not a known field",
        },
      });
      const order = await get("/users?createdFrom=2025-02-01&createdTo=2025-01-01");
      expect(order.body.fields).toEqual({ createdTo: "must not be before createdFrom" });
      expect((await get("/users?limit=101")).body.fields).toHaveProperty("limit");
      const cursor = await get("/users?cursor=bm90LWEtY3Vyc29y");
      expect(cursor.status).toBe(400);
      expect(cursor.body.fields).toEqual({ cursor: "cursor is not valid for this query" });
    });

    it("GET /users/:sub returns the record and its audit history, 404 when unknown", async () => {
      const detail = await get(`/users/${subs.alice}?auditLimit=5`);
      expect(detail.status).toBe(200);
      expect(detail.body.user).toMatchObject({
        sub: subs.alice,
        email: "alice@example.com",
        status: "active",
        version: 1,
      });
      expect(detail.body.audit).toEqual({
        items: [expect.objectContaining({ action: "user.created", actor: "system:post-confirmation" })],
      });
      const missing = await get("/users/00000000-0000-0000-0000-000000000000");
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe("not_found");
      expect((await get(`/users/${subs.alice}?auditLimit=0`)).body.fields).toHaveProperty("auditLimit");
    });

    it("PATCH /users/:sub/roles sets known roles, audited, visible at the next token refresh", async () => {
      const aliceTokens = await s.signIn("alice@example.com", password);
      // V2 pre token generation locally, as on AWS: array claims in both tokens.
      expect(decodeJwt(aliceTokens.idToken).roles).toEqual(["member"]);
      expect(decodeJwt(aliceTokens.accessToken).roles).toEqual(["member"]);
      const changed = await s.api("PATCH", `/users/${subs.alice}/roles`, {
        token: admin.idToken,
        body: { roles: ["support", "member"], expectedVersion: 1, reason: "joins the help desk" },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.user).toMatchObject({ roles: ["member", "support"], version: 2 });
      const refreshed = decodeJwt(await s.refresh(aliceTokens.refreshToken));
      expect(refreshed.roles).toEqual(["member", "support"]);
      expect(refreshed.permissions).toEqual(["profile:read", "profile:write", "users:read"]);
      const history = await get(`/users/${subs.alice}`);
      expect((history.body.audit as { items: unknown[] }).items[0]).toMatchObject({
        action: "user.roles.set",
        actor: adminSub,
        reason: "joins the help desk",
        details: { from: ["member"], to: ["member", "support"] },
      });
    });

    it("PATCH /users/:sub/roles: 409 with the current record on a stale version, 400 per bad field, 404", async () => {
      const stale = await s.api("PATCH", `/users/${subs.alice}/roles`, {
        token: admin.idToken,
        body: { roles: ["member"], expectedVersion: 1, reason: "undo" },
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        error: "conflict",
        current: { sub: subs.alice, version: 2, roles: ["member", "support"] },
      });
      const unknown = await s.api("PATCH", `/users/${subs.alice}/roles`, {
        token: admin.idToken,
        body: { roles: ["member", "wizard"], expectedVersion: 2, reason: "x" },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.fields).toEqual({
        "roles.1": 'unknown role "wizard" (known: admin, support, member)',
      });
      const missing = await s.api("PATCH", `/users/${subs.alice}/roles`, {
        token: admin.idToken,
        body: { roles: ["member"], expectedVersion: "2" },
      });
      expect(Object.keys(missing.body.fields as object).sort()).toEqual(["expectedVersion", "reason"]);
      const broken = await s.api("PATCH", `/users/${subs.alice}/roles`, {
        token: admin.idToken,
        rawBody: "{",
      });
      expect(broken.body).toMatchObject({
        error: "invalid_request",
        fields: { "(body)": "is not valid JSON" },
      });
      const nobody = await s.api("PATCH", "/users/nobody/roles", {
        token: admin.idToken,
        body: { roles: ["member"], expectedVersion: 1, reason: "x" },
      });
      expect(nobody.status).toBe(404);
      expect((await userOf(subs.alice as string)).version).toBe(2);
    });

    it("POST disable blocks sign-in (Cognito disabled, signed out); enable restores it", async () => {
      const disabled = await s.api("POST", `/users/${subs.bob}/disable`, {
        token: admin.idToken,
        body: { reason: "spam" },
      });
      expect(disabled.status).toBe(200);
      expect(disabled.body.user).toMatchObject({ status: "disabled", version: 2 });
      const inCognito = await s.cognito.send(
        new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "bob@example.com" }),
      );
      expect(inCognito.Enabled).toBe(false);
      await expect(s.signIn("bob@example.com", password)).rejects.toThrow(/disabled/i);

      const enabled = await s.api("POST", `/users/${subs.bob}/enable`, { token: admin.idToken });
      expect(enabled.body.user).toMatchObject({ status: "active", version: 3 });
      await expect(s.signIn("bob@example.com", password)).resolves.toHaveProperty("idToken");
      const audit = (await get(`/users/${subs.bob}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items.slice(0, 2)).toEqual([
        expect.objectContaining({ action: "user.enabled", actor: adminSub }),
        expect.objectContaining({
          action: "user.disabled",
          actor: adminSub,
          reason: "spam",
          details: expect.objectContaining({ from: "active" }),
        }),
      ]);
    });

    it("POST resync refreshes the record from Cognito (attributes and groups)", async () => {
      const { userPoolId } = s.stack.info;
      await s.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: "alice@example.com",
          UserAttributes: [{ Name: "name", Value: "Alice Liddell" }],
        }),
      );
      await s.cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: userPoolId,
          Username: "alice@example.com",
          GroupName: "support",
        }),
      );
      const resynced = await s.api("POST", `/users/${subs.alice}/resync`, { token: admin.idToken });
      expect(resynced.status).toBe(200);
      expect(resynced.body.changes).toEqual(["name", "groups"]);
      expect(resynced.body.user).toMatchObject({ name: "Alice Liddell", groups: ["support"] });
      expect((await get(`/users?emailPrefix=alice`)).body.items).toEqual([
        expect.objectContaining({ name: "Alice Liddell" }),
      ]);
      const again = await s.api("POST", `/users/${subs.alice}/resync`, { token: admin.idToken });
      expect(again.body.changes).toEqual([]);
    });

    it("DELETE removes the Cognito user and soft-deletes the record; later changes are refused with 409", async () => {
      const deleted = await s.api("DELETE", `/users/${subs.dave}`, {
        token: admin.idToken,
        body: { reason: "asked to be forgotten" },
      });
      expect(deleted.status).toBe(200);
      expect(deleted.body.user).toMatchObject({ status: "deleted" });
      await expect(
        s.cognito.send(
          new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "dave@example.com" }),
        ),
      ).rejects.toThrow(/does not exist/i);
      const disable = await s.api("POST", `/users/${subs.dave}/disable`, { token: admin.idToken });
      expect(disable.status).toBe(409);
      expect(disable.body).toMatchObject({ error: "conflict", current: { status: "deleted" } });
      const roles = await s.api("PATCH", `/users/${subs.dave}/roles`, {
        token: admin.idToken,
        body: { roles: ["member"], expectedVersion: 2, reason: "x" },
      });
      expect(roles.status).toBe(409);
      const again = await s.api("DELETE", `/users/${subs.dave}`, {
        token: admin.idToken,
        body: { reason: "asked again" },
      });
      expect(again.body.user).toMatchObject({ status: "deleted", version: 2 });
    });

    it("a record whose Cognito user vanished: disable is a 409, resync marks it deleted", async () => {
      const sub = await s.signUp("erin@example.com", password, "Erin");
      await s.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "erin@example.com" }),
      );
      const disable = await s.api("POST", `/users/${sub}/disable`, { token: admin.idToken });
      expect(disable.status).toBe(409);
      expect(disable.body.message).toContain("no longer exists in Cognito");
      const resync = await s.api("POST", `/users/${sub}/resync`, { token: admin.idToken });
      expect(resync.body).toMatchObject({ changes: ["status"], user: { status: "deleted" } });
    });

    it("GET /users.csv streams every matching user with a header row", async () => {
      const all = await get("/users.csv");
      expect(all.status).toBe(200);
      expect(all.headers.get("content-type")).toContain("text/csv");
      const lines = all.text.trimEnd().split("\r\n");
      // fetch's text() drops the UTF-8 byte-order mark the export starts with.
      expect(lines[0]).toBe("sub,email,name,roles,status,source,createdAt,lastSignInAt");
      expect(lines).toHaveLength(1 + 6);
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${subs.alice},alice@example.com,Alice Liddell,"member;support",active,sign-up,`),
        ),
      );
      const admins = await get("/users.csv?role=admin");
      expect(admins.text.trimEnd().split("\r\n")).toEqual([
        "sub,email,name,roles,status,source,createdAt,lastSignInAt",
        expect.stringMatching(
          new RegExp(`^${adminSub},${s.stack.info.admin.email},,"admin;member",active,[a-z-]+,`),
        ),
      ]);
      expect((await get("/users.csv?status=nope")).status).toBe(400);
    });

    it("GET /audit lists recent events across users by actor and by action", async () => {
      const mine = await get(`/audit?actor=${adminSub}&limit=50`);
      const actions = (mine.body.items as { action: string; at: string }[]).map((event) => event.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          "user.roles.set",
          "user.disabled",
          "user.enabled",
          "user.resynced",
          "user.deleted",
        ]),
      );
      const times = (mine.body.items as { at: string }[]).map((event) => event.at);
      expect([...times].sort().reverse()).toEqual(times);
      const disables = await get("/audit?action=user.disabled");
      expect(disables.body.items).toEqual([expect.objectContaining({ sub: subs.bob, reason: "spam" })]);
      const page = await get("/audit?limit=1");
      expect(page.body.items).toHaveLength(1);
      expect(page.body.cursor).toEqual(expect.any(String));
    });
  });

  describe("Lambda entry (functions/admin-api.ts behind an HTTP API)", () => {
    it("serves the same API from an API Gateway v2 event, configured by environment", async () => {
      const { info } = s.stack;
      vi.stubEnv("LIFECYCLE_USER_POOL_ID", info.userPoolId);
      vi.stubEnv("LIFECYCLE_USER_POOL_CLIENT_ID", info.clientId);
      vi.stubEnv("LIFECYCLE_TOKEN_ISSUER", info.issuer);
      // This admin has no TOTP; the MFA refusal has its own tests (tests/admin/mfa.test.ts, tests/e2e).
      vi.stubEnv("LIFECYCLE_ADMIN_REQUIRE_MFA", "false");
      const { handler } = await import("../../functions/admin-api.ts");
      const event = (path: string, token?: string): LambdaEvent => ({
        version: "2.0",
        routeKey: "$default",
        rawPath: path,
        rawQueryString: "emailPrefix=alice",
        headers: { host: "api.example.com", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        requestContext: {
          accountId: "123456789012",
          apiId: "api",
          authentication: null,
          authorizer: {},
          domainName: "api.example.com",
          domainPrefix: "api",
          http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "test" },
          requestId: "r",
          routeKey: "$default",
          stage: "$default",
          time: "01/Jan/2025:00:00:00 +0000",
          timeEpoch: 0,
        },
        body: null,
        isBase64Encoded: false,
      });
      const ok = await handler(event("/users", admin.idToken));
      expect(ok.statusCode).toBe(200);
      expect(JSON.parse(ok.body as string).items).toEqual([expect.objectContaining({ sub: subs.alice })]);
      const refused = await handler(event("/users"));
      expect(refused.statusCode).toBe(401);
      expect(JSON.parse(refused.body as string)).toEqual({
        error: "unauthorized",
        message: "A valid bearer token is required.",
      });
    });
  });

  describe("serveAdmin", () => {
    it("serves static files with an index.html fallback, /config.json, the API under /api, and CORS for allowed origins", async () => {
      const dir = mkdtempSync(join(tmpdir(), "admin-static-"));
      writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
      writeFileSync(join(dir, "app.js"), "console.log('hi')");
      const { runtime } = s.server;
      const origin = "https://console.example.com";
      const server = await serveAdmin({
        port: await freePort(),
        runtime: { ...runtime, settings: { ...runtime.settings, allowedOrigins: [origin] } },
        staticDir: dir,
      });
      try {
        const page = await fetch(`${server.url}/`);
        expect(await page.text()).toContain("<title>console</title>");
        expect((await fetch(`${server.url}/app.js`)).headers.get("content-type")).toContain("javascript");
        expect(await (await fetch(`${server.url}/users/some-sub`)).text()).toContain(
          "<title>console</title>",
        );
        const { info } = s.stack;
        expect(await (await fetch(`${server.url}/config.json`)).json()).toEqual({
          region: info.region,
          userPoolId: info.userPoolId,
          clientId: info.clientId,
          cognitoEndpoint: info.endpoints.cognito,
          apiBase: "/api",
          // lifecycle.config.ts's locales: the console's languages.
          locales: { default: "en", supported: ["en", "de", "es"] },
        });
        const me = await fetch(`${server.url}/api/me`, {
          headers: { authorization: `Bearer ${admin.idToken}`, origin },
        });
        expect(me.status).toBe(200);
        expect(me.headers.get("access-control-allow-origin")).toBe(origin);
        const preflight = await fetch(`${server.url}/api/users/x/roles`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "PATCH",
            "access-control-request-headers": "authorization",
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH");
        const stranger = await fetch(`${server.url}/api/me`, {
          headers: { authorization: `Bearer ${admin.idToken}`, origin: "https://evil.example" },
        });
        expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("auth matrix: every route refuses every bad caller and changes nothing", () => {
    it("401 for bad tokens, 403 for a valid non-admin and for a disabled admin", async () => {
      const { info } = s.stack;
      const claims = decodeJwt(admin.idToken);
      const now = Math.floor(Date.now() / 1000);
      const forged = (change: Record<string, unknown>) =>
        signJwt(cognitoLocalKey, { ...claims, ...change }, { kid: "CognitoLocal" });

      // carol becomes an admin, gets a fresh token, then is disabled: that token is still validly signed.
      const carol = await s.signIn("carol@example.com", password);
      await s.api("PATCH", `/users/${subs.carol}/roles`, {
        token: admin.idToken,
        body: { roles: ["admin", "member"], expectedVersion: 1, reason: "second admin" },
      });
      const carolAdmin = await s.refresh(carol.refreshToken);
      expect(decodeJwt(carolAdmin).roles).toEqual(["admin", "member"]);
      expect((await get("/me", carolAdmin)).status).toBe(200);
      await s.api("POST", `/users/${subs.carol}/disable`, {
        token: admin.idToken,
        body: { reason: "left the team" },
      });

      const alice = (await s.signIn("alice@example.com", password)).idToken;
      // Alice has `support` (users:read) now, which may read: the refused caller is a member only
      // (support's routes are walked in route-permissions.test.ts).
      const bob = (await s.signIn("bob@example.com", password)).idToken;
      const callers: [string, string | undefined, number][] = [
        ["no token", undefined, 401],
        ["expired", forged({ iat: now - 7200, exp: now - 3600 }), 401],
        ["wrong issuer", forged({ iss: `${info.endpoints.cognito}/local_another` }), 401],
        ["wrong audience", forged({ aud: "another-client" }), 401],
        ["alg none", unsignedJwt(claims, "CognitoLocal"), 401],
        ["tampered payload", tamperedJwt(alice, { roles: '["admin","member"]' }), 401],
        ["signed by another key", signJwt(rsaKey(), claims, { kid: "CognitoLocal" }), 401],
        ["valid non-admin (member only)", bob, 403],
        ["disabled admin", carolAdmin, 403],
      ];
      const target = subs.alice as string;
      const before = await userOf(target);
      const routes: [string, string, unknown?][] = [
        ["GET", "/me"],
        ["GET", "/roles"],
        ["GET", "/users"],
        ["GET", "/users.csv"],
        ["GET", "/users/count"],
        ["GET", `/users/${target}`],
        [
          "PATCH",
          `/users/${target}/roles`,
          { roles: ["admin"], expectedVersion: before.version, reason: "escalate" },
        ],
        ["POST", `/users/${target}/disable`, {}],
        ["POST", `/users/${target}/enable`, {}],
        ["DELETE", `/users/${target}`, {}],
        ["POST", `/users/${target}/resync`],
        ["GET", "/audit"],
      ];
      const outcomes: string[] = [];
      for (const [name, token, status] of callers) {
        for (const [method, path, body] of routes) {
          const response = await s.api(method, path, {
            ...(token ? { token } : {}),
            ...(body ? { body } : {}),
          });
          const expected = status === 401 ? "unauthorized" : "forbidden";
          if (response.status !== status || response.body.error !== expected) {
            outcomes.push(`${name} ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
          }
        }
      }
      expect(outcomes).toEqual([]);
      expect(await userOf(target)).toEqual(before);
    });
  });

  describe("reconcile", () => {
    let frankSub: string;
    let ivySub: string;
    let gina: string;
    let hank: string;
    let removed: string;
    let pending: string;

    beforeAll(async () => {
      const { userPoolId, clientId } = s.stack.info;
      removed = await s.signUp("rosa@example.com", password, "Rosa");
      for (const sk of [itemKeys.profile, itemKeys.role("member")]) {
        await db.send(
          new DeleteCommand({ TableName: s.stack.info.tableName, Key: { pk: itemKeys.user(removed), sk } }),
        );
      }
      const created = await s.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: "frank@example.com",
          UserAttributes: [
            { Name: "email", Value: "frank@example.com" },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: "Frank" },
          ],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      );
      frankSub = String(created.User?.Attributes?.find((attribute) => attribute.Name === "sub")?.Value);
      gina = await s.signUp("gina@example.com", password, "Gina");
      await s.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "gina@example.com" }),
      );
      hank = await s.signUp("hank@example.com", password, "Hank");
      await s.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: "hank@example.com",
          UserAttributes: [
            { Name: "name", Value: "Hank Hill" },
            { Name: "email", Value: "hank.hill@example.com" },
          ],
        }),
      );
      await s.cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: hank }));
      const signUp = await s.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "ivy@example.com",
          Password: password,
          UserAttributes: [{ Name: "email", Value: "ivy@example.com" }],
        }),
      );
      ivySub = String(signUp.UserSub);
      pending = await s.signUp("pat@example.com", password, "Pat");
      // As if SES had failed at confirmation: the welcome email waits for reconcile.
      await db.send(
        new UpdateCommand({
          TableName: s.stack.info.tableName,
          Key: { pk: itemKeys.user(pending), sk: itemKeys.profile },
          UpdateExpression: "SET welcomeEmail = :pending",
          ExpressionAttributeValues: {
            ":pending": { status: "pending", at: new Date().toISOString(), attempts: 1 },
          },
        }),
      );
    }, 60_000);

    const changeOf = (report: Awaited<ReturnType<typeof reconcile>>, sub: string) =>
      report.changes
        .filter((change) => change.sub === sub)
        .map((change) => `${change.kind}: ${change.changes.join(", ")}`);

    it("a dry run reports every kind of drift and changes nothing", async () => {
      const report = await reconcile(s.server.runtime);
      expect(report).toMatchObject({ apply: false, complete: true });
      expect(changeOf(report, removed)).toEqual(["create: missing record"]);
      expect(changeOf(report, frankSub)).toEqual(["create: missing record"]);
      expect(changeOf(report, gina)).toEqual(["mark-deleted: gone from Cognito"]);
      expect(changeOf(report, hank)).toEqual(["update: email, name, status"]);
      expect(changeOf(report, pending)).toEqual(["welcome: would send"]);
      expect(changeOf(report, ivySub)).toEqual([]);
      expect(report.counts.skippedUnconfirmed).toBe(1);
      expect(await s.server.runtime.store.get(removed)).toBeUndefined();
      expect((await userOf(gina)).status).toBe("active");
    });

    it("apply repairs the table, sends the pending welcome once, and a second run finds nothing", async () => {
      const before = (await sesInbox(s.stack.info.endpoints.ses)).filter((email) =>
        email.destination.to.includes("pat@example.com"),
      );
      const report = await reconcile(s.server.runtime, { apply: true });
      expect(report.counts.errors).toBe(0);
      expect(await userOf(removed)).toMatchObject({
        email: "rosa@example.com",
        source: "reconcile",
        status: "active",
        roles: ["member"],
        welcomeEmail: { status: "skipped" },
      });
      expect(await userOf(frankSub)).toMatchObject({
        email: "frank@example.com",
        name: "Frank",
        source: "reconcile",
        emailVerified: true,
      });
      expect(await userOf(gina)).toMatchObject({ status: "deleted" });
      expect(await userOf(hank)).toMatchObject({
        email: "hank.hill@example.com",
        emailNormalised: "hank.hill@example.com",
        name: "Hank Hill",
        status: "disabled",
      });
      expect(await s.server.runtime.store.get(ivySub)).toBeUndefined();
      expect((await userOf(pending)).welcomeEmail).toMatchObject({ status: "sent", attempts: 2 });
      const after = (await sesInbox(s.stack.info.endpoints.ses)).filter((email) =>
        email.destination.to.includes("pat@example.com"),
      );
      expect(after.length).toBe(before.length + 1);
      const audit = await get(`/audit?actor=system:reconcile&limit=50`);
      expect(
        (audit.body.items as { sub: string; action: string }[]).filter((event) => event.sub === gina),
      ).toEqual([expect.objectContaining({ action: "user.deleted", reason: "no longer exists in Cognito" })]);

      const again = await reconcile(s.server.runtime, { apply: true });
      expect(again.counts).toMatchObject({
        created: 0,
        markedDeleted: 0,
        updated: 0,
        welcomeRetried: 0,
        errors: 0,
      });
      expect(again.changes).toEqual([]);
    });

    it("a user deleted through the API stays consistent: reconcile has nothing to do for them", async () => {
      const report = await reconcile(s.server.runtime);
      expect(changeOf(report, subs.dave as string)).toEqual([]);
      expect((await userOf(subs.dave as string)).status).toBe("deleted");
    });
  });

  describe("CLI", () => {
    const run = (...args: string[]) => cliAgainst(s.stackFile)(...args);

    it("users list / show in tables and as JSON", async () => {
      const list = await run("users", "list", "--email-prefix", "bob");
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^sub\s+email\s+name\s+roles\s+status\s+source\s+created\s+last sign-in/);
      expect(list.stdout).toContain("bob@example.com");
      const json = await run("users", "list", "--role", "admin", "--json");
      // carol was made an admin (and then disabled) in the auth matrix.
      expect(JSON.parse(json.stdout).items.map((user: { sub: string }) => user.sub)).toEqual([
        subs.carol,
        adminSub,
      ]);
      const show = await run("users", "show", "alice@example.com");
      expect(show.stdout).toMatch(/roles\s+member, support/);
      expect(show.stdout).toContain("user.roles.set");
    });

    it("users set-roles / disable / enable / resync, audited as the CLI user", async () => {
      const roles = await run(
        "users",
        "set-roles",
        "bob@example.com",
        "--roles",
        "member,support",
        "--reason",
        "on call",
      );
      expect(roles).toMatchObject({ code: 0, stdout: expect.stringContaining("member, support") });
      expect((await userOf(subs.bob as string)).roles).toEqual(["member", "support"]);
      expect((await run("users", "disable", subs.bob as string, "--reason", "holiday")).code).toBe(0);
      expect((await userOf(subs.bob as string)).status).toBe("disabled");
      expect((await run("users", "enable", "bob@example.com")).stdout).toContain("is active");
      expect((await run("users", "resync", "bob@example.com")).stdout).toContain("already in sync");
      const audit = await run("audit", "--actor", "cli:tester", "--json");
      expect(JSON.parse(audit.stdout).items.map((event: { action: string }) => event.action)).toEqual([
        "user.resynced",
        "user.enabled",
        "user.disabled",
        "user.roles.set",
      ]);
    });

    it("users delete needs --yes; errors exit non-zero with a clear message", async () => {
      const refused = await run("users", "delete", "bob@example.com");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("add --yes to confirm");
      expect((await userOf(subs.bob as string)).status).toBe("active");
      const unknownRole = await run(
        "users",
        "set-roles",
        "bob@example.com",
        "--roles",
        "wizard",
        "--reason",
        "x",
      );
      expect(unknownRole).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('unknown role "wizard"'),
      });
      const nobody = await run("users", "show", "nobody@example.com");
      expect(nobody).toMatchObject({ code: 1, stderr: "error: No user with email nobody@example.com.\n" });
      expect((await run("frobnicate")).code).toBe(2);
      expect((await run("users", "list", "--limit", "1000")).stderr).toContain(
        "--limit must be a whole number from 1 to 100",
      );
      const deleted = await run("users", "delete", "bob@example.com", "--yes", "--reason", "left");
      expect(deleted.code).toBe(0);
      expect((await userOf(subs.bob as string)).status).toBe("deleted");
    });

    it("export writes the CSV, preview token prints the claims, reconcile dry-runs", async () => {
      const dir = mkdtempSync(join(tmpdir(), "admin-export-"));
      try {
        const exported = await run("export", "--role", "support", "--out", join(dir, "support.csv"));
        expect(exported.code).toBe(0);
        const lines = readFileSync(join(dir, "support.csv"), "utf8").trimEnd().split("\r\n");
        expect(lines[0]).toBe("\uFEFFsub,email,name,roles,status,source,createdAt,lastSignInAt");
        expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual([
          "bob@example.com",
          "alice@example.com",
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const preview = await run("preview", "token", "alice@example.com", "--json");
      expect(JSON.parse(preview.stdout)).toMatchObject({
        roles: ["member", "support"],
        groups: ["support"],
        claims: {
          roles: ["member", "support"],
          permissions: ["profile:read", "profile:write", "users:read"],
        },
        v1Claims: { roles: '["member","support"]' },
      });
      const carol = await run("preview", "token", "carol@example.com");
      expect(carol.stdout).toContain("sign-in refused: the user is disabled in Cognito");
      const dry = await run("reconcile");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/Reconcile \(dry run\): \d+ Cognito users/);
    });

    it("runs as `cognito-lifecycle` through its bin script, exiting non-zero on an error", () => {
      const bad = spawnSync(
        process.execPath,
        [
          "packages/admin/bin/cognito-lifecycle.js",
          "users",
          "show",
          "nobody@example.com",
          "--stack",
          s.stackFile,
        ],
        { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
      );
      expect(bad.stderr).toContain("error: No user with email nobody@example.com.\n");
      expect(bad.status).toBe(1);
    }, 120_000);
  });

  describe("authorisation follows the stored roles and groups, not the token's claim", () => {
    it("an admin whose role is removed loses access at once and is signed out everywhere, audited", async () => {
      const erin = await s.signUp("erin@example.com", password, "Erin");
      const first = await s.signIn("erin@example.com", password);
      await s.api("PATCH", `/users/${erin}/roles`, {
        token: admin.idToken,
        body: { roles: ["admin", "member"], expectedVersion: 1, reason: "on call" },
      });
      const erinAdmin = await s.refresh(first.refreshToken);
      expect(decodeJwt(erinAdmin).roles).toEqual(["admin", "member"]);
      expect((await get("/me", erinAdmin)).body).toMatchObject({ roles: ["admin", "member"] });

      const signOut = vi.spyOn(s.server.runtime.cognito, "signOutEverywhere").mockResolvedValue();
      const removed = await s.api("PATCH", `/users/${erin}/roles`, {
        token: admin.idToken,
        body: { roles: ["member"], expectedVersion: 2, reason: "rotation over" },
      });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({
        user: { roles: ["member"], version: 3 },
        signOut: "done",
        removedPrivileged: ["admin"],
      });
      expect(signOut).toHaveBeenCalledWith((await userOf(erin)).username);
      signOut.mockRestore();

      // The token still says admin and is validly signed; the stored roles say otherwise.
      expect(decodeJwt(erinAdmin).roles).toEqual(["admin", "member"]);
      const refused = await get("/me", erinAdmin);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe("forbidden");
      const audit = (await get(`/users/${erin}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items.slice(0, 2)).toEqual([
        expect.objectContaining({
          action: "user.signed-out",
          actor: adminSub,
          details: { removed: ["admin"], signOut: "done" },
        }),
        expect.objectContaining({
          action: "user.roles.set",
          details: { from: ["admin", "member"], to: ["member"] },
        }),
      ]);

      // Removing an ordinary role signs nobody out; a failed sign-out is reported, not hidden.
      const plain = await s.api("PATCH", `/users/${erin}/roles`, {
        token: admin.idToken,
        body: { roles: [], expectedVersion: 3, reason: "cleanup" },
      });
      expect(plain.body).not.toHaveProperty("signOut");
    });

    it("admin through a Cognito group: granted from the group, refused once removed from it", async () => {
      const fiona = await s.signUp("fiona@example.com", password, "Fiona");
      const { info } = s.stack;
      await s.cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: info.userPoolId,
          Username: "fiona@example.com",
          GroupName: "admins",
        }),
      );
      const token = (await s.signIn("fiona@example.com", password)).idToken;
      // Her stored roles do not say admin: the group, read live from Cognito, does.
      expect((await userOf(fiona)).roles).toEqual(["member"]);
      expect((await get("/me", token)).body).toMatchObject({ sub: fiona, roles: ["admin", "member"] });

      await s.cognito.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: info.userPoolId,
          Username: "fiona@example.com",
          GroupName: "admins",
        }),
      );
      expect((await get("/me", token)).status).toBe(403);
    });
  });
});
