import { join } from "node:path";
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type CliIo, main } from "@cognito-lifecycle/admin/cli";
import { emailText, inboxFor, localCredentials } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!admin-actions";
const repoRoot = join(import.meta.dirname, "../..");

// Issue #19: disable per step, the audit log with names and filters, invitations.
describe("admin actions against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};
  let db: DynamoDBDocumentClient;
  const get = (path: string) => s.api("GET", path, { token: admin.idToken });
  const post = (path: string, body?: unknown) =>
    s.api("POST", path, { token: admin.idToken, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    subs.mallory = await s.signUp("mallory@example.com", password, "Mallory Ng");
    subs.trent = await s.signUp("trent@example.com", password, "Trent Ōkubo");
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

  describe("disable reports what happened, per step (defect 2)", () => {
    it("returns and audits each step; cognito-local's missing global sign-out is a failed step", async () => {
      const disabled = await post(`/users/${subs.mallory}/disable`, { reason: "abuse" });
      expect(disabled.status).toBe(200);
      const steps = disabled.body.steps as { step: string; ok: boolean; error?: string }[];
      expect(steps).toEqual([
        { step: "cognito-disable", ok: true },
        { step: "sign-out", ok: false, error: expect.any(String) },
        { step: "record", ok: true },
      ]);
      expect(disabled.body.user).toMatchObject({ status: "disabled" });
      const audit = (await get(`/users/${subs.mallory}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items[0]).toMatchObject({
        action: "user.disabled",
        actor: adminSub,
        details: expect.objectContaining({ steps }),
      });
    });

    it("reports a sign-out that worked as done", async () => {
      const signOut = vi.spyOn(s.server.runtime.cognito, "signOutEverywhere").mockResolvedValue();
      const disabled = await post(`/users/${subs.trent}/disable`);
      expect(disabled.body.steps).toEqual([
        { step: "cognito-disable", ok: true },
        { step: "sign-out", ok: true },
        { step: "record", ok: true },
      ]);
      signOut.mockRestore();
      await post(`/users/${subs.trent}/enable`);
    });
  });

  describe("invitations (defect 9, feature 1)", () => {
    /** Accepts the invitation as the user would: the temporary password, then a new one. */
    async function acceptInvite(email: string): Promise<void> {
      const { info } = s.stack;
      // The temporary password is in the email; setting a known one keeps FORCE_CHANGE_PASSWORD.
      await s.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: info.userPoolId,
          Username: email,
          Password: "Temp0rary!",
          Permanent: false,
        }),
      );
      const started = await s.cognito.send(
        new InitiateAuthCommand({
          ClientId: info.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: "Temp0rary!" },
        }),
      );
      expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
      await s.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: info.clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: started.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
        }),
      );
    }

    it("POST /users invites: Cognito user, branded email, record with the chosen roles, invite pending, audited", async () => {
      const invited = await post("/users", {
        email: "peggy@example.com",
        roles: ["support"],
        name: "Peggy Olson",
      });
      expect(invited.status).toBe(201);
      const user = invited.body.user as Record<string, unknown>;
      expect(user).toMatchObject({
        email: "peggy@example.com",
        name: "Peggy Olson",
        roles: ["support"],
        source: "admin-create",
        status: "active",
        invitePending: true,
      });
      const inCognito = await s.cognito.send(
        new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "peggy@example.com" }),
      );
      expect(inCognito.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
      const mail = await inboxFor(s.stack.info.endpoints.ses, "peggy@example.com");
      expect(mail.map((email) => email.subject)).toContainEqual(expect.stringMatching(/invited/i));
      expect(emailText(mail[0] as (typeof mail)[number])).toMatch(/temporary password/i);

      const audit = (await get(`/users/${user.sub}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items).toEqual([
        expect.objectContaining({
          action: "user.created",
          actor: adminSub,
          details: expect.objectContaining({ roles: ["support"] }),
        }),
      ]);
      const listed = await get("/users?emailPrefix=peggy");
      expect(listed.body.items).toEqual([expect.objectContaining({ sub: user.sub, invitePending: true })]);
      const byRole = await get("/users?role=support");
      expect(byRole.body.items).toContainEqual(
        expect.objectContaining({ sub: user.sub, invitePending: true }),
      );

      await acceptInvite("peggy@example.com");
      const after = (await get(`/users/${user.sub}`)).body.user as Record<string, unknown>;
      expect(after.invitePending).toBeUndefined();
      expect(after.roles).toEqual(["support"]);
      expect((await get("/users?role=support")).body.items).toContainEqual(
        expect.not.objectContaining({ invitePending: true }),
      );
    });

    it("refuses an email that exists (409), unknown roles and bad emails (400)", async () => {
      await post("/users", { email: "quinn@example.com" });
      const again = await post("/users", { email: "quinn@example.com" });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe("user_exists");
      const badRole = await post("/users", { email: "rita@example.com", roles: ["root"] });
      expect(badRole.status).toBe(400);
      expect(badRole.body.fields).toHaveProperty(["roles.0"]);
      expect((await post("/users", { email: "not-an-email" })).status).toBe(400);
      expect((await post("/users", { email: "rita@example.com", "custom:roles": "admin" })).status).toBe(400);
    });

    it("POST /users/:sub/invite resends with AdminCreateUser RESEND, audited; refused once accepted", async () => {
      const invited = (await post("/users", { email: "sybil@example.com" })).body.user as {
        sub: string;
        username: string;
      };
      // cognito-local refuses RESEND ("unsupported"), so the SDK call is observed, not sent.
      const send = vi.spyOn(s.server.runtime.cognito.client, "send").mockResolvedValueOnce({} as never);
      const resent = await post(`/users/${invited.sub}/invite`, { reason: "lost the email" });
      expect(resent.status).toBe(200);
      expect(send.mock.calls[0]?.[0].input).toMatchObject({
        Username: invited.username,
        MessageAction: "RESEND",
      });
      send.mockRestore();
      const audit = (await get(`/users/${invited.sub}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items[0]).toMatchObject({
        action: "user.invite-resent",
        actor: adminSub,
        reason: "lost the email",
      });

      await acceptInvite("sybil@example.com");
      expect((await post(`/users/${invited.sub}/invite`)).status).toBe(409);
      expect((await post(`/users/${subs.trent}/invite`)).status).toBe(409);
    });

    it("CLI: users invite and users resend-invite", async () => {
      const run = (...args: string[]) => cliAgainst(s.stackFile)(...args);
      const invited = await run(
        "users",
        "invite",
        "uma@example.com",
        "--roles",
        "member,support",
        "--name",
        "Uma Thurman",
      );
      expect(invited.stderr).toBe("");
      expect(invited.code).toBe(0);
      expect(invited.stdout).toMatch(/Invited uma@example.com .* with roles member, support/);
      const shown = JSON.parse((await run("users", "show", "uma@example.com", "--json")).stdout);
      expect(shown.user).toMatchObject({
        invitePending: true,
        roles: ["member", "support"],
        name: "Uma Thurman",
      });
      expect(shown.audit.items[0]).toMatchObject({ action: "user.created", actor: "cli:tester" });
      const resend = await run("users", "resend-invite", "uma@example.com");
      // cognito-local does not implement RESEND: the CLI exits non-zero with the reason.
      expect(resend.code).toBe(1);
      expect((await run("users", "invite")).code).toBe(2);
    });
  });

  describe("the audit log with names and filters (defect 4)", () => {
    const adminEmail = () => s.stack.info.admin.email;

    it("names users and actors from one batched read per page, and filters by user or actor email", async () => {
      const names = vi.spyOn(s.server.runtime.directory, "namesOf");
      const page = await get(`/audit?user=${encodeURIComponent("mallory@example.com")}`);
      expect(page.status).toBe(200);
      const items = page.body.items as { sub: string; actor: string; action: string }[];
      expect(items.map((event) => event.action)).toEqual(["user.disabled", "user.created"]);
      expect(items.every((event) => event.sub === subs.mallory)).toBe(true);
      expect(page.body.people).toMatchObject({
        [subs.mallory as string]: { email: "mallory@example.com", name: "Mallory Ng" },
        [adminSub]: { email: adminEmail() },
      });
      expect(names).toHaveBeenCalledTimes(1);
      names.mockRestore();

      const byActor = await get(`/audit?actor=${encodeURIComponent(adminEmail())}&limit=100`);
      const actors = (byActor.body.items as { actor: string }[]).map((event) => event.actor);
      expect(actors.length).toBeGreaterThan(3);
      expect(new Set(actors)).toEqual(new Set([adminSub]));
      const nobody = await get("/audit?actor=nobody@example.com");
      expect(nobody.body.items).toEqual([]);
    });

    it("filters by a known action and a date range; refuses unknown actions and reversed ranges", async () => {
      const disables = await get(`/audit?action=user.disabled&user=${subs.mallory}`);
      expect(disables.body.items).toEqual([
        expect.objectContaining({ action: "user.disabled", sub: subs.mallory }),
      ]);
      const today = new Date().toISOString().slice(0, 10);
      const inRange = await get(`/audit?user=${subs.mallory}&from=${today}&to=${today}`);
      expect((inRange.body.items as unknown[]).length).toBe(2);
      expect((await get(`/audit?user=${subs.mallory}&from=2999-01-01`)).body.items).toEqual([]);
      expect((await get("/audit?action=user.disabled&to=2000-01-01")).body.items).toEqual([]);
      const unknownAction = await get("/audit?action=user.nope");
      expect(unknownAction.status).toBe(400);
      expect(unknownAction.body.fields).toHaveProperty("action");
      const reversed = await get("/audit?from=2025-02-01&to=2025-01-01");
      expect(reversed.status).toBe(400);
      expect(reversed.body.fields).toHaveProperty("to");
    });

    it("CLI: audit --user/--actor by email, --action, --from/--to", async () => {
      let stdout = "";
      const io: CliIo = {
        stdout: (text) => {
          stdout += text;
        },
        stderr: () => {},
        interactive: false,
        env: { ...process.env, USER: "tester" },
        cwd: repoRoot,
      };
      const code = await main(
        [
          "audit",
          "--user",
          "mallory@example.com",
          "--actor",
          adminEmail(),
          "--action",
          "user.disabled",
          "--stack",
          s.stackFile,
        ],
        io,
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`${adminEmail()}\\s+user.disabled\\s+mallory@example.com\\s+abuse`));
      expect(await main(["audit", "--action", "nope", "--stack", s.stackFile], io)).toBe(2);
    });
  });
});
