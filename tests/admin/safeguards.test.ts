import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { UserRecord } from "@cognito-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!safeguards";

/** Issue #19 defects 1, 3 and 7: role changes as a delta, the last admin, version checks. */
describe("admin API safeguards against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  let adminEmail: string;
  const subs: Record<string, string> = {};

  const userOf = async (sub: string) => (await s.server.runtime.store.get(sub)) as UserRecord;
  const send = (method: string, path: string, body?: unknown) =>
    s.api(method, path, { token: admin.idToken, ...(body === undefined ? {} : { body }) });
  const auditOf = async (sub: string) =>
    ((await send("GET", `/users/${sub}`)).body.audit as { items: { action: string }[] }).items;
  const cli = (...args: string[]) => cliAgainst(s.stackFile)(...args);

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    adminEmail = info.admin.email;
    admin = await s.signIn(adminEmail, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    for (const name of ["alice", "bob", "carol", "dave"]) {
      subs[name] = await s.signUp(`${name}@example.com`, password, name);
    }
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it("a role change is a delta; a stale one is a 409 naming the current roles and who changed them", async () => {
    const alice = subs.alice as string;
    // Tab B adds admin; stale tab A (still at version 1) removes member.
    const tabB = await send("PATCH", `/users/${alice}/roles`, {
      add: ["admin"],
      expectedVersion: 1,
      reason: "on call",
    });
    expect(tabB.status).toBe(200);
    expect(tabB.body.user).toMatchObject({ roles: ["admin", "member"], version: 2 });
    const tabA = await send("PATCH", `/users/${alice}/roles`, {
      remove: ["member"],
      expectedVersion: 1,
      reason: "cleanup",
    });
    expect(tabA.status).toBe(409);
    expect(tabA.body).toMatchObject({
      error: "conflict",
      current: { sub: alice, roles: ["admin", "member"], version: 2 },
      lastChange: {
        actor: adminSub,
        actorEmail: adminEmail,
        action: "user.roles.set",
        at: expect.stringMatching(/^\d{4}-/),
        details: { from: ["member"], to: ["admin", "member"] },
      },
    });
    // Re-applied to the current version, the change keeps B's admin.
    const again = await send("PATCH", `/users/${alice}/roles`, {
      remove: ["member"],
      expectedVersion: 2,
      reason: "cleanup",
    });
    expect(again.body.user).toMatchObject({ roles: ["admin"], version: 3 });
    expect((await userOf(alice)).roles).toEqual(["admin"]);

    // The whole-set form still works; a body must be one form or the other.
    const whole = await send("PATCH", `/users/${alice}/roles`, {
      roles: ["member"],
      expectedVersion: 3,
      reason: "back to normal",
    });
    expect(whole.body, JSON.stringify(whole.body)).toHaveProperty("user");
    expect(whole.body.user).toMatchObject({ roles: ["member"], version: 4 });
    const both = await send("PATCH", `/users/${alice}/roles`, {
      roles: ["member"],
      add: ["support"],
      expectedVersion: 4,
      reason: "x",
    });
    expect(both.status).toBe(400);
    expect(both.body.fields).toHaveProperty("add");
    const contradictory = await send("PATCH", `/users/${alice}/roles`, {
      add: ["support"],
      remove: ["support"],
      expectedVersion: 4,
      reason: "x",
    });
    expect(contradictory.status).toBe(400);
    expect(contradictory.body.fields).toHaveProperty("remove");
    expect((await userOf(alice)).version).toBe(4);
  });

  it("disable, enable and delete check the version given: a stale tab gets a 409, no second audit", async () => {
    const bob = subs.bob as string;
    const first = await send("POST", `/users/${bob}/disable`, { expectedVersion: 1, reason: "spam" });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ status: "disabled", version: 2 });
    const stale = await send("POST", `/users/${bob}/disable`, { expectedVersion: 1, reason: "spam" });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      error: "conflict",
      current: { status: "disabled", version: 2 },
      lastChange: { action: "user.disabled", actor: adminSub },
    });
    expect((await auditOf(bob)).filter((entry) => entry.action === "user.disabled")).toHaveLength(1);
    // Without a version, disabling a disabled user changes and audits nothing.
    const repeat = await send("POST", `/users/${bob}/disable`, {});
    expect(repeat.body.user).toMatchObject({ status: "disabled", version: 2 });
    expect((await auditOf(bob)).filter((entry) => entry.action === "user.disabled")).toHaveLength(1);

    expect((await send("POST", `/users/${bob}/enable`, { expectedVersion: 1 })).status).toBe(409);
    expect((await userOf(bob)).status).toBe("disabled");
    expect((await send("POST", `/users/${bob}/enable`, { expectedVersion: 2 })).status).toBe(200);

    const staleDelete = await send("DELETE", `/users/${bob}`, { expectedVersion: 2, reason: "gone" });
    expect(staleDelete.status).toBe(409);
    const inCognito = await s.cognito.send(
      new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "bob@example.com" }),
    );
    expect(inCognito.Enabled).toBe(true);
    expect((await userOf(bob)).status).toBe("active");
    const badVersion = await send("POST", `/users/${bob}/disable`, { expectedVersion: "3" });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.fields).toHaveProperty("expectedVersion");
  });

  it("changes to yourself need confirmSelf; the last active admin cannot lose admin, be disabled or deleted", async () => {
    const me = `/users/${adminSub}`;
    const version = async () => (await userOf(adminSub)).version;
    const unconfirmed = await send("POST", `${me}/disable`, { reason: "oops" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({
      error: "confirmation_required",
      fields: { confirmSelf: expect.any(String) },
    });
    const unconfirmedRoles = await send("PATCH", `${me}/roles`, {
      add: ["support"],
      expectedVersion: await version(),
      reason: "x",
    });
    expect(unconfirmedRoles.body.error).toBe("confirmation_required");

    for (const [method, path, body] of [
      [
        "PATCH",
        `${me}/roles`,
        { remove: ["admin"], expectedVersion: await version(), reason: "x", confirmSelf: true },
      ],
      ["POST", `${me}/disable`, { confirmSelf: true }],
      ["DELETE", me, { reason: "x", confirmSelf: true }],
    ] as const) {
      const refused = await send(method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(409);
      expect(refused.body).toMatchObject({
        error: "last_admin",
        current: { sub: adminSub, status: "active" },
      });
      expect(refused.body.message).toContain("last active admin");
    }
    expect(await userOf(adminSub)).toMatchObject({
      status: "active",
      roles: expect.arrayContaining(["admin"]),
    });
    const self = await send("PATCH", `${me}/roles`, {
      add: ["support"],
      expectedVersion: await version(),
      reason: "x",
      confirmSelf: true,
    });
    expect(self.status).toBe(200);

    // A second admin makes the first removable; a disabled admin does not count.
    const carol = subs.carol as string;
    await send("PATCH", `/users/${carol}/roles`, { add: ["admin"], expectedVersion: 1, reason: "deputy" });
    expect(
      (await send("POST", `/users/${carol}/disable`, { expectedVersion: 2, reason: "leave" })).status,
    ).toBe(200);
    const alone = await send("PATCH", `${me}/roles`, {
      remove: ["admin"],
      expectedVersion: await version(),
      reason: "x",
      confirmSelf: true,
    });
    expect(alone.body.error).toBe("last_admin");
    // Another admin (not the caller) who is the last: refused as well, from the CLI too.
    const cliRefused = await cli("users", "set-roles", adminEmail, "--remove", "admin", "--reason", "x");
    expect(cliRefused.code).toBe(1);
    expect(cliRefused.stderr).toContain("last active admin");
    expect((await cli("users", "disable", adminEmail)).stderr).toContain("last active admin");
    expect((await cli("users", "delete", adminEmail, "--yes", "--reason", "x")).code).toBe(1);
  });

  it("the write itself checks that the other admin is still active (a stale role index cannot let the last one go)", async () => {
    const { runtime } = s.server;
    const carol = await userOf(subs.carol as string);
    expect(carol).toMatchObject({ status: "disabled", roles: expect.arrayContaining(["admin"]) });
    // The index still lists carol as an active admin (as a lagging index or a race would).
    const listed = vi.spyOn(runtime.directory, "listUsers").mockResolvedValue({
      items: [{ ...carol, status: "active" }],
    });
    const before = await userOf(adminSub);
    try {
      const refused = await send("PATCH", `/users/${adminSub}/roles`, {
        remove: ["admin"],
        expectedVersion: before.version,
        reason: "x",
        confirmSelf: true,
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe("last_admin");
    } finally {
      listed.mockRestore();
    }
    expect(await userOf(adminSub)).toEqual(before);
  });

  it("CLI: set-roles --add/--remove, --expected-version on disable, enable and delete", async () => {
    const dave = subs.dave as string;
    const added = await cli(
      "users",
      "set-roles",
      "dave@example.com",
      "--add",
      "support",
      "--reason",
      "help desk",
    );
    expect(added.code).toBe(0);
    expect((await userOf(dave)).roles).toEqual(["member", "support"]);
    const removed = await cli("users", "set-roles", dave, "--remove", "member", "--reason", "x");
    expect(removed.stdout).toContain("are now: support");
    const both = await cli(
      "users",
      "set-roles",
      dave,
      "--roles",
      "member",
      "--add",
      "support",
      "--reason",
      "x",
    );
    expect(both.code).toBe(2);
    const stale = await cli("users", "disable", dave, "--expected-version", "1");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("changed since version 1");
    expect((await userOf(dave)).status).toBe("active");
    const current = String((await userOf(dave)).version);
    expect((await cli("users", "disable", dave, "--expected-version", current)).code).toBe(0);
    expect((await cli("users", "enable", dave, "--expected-version", current)).code).toBe(1);
  });
});
