import { AdminService, BulkActions } from "@cognito-lifecycle/admin";
import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!bulk";

interface Job {
  id: string;
  status: string;
  total: number;
  next: number;
  counts: { changed: number; unchanged: number; skipped: number; failed: number };
  failures: { sub: string; outcome: string; reason: string; email?: string }[];
}

/** Issue #19 feature 3: bulk actions on a selection or a filter, dry run first, as jobs. */
describe("bulk actions against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};

  const userOf = async (sub: string) => (await s.server.runtime.store.get(sub)) as UserRecord;
  const send = (method: string, path: string, body?: unknown, token = admin.idToken) =>
    s.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  const auditOf = async (sub: string) =>
    (await s.server.runtime.store.auditHistory(sub, { limit: 50 })).items as AuditEvent[];
  const cli = (...args: string[]) => cliAgainst(s.stackFile)(...args);
  /** The dry run, then the real run with its token. */
  const bulk = async (body: Record<string, unknown>) => {
    const dry = await send("POST", "/users/bulk", { ...body, dryRun: true });
    expect(dry.status, dry.text).toBe(200);
    const run = await send("POST", "/users/bulk", { ...body, token: dry.body.token });
    expect(run.status, run.text).toBe(200);
    return run.body as { job: Job; complete: boolean };
  };

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    for (const name of ["ana", "ben", "cho", "dov", "eli"]) {
      subs[name] = await s.signUp(`${name}@bulk.example.com`, password, name);
    }
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it("a dry run counts and samples without changing anything; the run needs its token and a reason", async () => {
    const filter = { emailPrefix: "ana@bulk" };
    const before = await userOf(subs.ana as string);
    // The welcome email's state may still be written by the stream: roles, status and audit are what a bulk change touches.
    const unchanged = async () => {
      const after = await userOf(subs.ana as string);
      expect({ roles: after.roles, status: after.status }).toEqual({
        roles: before.roles,
        status: before.status,
      });
      expect((await auditOf(after.sub)).filter((item) => item.action === "user.roles.set")).toEqual([]);
    };
    const dry = await send("POST", "/users/bulk", {
      action: "roles",
      filter,
      add: ["support"],
      dryRun: true,
    });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      count: 1,
      token: expect.stringMatching(/^1\./),
      sample: [{ sub: subs.ana, email: "ana@bulk.example.com", roles: ["member"] }],
    });
    await unchanged();

    const noToken = await send("POST", "/users/bulk", {
      action: "roles",
      filter,
      add: ["support"],
      reason: "x",
    });
    expect(noToken.status).toBe(400);
    expect(noToken.body.fields).toHaveProperty("token");
    const noReason = await send("POST", "/users/bulk", {
      action: "roles",
      filter,
      add: ["support"],
      token: dry.body.token,
    });
    expect(noReason.body.fields).toHaveProperty("reason");
    // The token is the dry run's for this change only: another role is refused.
    const other = await send("POST", "/users/bulk", {
      action: "roles",
      filter,
      add: ["admin"],
      reason: "x",
      token: dry.body.token,
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toBe("bulk_changed");
    const bad = await send("POST", "/users/bulk", { action: "roles", filter, add: ["nope"], dryRun: true });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty("add");
    const both = await send("POST", "/users/bulk", { action: "disable", subs: ["x"], filter, dryRun: true });
    expect(both.status).toBe(400);
    await unchanged();
  });

  it("a filter that grew between the dry run and the run is refused with the two counts", async () => {
    const filter = { emailPrefix: "gro" };
    await s.signUp("gro1@bulk.example.com", password);
    const dry = await send("POST", "/users/bulk", { action: "disable", filter, dryRun: true });
    expect(dry.body.count).toBe(1);
    const late = await s.signUp("gro2@bulk.example.com", password);
    const run = await send("POST", "/users/bulk", {
      action: "disable",
      filter,
      reason: "spam",
      token: dry.body.token,
    });
    expect(run.status).toBe(409);
    expect(run.body).toMatchObject({ error: "bulk_changed" });
    expect(run.body.message).toContain("counted 1 users, but 2 match now");
    expect((await userOf(late)).status).toBe("active");
  });

  it("adds a role to every user a filter matches, each change audited with the job id; the caller is skipped", async () => {
    const { job, complete } = await bulk({
      action: "roles",
      filter: { role: "member" },
      add: ["support"],
      reason: "support rota",
    });
    expect(complete).toBe(true);
    expect(job).toMatchObject({ status: "finished", counts: { failed: 0 } });
    expect(job.counts.changed).toBe(job.total - job.counts.skipped - job.counts.unchanged);
    for (const name of ["ana", "ben", "cho"]) {
      const user = await userOf(subs[name] as string);
      expect(user.roles).toEqual(["member", "support"]);
      const [entry] = (await auditOf(user.sub)).filter((item) => item.action === "user.roles.set");
      expect(entry).toMatchObject({
        actor: adminSub,
        reason: "support rota",
        details: { bulkJob: job.id, from: ["member"], to: ["member", "support"] },
      });
    }
    // The admin is a member too: skipped as "self", not changed.
    if ((await userOf(adminSub)).roles.includes("member")) {
      expect(job.failures).toContainEqual(
        expect.objectContaining({ sub: adminSub, outcome: "skipped", reason: "self" }),
      );
      expect((await userOf(adminSub)).roles).not.toContain("support");
    }
    const status = await send("GET", `/users/bulk/${job.id}`);
    expect(status.body.job).toMatchObject({ id: job.id, status: "finished", counts: job.counts });
    const started = await s.server.runtime.directory.listAudit({ action: "bulk.started" });
    expect(started.items.find((item) => item.sub === `bulk:${job.id}`)).toMatchObject({
      details: { action: "roles", add: ["support"], filter: { role: "member" } },
    });
    // The same change again: nothing left to do.
    const again = await bulk({
      action: "roles",
      filter: { role: "support" },
      add: ["support"],
      reason: "again",
    });
    expect(again.job.counts.changed).toBe(0);
  });

  it("disables a selection: unknown and deleted users are reported, never stop the job", async () => {
    const ghost = "00000000-0000-4000-8000-000000000000";
    const eli = subs.eli as string;
    await send("DELETE", `/users/${eli}`, { reason: "left" });
    const { job } = await bulk({
      action: "disable",
      subs: [subs.ben, ghost, eli, subs.cho, adminSub],
      reason: "suspicious sign-ins",
    });
    expect(job).toMatchObject({ status: "finished", total: 5, next: 5 });
    expect(job.counts).toEqual({ changed: 2, unchanged: 0, skipped: 2, failed: 1 });
    expect(job.failures).toEqual([
      { sub: ghost, outcome: "failed", reason: "not_found" },
      expect.objectContaining({ sub: eli, outcome: "skipped", reason: "deleted" }),
      expect.objectContaining({ sub: adminSub, outcome: "skipped", reason: "self" }),
    ]);
    expect(job.failures[1]?.email).not.toContain("eli@");
    expect((await userOf(subs.ben as string)).status).toBe("disabled");
    expect((await userOf(adminSub)).status).toBe("active");
    const [disabled] = (await auditOf(subs.cho as string)).filter((item) => item.action === "user.disabled");
    expect(disabled?.details).toMatchObject({ bulkJob: job.id });

    const enabled = await bulk({ action: "enable", filter: { status: "disabled" }, reason: "cleared" });
    expect(enabled.job.counts.changed).toBeGreaterThanOrEqual(2);
    expect((await userOf(subs.ben as string)).status).toBe("active");
  });

  it("never removes the last active admin, even with the caller included", async () => {
    const dov = subs.dov as string;
    await send("PATCH", `/users/${dov}/roles`, {
      add: ["admin"],
      expectedVersion: (await userOf(dov)).version,
      reason: "deputy",
    });
    const { job } = await bulk({
      action: "roles",
      subs: [dov, adminSub],
      remove: ["admin"],
      includeSelf: true,
      reason: "rotation",
    });
    expect(job.counts).toMatchObject({ changed: 1, failed: 1 });
    expect(job.failures).toEqual([expect.objectContaining({ sub: adminSub, reason: "last_admin" })]);
    expect((await userOf(adminSub)).roles).toContain("admin");
    expect((await userOf(dov)).roles).not.toContain("admin");
  });

  it("a job stopped by its time budget continues where it stopped", async () => {
    const runtime = s.server.runtime;
    const bulkActions = new BulkActions(runtime, new AdminService(runtime));
    const [ana, ben, cho] = [subs.ana as string, subs.ben as string, subs.cho as string];
    const strip = {
      action: "roles" as const,
      target: { subs: [ana, ben, cho] },
      add: [],
      remove: ["support"],
    };
    const preview = await bulkActions.dryRun(strip);
    let checks = 0;
    // A selection checks its budget before each user: this run does one user.
    const first = await bulkActions.start(adminSub, { ...strip, reason: "reset" }, preview.token, {
      shouldStop: () => ++checks > 1,
    });
    expect(first).toMatchObject({ complete: false, job: { status: "incomplete", next: 1 } });
    expect((await userOf(ana)).roles).toEqual(["member"]);
    expect((await userOf(ben)).roles).toContain("support");
    const rest = await send("POST", `/users/bulk/${first.job.id}/resume`);
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body).toMatchObject({
      complete: true,
      job: { status: "finished", next: 3, counts: { changed: 3, failed: 0 } },
    });
    expect((await userOf(cho)).roles).toEqual(["member"]);
    expect((await send("POST", `/users/bulk/${first.job.id}/resume`)).status).toBe(409);
    expect((await send("GET", "/users/bulk/not-a-job")).status).toBe(400);
  });

  it("exports a selection or a filter as CSV with a BOM or as JSON lines, audited", async () => {
    const csv = await send("POST", "/users/bulk/export", { format: "csv", subs: [subs.ana, subs.ben] });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.trim().split("\r\n")).toHaveLength(3);
    // fetch's text() drops a byte-order mark: the raw bytes keep it.
    const raw = await fetch(`${s.server.url}/api/users/bulk/export`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ format: "csv", subs: [subs.ana] }),
    });
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const jsonl = await send("POST", "/users/bulk/export", {
      format: "jsonl",
      filter: { emailPrefix: "ana@bulk" },
    });
    const lines = jsonl.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([expect.objectContaining({ sub: subs.ana, email: "ana@bulk.example.com" })]);
    const count = await send("POST", "/users/bulk/export", {
      format: "jsonl",
      filter: { emailPrefix: "ana@bulk" },
      dryRun: true,
    });
    expect(count.body).toMatchObject({ dryRun: true, count: 1 });
    const exported = await s.server.runtime.directory.listAudit({ action: "bulk.exported" });
    expect(exported.items).toContainEqual(
      expect.objectContaining({
        actor: adminSub,
        details: expect.objectContaining({ format: "csv", users: 2, subs: 2 }),
      }),
    );
  });

  it("support may export but not change", async () => {
    const ana = subs.ana as string;
    await send("PATCH", `/users/${ana}/roles`, {
      add: ["support"],
      expectedVersion: (await userOf(ana)).version,
      reason: "rota",
    });
    const support = await s.signIn("ana@bulk.example.com", password);
    const refused = await send(
      "POST",
      "/users/bulk",
      { action: "disable", subs: [ana], dryRun: true },
      support.idToken,
    );
    expect(refused.status).toBe(403);
    const allowed = await send("POST", "/users/bulk/export", { format: "csv", subs: [ana] }, support.idToken);
    expect(allowed.status).toBe(200);
  });

  it("the CLI: dry run by default, --yes runs it, --token from an earlier dry run catches a changed count", async () => {
    const dry = await cli("users", "bulk", "disable", "--filter", "--email-prefix", "cli");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Would disable 0 users");
    const first = await s.signUp("cli1@bulk.example.com", password);
    const counted = await cli(
      "users",
      "bulk",
      "disable",
      "--filter",
      "--email-prefix",
      "cli",
      "--dry-run",
      "--json",
    );
    const { token, count } = JSON.parse(counted.stdout) as { token: string; count: number };
    expect(count).toBe(1);
    const second = await s.signUp("cli2@bulk.example.com", password);
    const stale = await cli(
      "users",
      "bulk",
      "disable",
      "--filter",
      "--email-prefix",
      "cli",
      "--yes",
      "--reason",
      "spam",
      "--token",
      token,
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("counted 1 users, but 2 match now");
    expect((await userOf(first)).status).toBe("active");
    const run = await cli(
      "users",
      "bulk",
      "disable",
      "--filter",
      "--email-prefix",
      "cli",
      "--yes",
      "--reason",
      "spam",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/finished: 2 changed/);
    expect((await userOf(second)).status).toBe("disabled");

    const roles = await cli(
      "users",
      "bulk",
      "roles",
      "--subs",
      `${first},${second}`,
      "--add",
      "support",
      "--yes",
      "--reason",
      "r",
      "--json",
    );
    expect(JSON.parse(roles.stdout)).toMatchObject({ complete: true, job: { counts: { changed: 2 } } });
    expect((await userOf(first)).roles).toEqual(["member", "support"]);
    const [entry] = (await auditOf(first)).filter((item) => item.action === "user.roles.set");
    expect(entry?.actor).toBe("cli:tester");

    const exported = await cli("users", "bulk", "export", "--subs", first, "--format", "jsonl");
    expect(JSON.parse(exported.stdout.trim())).toMatchObject({ sub: first, email: "cli1@bulk.example.com" });
    expect((await cli("users", "bulk", "roles", "--subs", first, "--filter")).code).toBe(2);
    expect((await cli("users", "bulk", "frobnicate", "--subs", first)).code).toBe(2);
    expect((await cli("users", "bulk", "roles", "--subs", first, "--yes")).stderr).toContain("--reason");
    const unknownRole = await cli("users", "bulk", "roles", "--subs", first, "--add", "nope");
    expect(unknownRole.code).toBe(1);
    expect(unknownRole.stderr).toContain("unknown role");
  });
});
