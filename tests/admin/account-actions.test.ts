import {
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../e2e/support/totp.ts";
import { cliAgainst } from "../support/cli.ts";
import { standIn } from "./cognito-stand-ins.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!account-actions";

// Issue #19 feature 4: sign out everywhere, reset password, mark email verified, see and reset MFA.
describe("account actions against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};
  const get = (path: string) => s.api("GET", path, { token: admin.idToken });
  const post = (path: string, body?: unknown) =>
    s.api("POST", path, { token: admin.idToken, ...(body === undefined ? {} : { body }) });
  const newestAudit = async (sub: string) =>
    ((await get(`/users/${sub}`)).body.audit as { items: Record<string, unknown>[] }).items[0];
  const client = () => s.server.runtime.cognito.client;
  /** The Cognito username of a user (cognito-local names users by a UUID, not their email). */
  const usernameOf = async (sub: string) =>
    ((await get(`/users/${sub}`)).body.user as { username: string }).username;

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    subs.olga = await s.signUp("olga@example.com", password, "Olga Petrova");
    subs.pavel = await s.signUp("pavel@example.com", password, "Pavel Novák");
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  describe("sign out everywhere (AdminUserGlobalSignOut; cognito-local lacks it: checked at the SDK call)", () => {
    it("revokes the sessions without disabling, audited user.signed-out", async () => {
      const signOut = standIn(client(), "AdminUserGlobalSignOutCommand");
      try {
        const before = (await get(`/users/${subs.olga}`)).body.user as { version: number };
        const answer = await post(`/users/${subs.olga}/sign-out`, {
          reason: "lost laptop",
          expectedVersion: before.version,
        });
        expect(answer.status).toBe(200);
        expect(signOut.calls).toEqual([
          { UserPoolId: s.stack.info.userPoolId, Username: await usernameOf(subs.olga as string) },
        ]);
        expect(answer.body.user).toMatchObject({ status: "active", version: before.version });
        expect(await newestAudit(subs.olga as string)).toMatchObject({
          action: "user.signed-out",
          actor: adminSub,
          reason: "lost laptop",
          details: { via: "admin", signOut: "done" },
        });
      } finally {
        signOut.remove();
      }
    });

    it("a failed sign-out is an error and audits nothing", async () => {
      const before = await newestAudit(subs.pavel as string);
      const answer = await post(`/users/${subs.pavel}/sign-out`);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      expect(await newestAudit(subs.pavel as string)).toEqual(before);
    });

    it("your own account needs confirmSelf; a stale version is a 409", async () => {
      const self = await post(`/users/${adminSub}/sign-out`);
      expect(self.status).toBe(400);
      expect(self.body.error).toBe("confirmation_required");
      const stale = await post(`/users/${subs.olga}/sign-out`, { expectedVersion: 99 });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toBe("conflict");
    });
  });

  describe("mark email verified", () => {
    it("sets email_verified in Cognito and the record (emailVerifiedBy admin), audited, once", async () => {
      const before = (await get(`/users/${subs.pavel}`)).body.user as {
        version: number;
        emailVerified: boolean;
      };
      expect(before.emailVerified).toBe(false);
      const answer = await post(`/users/${subs.pavel}/verify-email`, {
        expectedVersion: before.version,
        reason: "checked by phone",
      });
      expect(answer.status).toBe(200);
      expect(answer.body.user).toMatchObject({
        emailVerified: true,
        emailVerifiedBy: "admin",
        version: before.version + 1,
      });
      const cognitoUser = await s.cognito.send(
        new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "pavel@example.com" }),
      );
      expect(cognitoUser.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
      expect(await newestAudit(subs.pavel as string)).toMatchObject({
        action: "user.email-verified",
        actor: adminSub,
        reason: "checked by phone",
        details: { changes: ["emailVerified", "emailVerifiedBy"], from: { emailVerified: false } },
      });
      const again = await post(`/users/${subs.pavel}/verify-email`);
      expect(again.body).toMatchObject({ already: true, user: { version: before.version + 1 } });
    });
  });

  describe("reset password (AdminResetUserPassword; cognito-local lacks it: checked at the SDK call)", () => {
    it("sends the reset for a verified email, audited user.password-reset", async () => {
      const reset = standIn(client(), "AdminResetUserPasswordCommand");
      try {
        const answer = await post(`/users/${subs.pavel}/reset-password`, { reason: "asked by phone" });
        expect(answer.status).toBe(200);
        expect(reset.calls).toEqual([
          { UserPoolId: s.stack.info.userPoolId, Username: await usernameOf(subs.pavel as string) },
        ]);
        expect(await newestAudit(subs.pavel as string)).toMatchObject({
          action: "user.password-reset",
          actor: adminSub,
          details: { delivery: "email" },
        });
      } finally {
        reset.remove();
      }
    });

    it("refuses a user whose email is not verified: no code could reach them", async () => {
      const reset = standIn(client(), "AdminResetUserPasswordCommand");
      try {
        const answer = await post(`/users/${subs.olga}/reset-password`);
        expect(answer.status).toBe(409);
        expect(answer.body.message).toMatch(/no verified email/);
        expect(reset.calls).toEqual([]);
      } finally {
        reset.remove();
      }
    });
  });

  describe("MFA: seen from AdminGetUser, reset with AdminSetUserMFAPreference (stand-in at the SDK call)", () => {
    it("shows the factors and turns off exactly those the user has, audited user.mfa-reset", async () => {
      expect((await get(`/users/${subs.olga}/mfa`)).body).toEqual({ enabled: [] });
      const { accessToken } = await s.signIn("olga@example.com", password);
      const { SecretCode = "" } = await s.cognito.send(
        new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
      );
      await s.cognito.send(
        new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(SecretCode) }),
      );
      await s.cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      expect((await get(`/users/${subs.olga}/mfa`)).body).toEqual({
        enabled: ["SOFTWARE_TOKEN_MFA"],
        preferred: "SOFTWARE_TOKEN_MFA",
      });

      const setMfa = standIn(client(), "AdminSetUserMFAPreferenceCommand");
      try {
        const answer = await post(`/users/${subs.olga}/mfa/reset`, { reason: "lost phone" });
        expect(answer.status).toBe(200);
        expect(answer.body.mfa).toEqual({ enabled: [] });
        expect(setMfa.calls).toEqual([
          {
            UserPoolId: s.stack.info.userPoolId,
            Username: await usernameOf(subs.olga as string),
            SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
          },
        ]);
        expect(await newestAudit(subs.olga as string)).toMatchObject({
          action: "user.mfa-reset",
          actor: adminSub,
          reason: "lost phone",
          details: { factors: ["SOFTWARE_TOKEN_MFA"] },
        });
        // A user without MFA: nothing to reset, nothing called.
        const none = await post(`/users/${subs.pavel}/mfa/reset`);
        expect(none.body).toMatchObject({ already: true, mfa: { enabled: [] } });
        expect(setMfa.calls).toHaveLength(1);
      } finally {
        setMfa.remove();
      }
    });
  });

  it("every change needs users:write and the MFA view users:read (403 without)", async () => {
    const admins = s.server.runtime.config.roles.admin as { permissions: string[] };
    const granted = admins.permissions;
    try {
      admins.permissions = granted.filter((permission) => permission !== "users:write");
      for (const path of ["sign-out", "reset-password", "verify-email", "mfa/reset"]) {
        const refused = await post(`/users/${subs.olga}/${path}`);
        expect(refused.status, path).toBe(403);
        expect(refused.body.error).toBe("forbidden");
      }
      expect((await get(`/users/${subs.olga}/mfa`)).status).toBe(200);
      admins.permissions = granted.filter((permission) => permission !== "users:read");
      expect((await get(`/users/${subs.olga}/mfa`)).status).toBe(403);
    } finally {
      admins.permissions = granted;
    }
  });

  it("CLI: users sign-out, verify-email, mfa, reset-password and reset-mfa", async () => {
    const cli = cliAgainst(s.stackFile);
    subs.quinn = await s.signUp("quinn@example.com", password, "Quinn Ma");
    const verified = await cli("users", "verify-email", "quinn@example.com", "--reason", "ticket 12");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/email marked verified/);
    expect(await newestAudit(subs.quinn)).toMatchObject({
      action: "user.email-verified",
      actor: "cli:tester",
    });
    const mfa = await cli("users", "mfa", "quinn@example.com", "--json");
    expect(JSON.parse(mfa.stdout)).toEqual({ enabled: [] });
    expect((await cli("users", "reset-mfa", "quinn@example.com")).stdout).toMatch(/no MFA to reset/);
    // The CLI makes its own clients: the stand-ins go on its runtime's, so patch the prototype's send.
    const { CognitoIdentityProviderClient } = await import("@aws-sdk/client-cognito-identity-provider");
    const send = CognitoIdentityProviderClient.prototype.send;
    const seen: string[] = [];
    CognitoIdentityProviderClient.prototype.send = function (this: unknown, command: unknown) {
      const name = (command as { constructor: { name: string } }).constructor.name;
      if (name === "AdminUserGlobalSignOutCommand" || name === "AdminResetUserPasswordCommand") {
        seen.push(name);
        return Promise.resolve({ $metadata: {} });
      }
      return (send as (command: unknown) => Promise<unknown>).call(this, command);
    } as typeof send;
    try {
      expect((await cli("users", "sign-out", "quinn@example.com")).stdout).toMatch(/signed out everywhere/);
      expect((await cli("users", "reset-password", "quinn@example.com")).stdout).toMatch(/sent them a code/);
    } finally {
      CognitoIdentityProviderClient.prototype.send = send;
    }
    expect(seen).toEqual(["AdminUserGlobalSignOutCommand", "AdminResetUserPasswordCommand"]);
    expect(await newestAudit(subs.quinn)).toMatchObject({
      action: "user.password-reset",
      actor: "cli:tester",
    });
  });
});
