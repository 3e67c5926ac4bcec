import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { AdminCognito } from "@cognito-lifecycle/admin";
import { parseImportFile } from "@cognito-lifecycle/admin/import";
import { defineConfig } from "@cognito-lifecycle/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkpointPath,
  FileCheckpoint,
  readCheckpoint,
} from "../../packages/admin/src/import/checkpoint.ts";
import { TokenBucket } from "../../packages/admin/src/import/rate.ts";
import { type ImportJob, type ImportTargets, runImport } from "../../packages/admin/src/import/run.ts";
import { runtimeTargets } from "../../packages/admin/src/import/targets.ts";
import type { ImportUser } from "../../packages/admin/src/import/types.ts";
import type { AdminRuntime } from "../../packages/admin/src/runtime.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const job: ImportJob = { id: "imp_1", origin: "import:auth0", actor: "cli:test" };

/** The Auth0 fixture: three users with a hash, one without. */
function auth0Users(): ImportUser[] {
  const { users, problems } = parseImportFile(fixture("auth0-users.json"), { format: "auth0" });
  expect(problems).toEqual([]);
  return users;
}

/** Targets over maps: what exists up front, and every write made. */
function fakeTargets(existing: { table?: string[]; cognito?: string[]; credentials?: string[] } = {}) {
  const credentials = new Map<string, { importJob?: string }>(
    (existing.credentials ?? []).map((email) => [email, { importJob: "older" }]),
  );
  const cognito = new Set(existing.cognito ?? []);
  const writes: string[] = [];
  const targets: ImportTargets = {
    inTable: async (email) => (existing.table ?? []).includes(email),
    inCognito: async (email) => cognito.has(email),
    storedCredential: async (email) => credentials.get(email),
    async putCredential(user, runJob) {
      writes.push(`put ${user.email}`);
      if (credentials.has(user.email)) return "exists";
      credentials.set(user.email, { importJob: runJob.id });
      return "created";
    },
    async preCreate(user, _job, { adopt }) {
      writes.push(`create ${user.email}`);
      if (cognito.has(user.email) && !adopt) return "exists";
      cognito.add(user.email);
      return "created";
    },
  };
  return { targets, credentials, cognito, writes };
}

describe("runImport", () => {
  it("a dry run counts each outcome and writes nothing", async () => {
    const { targets, writes } = fakeTargets({ cognito: ["salted@example.com"] });
    const summary = await runImport(auth0Users(), targets, { job, withoutHash: "precreate", dryRun: true });
    expect(summary).toMatchObject({
      dryRun: true,
      complete: true,
      total: 4,
      counts: { imported: 2, preCreated: 1, skipped: { "in-cognito": 1 }, failed: 0 },
    });
    expect(summary.notImported).toEqual([
      { outcome: "skipped", reason: "in-cognito", index: 1, line: 11, email: "s***@example.com" },
    ]);
    expect(writes).toEqual([]);
  });

  it("imports credentials, pre-creates or skips users without a hash, and skips existing users with the reason", async () => {
    const users = auth0Users();
    const { targets, writes } = fakeTargets({
      table: ["u.star@example.com"],
      credentials: ["gigya@example.com"],
    });
    const skipped = await runImport(users, targets, { job, withoutHash: "skip" });
    expect(skipped.counts).toEqual({
      imported: 1,
      preCreated: 0,
      skipped: { "in-table": 1, "already-imported": 1, "without-hash": 1 },
      failed: 0,
    });
    expect(writes).toEqual(["put salted@example.com"]);
    const again = await runImport(users, fakeTargets().targets, { job, withoutHash: "precreate" });
    expect(again.counts).toEqual({ imported: 3, preCreated: 1, skipped: {}, failed: 0 });
  });

  it("reports a user Cognito refuses as failed, with the reason, and goes on", async () => {
    const { targets } = fakeTargets();
    targets.preCreate = async () => {
      throw Object.assign(new Error("Invalid email address format."), { name: "InvalidParameterException" });
    };
    const summary = await runImport(auth0Users(), targets, { job, withoutHash: "precreate" });
    expect(summary.counts).toMatchObject({ imported: 3, failed: 1 });
    expect(summary.notImported).toEqual([
      {
        outcome: "failed",
        reason: "InvalidParameterException: Invalid email address format.",
        index: 3,
        line: 34,
        email: "n***@example.com",
      },
    ]);
  });

  describe("interrupted and resumed from the checkpoint file", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "import-checkpoint-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("continues after the last finished user: no user written twice, none missed", async () => {
      const users = auth0Users();
      const path = checkpointPath(dir, "f".repeat(64));
      const header = {
        fileHash: "f".repeat(64),
        jobId: job.id,
        settings: "s",
        startedAt: "2026-11-30T00:00:00Z",
      };
      const fake = fakeTargets();
      const put = fake.targets.putCredential;
      let puts = 0;
      // The process dies right after its second credential write, before recording it as done.
      fake.targets.putCredential = async (user, runJob) => {
        const result = await put(user, runJob);
        if (++puts === 2) throw new Error("killed");
        return result;
      };
      await expect(
        runImport(users, fake.targets, {
          job,
          withoutHash: "precreate",
          checkpoint: FileCheckpoint.start(path, header),
        }),
      ).rejects.toThrow("killed");

      const saved = readCheckpoint(path);
      expect(saved).toMatchObject({ finished: false, state: { next: 1, inFlight: 1 } });
      fake.targets.putCredential = put;
      const summary = await runImport(users, fake.targets, {
        job,
        withoutHash: "precreate",
        checkpoint: FileCheckpoint.resume(path),
        ...(saved ? { resumeFrom: saved.state } : {}),
      });
      expect(summary).toMatchObject({
        complete: true,
        counts: { imported: 3, preCreated: 1, skipped: {}, failed: 0 },
      });
      expect([...fake.credentials.keys()].sort()).toEqual([
        "gigya@example.com",
        "salted@example.com",
        "u.star@example.com",
      ]);
      // The interrupted user's write is retried once (the conditional put finds it), nobody else's.
      expect(fake.writes).toEqual([
        "put u.star@example.com",
        "put salted@example.com",
        "put salted@example.com",
        "put gigya@example.com",
        "create nopassword@example.com",
      ]);
      expect(readCheckpoint(path)?.state.counts).toEqual(summary.counts);
    });
  });
});

