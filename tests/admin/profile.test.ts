import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { UserRecord } from "@cognito-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { refusal } from "./cognito-stand-ins.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!profile-edit";

// Issue #19 feature 6: an admin edits name, locale and editable custom attributes (the repo's
// config makes custom:department editable), in Cognito and the record together.
describe("editing a profile against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};
  const get = (path: string) => s.api("GET", path, { token: admin.idToken });
  const patch = (sub: string, body: unknown) =>
    s.api("PATCH", `/users/${sub}/profile`, { token: admin.idToken, body });
  const recordOf = async (sub: string) => (await get(`/users/${sub}`)).body.user as UserRecord;
  const newestAudit = async (sub: string) =>
    ((await get(`/users/${sub}`)).body.audit as { items: Record<string, unknown>[] }).items[0];
  /** The user's attributes as Cognito has them. */
  const inCognito = async (sub: string) => {
    const { username } = await recordOf(sub);
    const user = await s.cognito.send(
      new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: username }),
    );
    return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  };

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    subs.olga = await s.signUp("olga@example.com", password, "Olga Petrova");
    subs.pavel = await s.signUp("pavel@example.com", password, "Pavel Novák");
    subs.rita = await s.signUp("rita@example.com", password, "Rita Ruiz");
    subs.sara = await s.signUp("sara@example.com", password, "Sara Lindqvist");
    subs.tomas = await s.signUp("tomas@example.com", password, "Tomas Berg");
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it("writes name, locale and custom:department to Cognito and the record, audited with a user.updated event", async () => {
    const sub = subs.olga as string;
    const before = await recordOf(sub);
    const from = new Date().toISOString();
    const answer = await patch(sub, {
      name: "  Olga Petrova-Smirnova ",
      locale: "de",
      attributes: { "custom:department": "Finance" },
      expectedVersion: before.version,
      reason: "ticket 4711",
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.changes).toEqual(["name", "locale", "custom:department"]);
    expect(answer.body.user).toMatchObject({
      name: "Olga Petrova-Smirnova",
      locale: "de",
      customAttributes: { "custom:department": "Finance" },
      version: before.version + 1,
    });
    expect(await inCognito(sub)).toMatchObject({
      name: "Olga Petrova-Smirnova",
      locale: "de",
      "custom:department": "Finance",
    });
    const audit = await newestAudit(sub);
    expect(audit).toMatchObject({
      action: "user.profile_updated",
      actor: adminSub,
      reason: "ticket 4711",
      details: {
        changes: ["name", "locale", "custom:department"],
        before: { locale: null, "custom:department": null },
        after: { locale: "de", "custom:department": "Finance" },
      },
    });
    // The name is personal: the audit says it changed, not what it was or became.
    expect(JSON.stringify(audit)).not.toMatch(/Petrova/);
    const { events } = await s.server.runtime.webhooks.eventsBetween({ from, to: new Date().toISOString() });
    const updated = events.filter((event) => event.data.sub === sub);
    expect(updated.map((event) => event.type)).toEqual(["user.updated"]);
    expect(updated[0]?.data.changes).toEqual(["name", "locale", "customAttributes"]);
  });

  it("an edit that changes nothing writes nothing", async () => {
    const sub = subs.olga as string;
    const before = await recordOf(sub);
    const answer = await patch(sub, { locale: "de", expectedVersion: before.version });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ changes: [], user: { version: before.version } });
  });

  it("a stale edit is a 409 with the current record and who changed it; Cognito keeps the other value", async () => {
    const sub = subs.pavel as string;
    const seen = await recordOf(sub);
    const first = await patch(sub, { name: "Pavel N.", expectedVersion: seen.version });
    expect(first.status).toBe(200);
    const stale = await patch(sub, { name: "Pavel Novak", expectedVersion: seen.version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      error: "conflict",
      current: { name: "Pavel N.", version: seen.version + 1 },
      lastChange: { action: "user.profile_updated", actor: adminSub },
    });
    expect((await inCognito(sub)).name).toBe("Pavel N.");
  });

  it.each([
    [{ name: "n".repeat(257) }, { name: "must be at most 256 characters" }],
    [{ locale: "fr" }, { locale: "must be one of en, de, es" }],
    [
      { attributes: { "custom:department": "d".repeat(2049) } },
      {
        "attributes.custom:department": "must be at most 2048 characters",
      },
    ],
    [
      { attributes: { "custom:idp_groups": "admins" } },
      {
        "attributes.custom:idp_groups": "is not editable (editable: custom:department)",
      },
    ],
    [
      { attributes: { email: "x@example.com" } },
      {
        "attributes.email": "is not editable (editable: custom:department)",
      },
    ],
    [{ name: " " }, { name: "must not be empty (null clears the field)" }],
  ])("refuses an edit with a 400 naming the field, changing nothing: %#", async (edit, fields) => {
    const sub = subs.rita as string;
    const before = await recordOf(sub);
    const cognitoBefore = await inCognito(sub);
    const answer = await patch(sub, { ...edit, expectedVersion: before.version });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "invalid_request", fields });
    expect(await recordOf(sub)).toEqual(before);
    expect(await inCognito(sub)).toEqual(cognitoBefore);
  });

  it("needs the version the caller saw, and confirmSelf for your own profile", async () => {
    const noVersion = await patch(subs.rita as string, { name: "Rita R." });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.fields).toHaveProperty("expectedVersion");
    const me = await recordOf(adminSub);
    const self = await patch(adminSub, { name: "The Admin", expectedVersion: me.version });
    expect(self.status).toBe(400);
    expect(self.body.error).toBe("confirmation_required");
    const confirmed = await patch(adminSub, {
      name: "The Admin",
      expectedVersion: me.version,
      confirmSelf: true,
    });
    expect(confirmed.status).toBe(200);
  });

  describe("a record moved between the check and the write (after Cognito took the edit)", () => {
    /** Runs `meanwhile` right after AdminUpdateUserAttributes, once. */
    const racing = (meanwhile: () => Promise<void>) => {
      const cognito = s.server.runtime.cognito;
      const original = cognito.updateAttributes;
      cognito.updateAttributes = async (username, attributes) => {
        await original.call(cognito, username, attributes);
        cognito.updateAttributes = original;
        await meanwhile();
      };
      return () => {
        cognito.updateAttributes = original;
      };
    };

    it("another field changed: the edit is applied to the record as it is now", async () => {
      const sub = subs.rita as string;
      const seen = await recordOf(sub);
      const restore = racing(async () => {
        const roles = await s.api("PATCH", `/users/${sub}/roles`, {
          token: admin.idToken,
          body: { add: ["support"], reason: "desk", expectedVersion: seen.version },
        });
        expect(roles.status).toBe(200);
      });
      try {
        const answer = await patch(sub, {
          attributes: { "custom:department": "Support" },
          expectedVersion: seen.version,
        });
        expect(answer.status, answer.text).toBe(200);
        expect(answer.body.user).toMatchObject({
          roles: expect.arrayContaining(["support"]),
          customAttributes: { "custom:department": "Support" },
          version: seen.version + 2,
        });
      } finally {
        restore();
      }
    });

    it("the same field changed: the record is resynced from Cognito and the answer is a 409; both agree", async () => {
      const sub = subs.rita as string;
      const seen = await recordOf(sub);
      const restore = racing(async () => {
        // Another writer sets the department in the record alone (as a concurrent edit would).
        await s.server.runtime.records.updateProfile(
          seen,
          {
            cognito: {},
            cleared: [],
            fields: { customAttributes: { "custom:department": "Legal" } },
            changes: ["custom:department"],
          },
          { actor: "system:test", action: "user.profile_updated" },
        );
      });
      try {
        const answer = await patch(sub, {
          attributes: { "custom:department": "Sales" },
          expectedVersion: seen.version,
        });
        expect(answer.status, answer.text).toBe(409);
        expect(answer.body.error).toBe("conflict");
        const record = await recordOf(sub);
        expect(record.customAttributes).toEqual({
          "custom:department": (await inCognito(sub))["custom:department"],
        });
        expect(answer.body.current).toMatchObject({ customAttributes: record.customAttributes });
      } finally {
        restore();
      }
    });

    it("a table failure after Cognito took the edit is a 502 saying so, and resync brings the record in line", async () => {
      const sub = subs.pavel as string;
      const seen = await recordOf(sub);
      const records = s.server.runtime.records;
      const original = records.updateProfile;
      records.updateProfile = async () => {
        throw Object.assign(new Error("table down"), { name: "InternalServerError" });
      };
      try {
        const answer = await patch(sub, { locale: "es", expectedVersion: seen.version });
        expect(answer.status).toBe(502);
        expect(answer.body.message).toMatch(/saved in Cognito but not in the user table; resync/);
      } finally {
        records.updateProfile = original;
      }
      expect((await inCognito(sub)).locale).toBe("es");
      const resync = await s.api("POST", `/users/${sub}/resync`, { token: admin.idToken, body: {} });
      expect(resync.body.changes).toEqual(["locale"]);
      expect((await recordOf(sub)).locale).toBe("es");
    });
  });

  describe("clearing a field (null: AdminDeleteUserAttributes, under the offline IAM check)", () => {
    it("clears locale and custom:department in Cognito and the record, audited with the values before", async () => {
      const sub = subs.sara as string;
      const set = await patch(sub, {
        locale: "es",
        attributes: { "custom:department": "Legal" },
        expectedVersion: (await recordOf(sub)).version,
      });
      expect(set.status, set.text).toBe(200);
      const before = await recordOf(sub);
      const from = new Date().toISOString();
      const answer = await patch(sub, {
        locale: null,
        attributes: { "custom:department": null },
        expectedVersion: before.version,
        reason: "left legal",
      });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({
        changes: ["locale", "custom:department"],
        cleared: ["locale", "custom:department"],
        user: { version: before.version + 1, name: "Sara Lindqvist" },
      });
      const user = answer.body.user as UserRecord;
      expect(user.locale).toBeUndefined();
      expect(user.customAttributes).toBeUndefined();
      const record = await recordOf(sub);
      expect(record.locale).toBeUndefined();
      expect(record.customAttributes).toBeUndefined();
      const attributes = await inCognito(sub);
      expect(attributes).not.toHaveProperty("locale");
      expect(attributes).not.toHaveProperty("custom:department");
      expect(attributes.name).toBe("Sara Lindqvist");
      expect(await newestAudit(sub)).toMatchObject({
        action: "user.profile_updated",
        actor: adminSub,
        reason: "left legal",
        details: {
          changes: ["locale", "custom:department"],
          cleared: ["locale", "custom:department"],
          before: { locale: "es", "custom:department": "Legal" },
          after: { locale: null, "custom:department": null },
        },
      });
      const { events } = await s.server.runtime.webhooks.eventsBetween({
        from,
        to: new Date().toISOString(),
      });
      const updated = events.filter((event) => event.data.sub === sub);
      expect(updated.map((event) => event.type)).toEqual(["user.updated"]);
      expect(updated[0]?.data.changes).toEqual(["locale", "customAttributes"]);
      // Clearing what is already clear writes nothing.
      const again = await patch(sub, { locale: null, expectedVersion: before.version + 1 });
      expect(again.body).toMatchObject({ changes: [], user: { version: before.version + 1 } });
    });

    it("clears the name from the record, its role entries and its search text", async () => {
      const sub = subs.tomas as string;
      expect(((await get("/users?q=berg")).body.items as { sub: string }[]).map((u) => u.sub)).toEqual([sub]);
      const answer = await patch(sub, { name: null, expectedVersion: (await recordOf(sub)).version });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.cleared).toEqual(["name"]);
      expect((await recordOf(sub)).name).toBeUndefined();
      expect(await inCognito(sub)).not.toHaveProperty("name");
      expect((await get("/users?q=berg")).body.items).toEqual([]);
      const byRole = (await get("/users?role=member&q=tomas")).body.items as Record<string, unknown>[];
      expect(byRole).toHaveLength(1);
      expect(byRole[0]).not.toHaveProperty("name");
      const audit = await newestAudit(sub);
      expect(audit?.details).toEqual({ changes: ["name"], cleared: ["name"] });
    });

    it("a cleared name leaves the one given_name and family_name make, as resync would", async () => {
      const sub = subs.tomas as string;
      const { username } = await recordOf(sub);
      await s.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: s.stack.info.userPoolId,
          Username: username,
          UserAttributes: [
            { Name: "name", Value: "T. Berg" },
            { Name: "given_name", Value: "Tomas" },
            { Name: "family_name", Value: "Berg" },
          ],
        }),
      );
      const resynced = await s.api("POST", `/users/${sub}/resync`, { token: admin.idToken, body: {} });
      expect(resynced.body.user).toMatchObject({ name: "T. Berg" });
      const answer = await patch(sub, { name: null, expectedVersion: (await recordOf(sub)).version });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({
        changes: ["name"],
        cleared: ["name"],
        user: { name: "Tomas Berg" },
      });
      expect(await inCognito(sub)).not.toHaveProperty("name");
      const again = await s.api("POST", `/users/${sub}/resync`, { token: admin.idToken, body: {} });
      expect(again.body.changes).toEqual([]);
    });

    it.each([
      [
        { attributes: { email: null } },
        { "attributes.email": "is not editable (editable: custom:department)" },
      ],
      [
        { attributes: { "custom:idp_groups": null } },
        { "attributes.custom:idp_groups": "is not editable (editable: custom:department)" },
      ],
      [
        { attributes: { email_verified: null, "custom:department": null } },
        { "attributes.email_verified": "is not editable (editable: custom:department)" },
      ],
      [{ email: null }, { email: expect.any(String) }],
      [{ name: null, expectedVersion: null }, { expectedVersion: expect.any(String) }],
      [{ attributes: null }, { attributes: expect.any(String) }],
    ])("refuses a bad clear with a 400 naming the field, changing nothing: %#", async (edit, fields) => {
      const sub = subs.sara as string;
      const before = await recordOf(sub);
      const cognitoBefore = await inCognito(sub);
      const answer = await patch(sub, { expectedVersion: before.version, ...edit });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body).toMatchObject({ error: "invalid_request", fields });
      expect(await recordOf(sub)).toEqual(before);
      expect(await inCognito(sub)).toEqual(cognitoBefore);
    });

    it("a clear Cognito refuses (a required attribute) is a 400 naming the field; nothing is set either", async () => {
      const sub = subs.sara as string;
      const before = await recordOf(sub);
      const cognitoBefore = await inCognito(sub);
      const refused = refusal(
        s.server.runtime.cognito.client,
        "AdminDeleteUserAttributesCommand",
        "InvalidParameterException",
      );
      try {
        const answer = await patch(sub, { name: null, locale: "de", expectedVersion: before.version });
        expect(answer.status, answer.text).toBe(400);
        expect(answer.body).toMatchObject({
          error: "invalid_request",
          fields: { name: expect.stringMatching(/Cognito refused to clear it/) },
        });
        expect(refused.calls).toEqual([
          { UserPoolId: s.stack.info.userPoolId, Username: before.username, UserAttributeNames: ["name"] },
        ]);
      } finally {
        refused.remove();
      }
      expect(await recordOf(sub)).toEqual(before);
      expect(await inCognito(sub)).toEqual(cognitoBefore);
    });

    it("the CLI clears with --clear, and refuses a field both set and cleared", async () => {
      const cli = cliAgainst(s.stackFile);
      const sub = subs.sara as string;
      const set = await cli(
        "users",
        "edit",
        "sara@example.com",
        "--attr",
        "custom:department=Ops",
        "--locale",
        "de",
      );
      expect(set.code, set.stderr).toBe(0);
      const cleared = await cli(
        "users",
        "edit",
        "sara@example.com",
        "--clear",
        "custom:department,locale",
        "--json",
      );
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(JSON.parse(cleared.stdout)).toMatchObject({
        changes: ["locale", "custom:department"],
        cleared: ["locale", "custom:department"],
      });
      expect(await inCognito(sub)).not.toHaveProperty("custom:department");
      expect((await recordOf(sub)).customAttributes).toBeUndefined();
      expect(await newestAudit(sub)).toMatchObject({ action: "user.profile_updated", actor: "cli:tester" });
      const text = await cli("users", "edit", "sara@example.com", "--clear", "name");
      expect(text.stdout).toMatch(/sara@example\.com: changed name; cleared name \(version \d+\)/);
      const both = await cli("users", "edit", "sara@example.com", "--clear", "locale", "--locale", "de");
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--clear locale and a value for it/);
      const email = await cli("users", "edit", "sara@example.com", "--clear", "email");
      expect(email.code).not.toBe(0);
      expect(email.stderr).toMatch(/attributes\.email: is not editable/);
    });
  });

  it("the CLI edits by email: users edit --name --locale --attr, audited with the CLI actor", async () => {
    const cli = cliAgainst(s.stackFile);
    const sub = subs.rita as string;
    const edited = await cli(
      "users",
      "edit",
      "rita@example.com",
      "--name",
      "Rita Ruiz-Ortega",
      "--locale",
      "es",
      "--attr",
      "custom:department=R=D",
      "--reason",
      "ticket 99",
    );
    expect(edited.stderr).toBe("");
    expect(edited.code).toBe(0);
    expect(edited.stdout).toMatch(/rita@example\.com: changed name, locale, custom:department/);
    expect(await inCognito(sub)).toMatchObject({
      name: "Rita Ruiz-Ortega",
      locale: "es",
      "custom:department": "R=D",
    });
    expect(await newestAudit(sub)).toMatchObject({
      action: "user.profile_updated",
      actor: "cli:tester",
      reason: "ticket 99",
    });
    const bad = await cli("users", "edit", "rita@example.com", "--locale", "fr");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/locale: must be one of en, de, es/);
    const nothing = await cli("users", "edit", "rita@example.com");
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/users edit needs --name, --locale or --attr/);
  });

  it("a deleted user's profile cannot be edited", async () => {
    const sub = subs.olga as string;
    const seen = await recordOf(sub);
    const deleted = await s.api("DELETE", `/users/${sub}`, {
      token: admin.idToken,
      body: { reason: "left", expectedVersion: seen.version },
    });
    expect(deleted.status).toBe(200);
    const answer = await patch(sub, { name: "Ghost", expectedVersion: seen.version + 1 });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/deleted/);
  });
});
