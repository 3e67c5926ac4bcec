import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { deleteAccount, exportAccount } from "@cognito-lifecycle/admin";
import { localCredentials } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminStack, cognitoLocalKey, startAdminStack, type Tokens } from "../admin/stack-support.ts";
import { decodeJwt, signJwt } from "../admin/tokens.ts";
import { cliAgainst } from "../support/cli.ts";

const password = "Correct-Horse-9";

describe("data rights against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  let db: DynamoDBDocumentClient;

  const scanText = async () => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: s.stack.info.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return JSON.stringify(items).toLowerCase();
  };
  const cognitoUser = (username: string) =>
    s.cognito.send(new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: username }));

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
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
  });

  describe("admin export", () => {
    it("returns the user's whole record as a versioned JSON document, and audits who asked", async () => {
      const sub = await s.signUp("xena@example.com", password, "Xena Warrior");
      const response = await s.api("GET", `/users/${sub}/export`, { token: admin.idToken });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toContain(`user-${sub}.json`);
      expect(response.body).toMatchObject({
        format: "cognito-lifecycle/user-export",
        version: 1,
        sub,
        record: { email: "xena@example.com", name: "Xena Warrior" },
        audit: [{ action: "user.created" }],
      });
      const detail = await s.api("GET", `/users/${sub}`, { token: admin.idToken });
      expect((detail.body.audit as { items: unknown[] }).items[0]).toMatchObject({
        action: "user.exported",
        actor: adminSub,
        details: { via: "admin-api" },
      });
    });

    it("answers 404 for an unknown sub", async () => {
      const response = await s.api("GET", "/users/no-such-sub/export", { token: admin.idToken });
      expect(response.status).toBe(404);
    });
  });

  describe("admin erase", () => {
    it("refuses a reason that names the user, since the reason outlives the erasure", async () => {
      const sub = await s.signUp("yusuf@example.com", password, "Yusuf Demir");
      const response = await s.api("POST", `/users/${sub}/erase`, {
        token: admin.idToken,
        body: { reason: "Yusuf asked by phone" },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        error: "invalid_request",
        fields: { reason: expect.any(String) },
      });
      await expect(cognitoUser("yusuf@example.com")).resolves.toBeDefined();
    });

    it("deletes the Cognito user and leaves nothing in the table naming them; a second erase is a no-op", async () => {
      const sub = await s.signUp("zora@example.com", password, "Zora Lindqvist");
      await s.api("POST", `/users/${sub}/disable`, {
        token: admin.idToken,
        body: { reason: "zora@example.com reported abuse" },
      });

      const first = await s.api("POST", `/users/${sub}/erase`, {
        token: admin.idToken,
        body: { reason: "GDPR ticket 4711" },
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        sub,
        already: false,
        cognitoUser: "deleted",
        user: { sub, status: "deleted", erasedBy: adminSub },
      });
      await expect(cognitoUser("zora@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
      const text = await scanText();
      expect(text).not.toContain("zora@example.com");
      expect(text).not.toContain("zora lindqvist");

      const second = await s.api("POST", `/users/${sub}/erase`, {
        token: admin.idToken,
        body: { reason: "GDPR ticket 4711" },
      });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ already: true, cognitoUser: "not asked", auditEntries: 0 });
    });
  });

  describe("CLI", () => {
    const cli = (...args: string[]) => cliAgainst(s.stackFile)(...args);

    it("users export writes the user's export to --out, readable by the operator only", async () => {
      const sub = await s.signUp("uma@example.com", password, "Uma Export");
      const out = join(mkdtempSync(join(tmpdir(), "export-")), "uma.json");
      const result = await cli("users", "export", "uma@example.com", "--out", out);
      expect(result).toMatchObject({ code: 0, stderr: expect.stringContaining(`about ${sub}`) });
      expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({
        sub,
        record: { email: "uma@example.com" },
      });
      expect(statSync(out).mode & 0o777).toBe(0o600);
    });

    it("users erase asks for --yes and a reason, then erases; again it says already erased", async () => {
      const sub = await s.signUp("tomas@example.com", password, "Tomas Gone");
      expect(await cli("users", "erase", "tomas@example.com")).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("add --yes"),
      });
      expect(await cli("users", "erase", sub, "--yes")).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("users erase needs --reason"),
      });
      const erased = await cli("users", "erase", sub, "--yes", "--reason", "request 99");
      expect(erased).toMatchObject({ code: 0, stdout: expect.stringContaining(`${sub} is erased`) });
      expect(await scanText()).not.toContain("tomas@example.com");
      const again = await cli("users", "erase", sub, "--yes", "--reason", "request 99");
      expect(again.stdout).toContain("already erased");
    });
  });

  describe("self-service", () => {
    /** The same access token, re-signed with cognito-local's key, as if signed in an hour ago. */
    const staleCopy = (token: string) => {
      const claims = decodeJwt(token);
      return signJwt(
        cognitoLocalKey,
        { ...claims, auth_time: Math.floor(Date.now() / 1000) - 3600 },
        { kid: "CognitoLocal" },
      );
    };

    it("refuses a sign-in older than selfService.recentAuthSeconds with recent_sign_in_required", async () => {
      await s.signUp("walt@example.com", password, "Walt Stale");
      const tokens = await s.signIn("walt@example.com", password);
      const stale = s.api("DELETE", "/me", { token: staleCopy(tokens.accessToken) });
      await expect(stale).resolves.toMatchObject({ status: 401, body: { error: "recent_sign_in_required" } });
      await expect(cognitoUser("walt@example.com")).resolves.toBeDefined();
    });

    it("refuses an ID token: DeleteUser takes the access token", async () => {
      const tokens = await s.signIn("walt@example.com", password);
      await expect(s.api("DELETE", "/me", { token: tokens.idToken })).resolves.toMatchObject({ status: 401 });
    });

    it("exports the caller's own data and deletes their account with a fresh access token", async () => {
      const sub = await s.signUp("vera@example.com", password, "Vera Fresh");
      const tokens = await s.signIn("vera@example.com", password);
      const apiUrl = `${s.server.url}/api`;

      const exported = await exportAccount({ apiUrl, accessToken: tokens.accessToken });
      expect(exported).toMatchObject({ sub, record: { email: "vera@example.com" } });

      await expect(deleteAccount({ apiUrl, accessToken: tokens.accessToken })).resolves.toMatchObject({
        sub,
        status: "deleted",
      });
      await expect(cognitoUser("vera@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
      const record = await s.server.runtime.store.get(sub);
      expect(record?.status).toBe("deleted");
      const history = (await s.server.runtime.store.auditHistory(sub)).items;
      expect(history[0]).toMatchObject({
        action: "user.deleted",
        actor: sub,
        details: { via: "self-service", cognitoUser: "deleted" },
      });
      expect(history.map((event) => event.action)).toContain("user.exported");
    });
  });
});