describe("Cognito request quotas", () => {
  it("the token bucket paces calls to its rate", async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket({
      ratePerSecond: 4,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 9; i++) await bucket.take();
    // The first call goes at once; the other eight wait 250 ms each.
    expect(now).toBe(2000);
    expect(waits).toEqual(Array(8).fill(250));
  });

  it("AdminCreateUser throttling is retried with back-off, and the user is pre-created", async () => {
    const sent: string[] = [];
    let throttles = 2;
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push(`${command.constructor.name} ${String(command.input.MessageAction ?? "")}`.trim());
        if (command.constructor.name === "AdminCreateUserCommand" && throttles-- > 0) {
          throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
        }
        return {
          User: {
            Username: "u-1",
            Enabled: true,
            UserStatus: "FORCE_CHANGE_PASSWORD",
            Attributes: [
              { Name: "sub", Value: "sub-1" },
              { Name: "email", Value: "nopassword@example.com" },
            ],
          },
        };
      },
    } as unknown as CognitoIdentityProviderClient;
    const backoffWaits: number[] = [];
    const cognito = new AdminCognito(client, "pool", {
      sleep: async (ms) => {
        backoffWaits.push(ms);
      },
      onThrottle: () => {},
    });
    const created: unknown[] = [];
    const runtime = {
      config: defineConfig({}),
      cognito,
      now: () => new Date("2026-11-30T00:00:00Z"),
      directory: { findByEmail: async () => [] },
      records: {
        createIfMissing: async (...args: unknown[]) => {
          created.push(args);
          return { record: {}, created: "created" };
        },
      },
    } as unknown as AdminRuntime;
    const credentials = { put: async () => "created" as const, get: async () => undefined };
    const targets = runtimeTargets(runtime, credentials, { createsPerSecond: 1000, readsPerSecond: 1000 });
    const [user] = auth0Users().filter((u) => !u.credential);
    const summary = await runImport([user as ImportUser], targets, { job, withoutHash: "precreate" });
    expect(summary.counts.preCreated).toBe(1);
    expect(backoffWaits).toHaveLength(2);
    expect(sent.filter((call) => call === "AdminCreateUserCommand SUPPRESS")).toHaveLength(3);
    // A blocked user is disabled in Cognito and in its record.
    expect(sent).toContain("AdminDisableUserCommand");
    expect(created[0]).toMatchObject([
      "import",
      { sub: "sub-1", source: "admin-create" },
      { overrides: { invitePending: true, status: "disabled", roles: ["member"] } },
    ]);
  });
});
