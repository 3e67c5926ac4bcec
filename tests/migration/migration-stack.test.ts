import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { type CliIo, main } from "@cognito-lifecycle/admin/cli";
import { readListClaim } from "@cognito-lifecycle/core";
import { codeIn, inboxFor } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import config from "../../lifecycle.config.ts";
import { type AdminStack, startAdminStack } from "../admin/stack-support.ts";

// The repository's config with the migration window open, for the stack and every handler it
// runs in this process (they all import lifecycle.config.ts).
vi.mock("../../lifecycle.config.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lifecycle.config.ts")>();
  const base = original.default;
  return { ...original, default: { ...base, migration: { ...base.migration, enabled: true } } };
});

const fixtures = join(import.meta.dirname, "fixtures");
const configFile = join(import.meta.dirname, "../../lifecycle.config.ts");
const roleMap = "Admin=admin;staff=support";
/** Openwall's crypt_blowfish vector (password "U*U"), as tests/migration/fixtures uses it. */
const bcryptHash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

/**
 * Lazy migration end to end (issue #15) in the local stack: files imported by the CLI, then
 * each user's first USER_PASSWORD_AUTH sign-in or ForgotPassword through cognito-local, which
 * calls the user migration trigger, creates the user, and our triggers adopt them.
 */
describe("user migration in the local stack", () => {
  let s: AdminStack;
  let dir: string;

  async function importFile(...args: string[]) {
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      interactive: false,
      env: { ...process.env, USER: "tester" },
      cwd: dir,
    };
    const code = await main(
      ["import", ...args, "--role-map", roleMap, "--stack", s.stackFile, "--config", configFile],
      io,
    );
    return { code, stdout, stderr };
  }

  const signIn = (email: string, password: string) =>
    s.cognito.send(
      new InitiateAuthCommand({
        ClientId: s.stack.info.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );

  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()) as Record<string, unknown>;

  /** The pool's user for `email`: its username and `sub`. */
  async function poolUser(email: string) {
    const user = await s.cognito.send(
      new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: email }),
    );
    const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    return {
      username: user.Username,
      status: user.UserStatus,
      sub: attribute("sub"),
      email: attribute("email"),
    };
  }

  const stored = (email: string) => s.server.runtime.imports.credentials.get(email);

  /** The refusal a sign-in got: its name and message. */
  async function refusal(email: string, password: string) {
    const error = await signIn(email, password).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    return error && { name: error.name, message: error.message };
  }

  beforeAll(async () => {
    s = await startAdminStack();
    dir = mkdtempSync(join(tmpdir(), "migration-stack-"));
    for (const name of ["auth0-users.json", "firebase-users.json", "firebase-hash-config.json"])
      copyFileSync(join(fixtures, name), join(dir, name));
    writeFileSync(
      join(dir, "auth0-reset.json"),
      JSON.stringify([
        {
          user_id: "auth0|reset",
          email: "forgetful@example.com",
          email_verified: true,
          app_metadata: { roles: ["Admin"] },
          password_hash: bcryptHash,
        },
      ]),
    );
    for (const args of [
      ["auth0-users.json", "--format", "auth0"],
      ["auth0-reset.json", "--format", "auth0"],
      ["firebase-users.json", "--format", "firebase", "--hash-config", "firebase-hash-config.json"],
    ]) {
      const run = await importFile(...args);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it.each([
    { file: "Auth0 (bcrypt)", email: "u.star@example.com", password: "U*U", mapped: "admin" },
    {
      file: "Firebase (modified scrypt)",
      email: "user1@example.com",
      password: "user1password",
      mapped: "support",
    },
  ])(
    "an $file user signs in with the old password and is migrated with the mapped roles",
    async ({ email, password, mapped }) => {
      expect(await stored(email)).toBeDefined();
      const { AuthenticationResult } = await signIn(email, password);
      const idToken = AuthenticationResult?.IdToken as string;
      const roles = readListClaim(claimsOf(idToken)[config.claims.roles]);
      expect(roles).toEqual(expect.arrayContaining(["member", mapped]));

      // Cognito's user: a sub, the sub as username (email usernames), the email as alias.
      const user = await poolUser(email);
      expect(user).toMatchObject({ status: "CONFIRMED", email, username: user.sub });
      expect(user.sub).toMatch(/^[0-9a-f-]{36}$/u);
      expect(claimsOf(idToken).sub).toBe(user.sub);
      expect(await s.server.runtime.store.get(user.sub as string)).toMatchObject({
        source: "migration",
        email,
        roles: expect.arrayContaining(["member", mapped]),
      });
      expect(await stored(email)).toBeUndefined();

      // Now a pool user: the next sign-in is Cognito's own, and the trigger is not asked again.
      await expect(signIn(email, password)).resolves.toHaveProperty("AuthenticationResult.IdToken");
    },
  );

  it("a wrong password and an unknown user get the same refusal, and nothing is created", async () => {
    const wrong = await refusal("gigya@example.com", "Test@124");
    const unknown = await refusal("nobody@example.com", "Test@123");
    // cognito-local's answer for any trigger error (Cognito's: docs/migration.md, Limits).
    expect(wrong).toEqual({ name: "NotAuthorizedException", message: "User not authorized" });
    expect(unknown).toEqual(wrong);
    expect(await stored("gigya@example.com")).toBeDefined();
    await expect(poolUser("gigya@example.com")).rejects.toBeInstanceOf(UserNotFoundException);
    await expect(poolUser("nobody@example.com")).rejects.toBeInstanceOf(UserNotFoundException);
    // The imported user still migrates with the right password.
    await expect(signIn("gigya@example.com", "Test@123")).resolves.toHaveProperty(
      "AuthenticationResult.IdToken",
    );
  });

  it("ForgotPassword migrates a verified imported user: the code goes to the inbox, the reset makes the record", async () => {
    const email = "forgetful@example.com";
    const { clientId } = s.stack.info;
    const sent = await s.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    const user = await poolUser(email);
    expect(user).toMatchObject({ status: "RESET_REQUIRED", email, username: user.sub });
    // Not adopted before the reset is confirmed.
    expect(await s.server.runtime.store.get(user.sub as string)).toBeUndefined();

    const [resetEmail, ...others] = await inboxFor(s.stack.info.endpoints.ses, email);
    expect(others).toEqual([]);
    await s.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: codeIn(resetEmail!) as string,
        Password: "Brand-new-secret-2",
      }),
    );
    expect(await s.server.runtime.store.get(user.sub as string)).toMatchObject({
      source: "migration",
      roles: expect.arrayContaining(["member", "admin"]),
    });
    expect(await stored(email)).toBeUndefined();
    const { AuthenticationResult } = await signIn(email, "Brand-new-secret-2");
    expect(readListClaim(claimsOf(AuthenticationResult?.IdToken as string)[config.claims.roles])).toContain(
      "admin",
    );
  });

  it("ForgotPassword for an unverified imported user or an unknown one sends nothing", async () => {
    const { clientId, endpoints } = s.stack.info;
    for (const email of ["salted@example.com", "nobody-else@example.com"]) {
      await expect(
        s.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })),
      ).rejects.toBeInstanceOf(UserNotFoundException);
      expect(await inboxFor(endpoints.ses, email)).toEqual([]);
    }
    expect(await stored("salted@example.com")).toBeDefined();
  });
});
