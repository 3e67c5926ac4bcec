import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminGetUserCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  type AdminRuntime,
  type AdminSettings,
  createAdminApp,
  createAdminRuntime,
} from "@cognito-lifecycle/admin";
import { type CliIo, main } from "@cognito-lifecycle/admin/cli";
import { verifyPassword } from "@cognito-lifecycle/core/passwords";
import { localCredentials } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminStack, startAdminStack, type Tokens } from "../admin/stack-support.ts";

const repoRoot = join(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const roleMap = "Admin=admin;staff=member;owner=admin,member";

/**
 * Bulk import through the CLI and the admin API into the real local stack (DynamoDB Local and
 * cognito-local), with the vendors' own hashes from tests/migration/fixtures.
 */
describe("bulk import into the local stack", () => {
  let s: AdminStack;
  let dir: string;
  let dynamo: DynamoDBClient;
  let admin: Tokens;

  /** The CLI in a scratch directory (its checkpoints go to <dir>/.local/imports). */
  async function cli(...args: string[]) {
    return cliWith(undefined, ...args);
  }

  async function cliWith(
    runtimeFor: ((settings: AdminSettings) => AdminRuntime) | undefined,
    ...args: string[]
  ) {
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
      [...args, "--stack", s.stackFile, "--config", join(repoRoot, "lifecycle.config.ts")],
      io,
      ...(runtimeFor ? [runtimeFor] : []),
    );
    return { code, stdout, stderr };
  }

  /** Every item of the table and every user of the pool, to prove a run changed nothing. */
  async function snapshot() {
    const { info } = s.stack;
    const items = await dynamo.send(new ScanCommand({ TableName: info.tableName }));
    const users = await s.cognito.send(new ListUsersCommand({ UserPoolId: info.userPoolId }));
    return {
      items: (items.Items ?? []).map((item) => `${item.pk?.S} ${item.sk?.S}`).sort(),
      users: (users.Users ?? []).map((user) => user.Username).sort(),
    };
  }

  const stored = (email: string) => s.server.runtime.imports.credentials.get(email);

  beforeAll(async () => {
    s = await startAdminStack();
    dir = mkdtempSync(join(tmpdir(), "import-stack-"));
    for (const name of [
      "auth0-users.json",
      "auth0-malformed.json",
      "firebase-users.json",
      "firebase-hash-config.json",
    ])
      copyFileSync(join(fixtures, name), join(dir, name));
    const { info } = s.stack;
    dynamo = new DynamoDBClient({
      endpoint: info.endpoints.dynamodb,
      region: info.region,
      credentials: localCredentials,
    });
    admin = await s.signIn(info.admin.email, info.admin.password);
  }, 120_000);

  afterAll(async () => {
    dynamo?.destroy();
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("a malformed file changes nothing and names each bad line", async () => {
    const before = await snapshot();
    const run = await cli(
      "import",
      "auth0-malformed.json",
      "--format",
      "auth0",
      "--without-hash",
      "precreate",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The file was not imported: 6 problems");
    for (const line of [6, 7, 15, 22, 23, 24]) expect(run.stderr).toContain(`line ${line} `);
    expect(run.stderr).toContain("error: 6 problems in the file; nothing was imported");
    expect(await snapshot()).toEqual(before);
  });

  it("a dry run reports what it would do and leaves the table and the pool untouched", async () => {
    const before = await snapshot();
    const run = await cli(
      "import",
      "auth0-users.json",
      "--format",
      "auth0",
      "--role-map",
      roleMap,
      "--without-hash",
      "precreate",
      "--dry-run",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/would import\s+3/u);
    expect(run.stdout).toMatch(/would pre-create\s+1/u);
    expect(run.stdout).toMatch(/would skip, existing\s+0/u);
    expect(await snapshot()).toEqual(before);
  });

  it("imports Auth0 hashes, pre-creates the user without one, and a re-run skips them all", async () => {
    const run = await cli(
      "import",
      "auth0-users.json",
      "--format",
      "auth0",
      "--role-map",
      roleMap,
      "--without-hash",
      "precreate",
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.type === "user")).toHaveLength(4);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({
      type: "summary",
      complete: true,
      counts: { imported: 3, preCreated: 1, skipped: {}, failed: 0 },
    });

    // The stored credentials verify the old passwords (bcrypt, Auth0 salted sha256, PBKDF2).
    const uma = await stored("u.star@example.com");
    expect(uma).toMatchObject({ roles: ["admin"], origin: "import:auth0", importJob: summary.jobId });
    expect(await verifyPassword(uma!.credential!, "U*U")).toBe(true);
    expect(await verifyPassword((await stored("salted@example.com"))!.credential!, "hunter2 ünïcode")).toBe(
      true,
    );
    expect(await verifyPassword((await stored("gigya@example.com"))!.credential!, "Test@123")).toBe(true);
    expect(await verifyPassword(uma!.credential!, "wrong")).toBe(false);

    // No hash: created silently in Cognito, waiting for its invitation; blocked in Auth0, so disabled.
    const { info } = s.stack;
    const user = await s.cognito.send(
      new AdminGetUserCommand({ UserPoolId: info.userPoolId, Username: "nopassword@example.com" }),
    );
    expect(user).toMatchObject({ UserStatus: "FORCE_CHANGE_PASSWORD", Enabled: false });
    const sub = user.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
    expect(await s.server.runtime.store.get(sub)).toMatchObject({
      status: "disabled",
      source: "admin-create",
      invitePending: true,
      roles: ["member"],
    });
    expect(await stored("nopassword@example.com")).toBeUndefined();
    const audit = await s.server.runtime.directory.listAudit({ action: "import.finished" });
    expect(audit.items[0]).toMatchObject({
      sub: `import:${summary.jobId}`,
      actor: "cli:tester",
      details: { imported: 3, preCreated: 1, failed: 0 },
    });

    const again = await cli(
      "import",
      "auth0-users.json",
      "--format",
      "auth0",
      "--role-map",
      roleMap,
      "--without-hash",
      "precreate",
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported\s+0/u);
    expect(again.stdout).toMatch(/skipped\s+4/u);
    expect(again.stdout).toContain(
      "line 2  u***@example.com (auth0|5f1a)  skipped: credential already imported",
    );
    expect(again.stdout).toContain("line 34  n***@example.com  skipped: already in the user table");
  });

  it("imports a Firebase auth:export file with the project's hash config", async () => {
    const run = await cli(
      "import",
      "firebase-users.json",
      "--format",
      "firebase",
      "--hash-config",
      "firebase-hash-config.json",
      "--role-map",
      roleMap,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported\s+1/u);
    expect(run.stdout).toContain("skipped: no usable hash (--without-hash skip)");
    const user1 = await stored("user1@example.com");
    expect(user1).toMatchObject({
      roles: ["member"],
      origin: "import:firebase",
      sourceId: "kYi4EvWQlQTKSfnJ3dRSP6IH3ed2",
    });
    expect(await verifyPassword(user1!.credential!, "user1password")).toBe(true);
    expect(await stored("federated@example.com")).toBeUndefined();
  });

  it("the admin API: a dry run shows the counts or the bad lines, then the run and its status", async () => {
    const file = readFileSync(join(fixtures, "users.json"), "utf8");
    const bad = await s.api("POST", "/imports", {
      token: admin.idToken,
      body: {
        format: "auth0",
        file: readFileSync(join(fixtures, "auth0-malformed.json"), "utf8"),
        dryRun: true,
      },
    });
    expect(bad.status).toBe(200);
    expect((bad.body.problems as { line: number }[]).map((p) => p.line)).toEqual([6, 7, 15, 22, 23, 24]);
    const refused = await s.api("POST", "/imports", {
      token: admin.idToken,
      body: { format: "auth0", file: readFileSync(join(fixtures, "auth0-malformed.json"), "utf8") },
    });
    expect(refused).toMatchObject({ status: 422, body: { error: "import_refused" } });

    const dry = await s.api("POST", "/imports", {
      token: admin.idToken,
      body: { format: "json", file, dryRun: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ problems: [], summary: { dryRun: true } });
    const counts = (dry.body.summary as { counts: { imported: number } }).counts;

    const real = await s.api("POST", "/imports", { token: admin.idToken, body: { format: "json", file } });
    expect(real.status).toBe(200);
    const job = real.body.job as { id: string; status: string; counts: { imported: number } };
    expect(job).toMatchObject({ status: "finished", counts: { imported: counts.imported } });
    const status = await s.api("GET", `/imports/${job.id}`, { token: admin.idToken });
    expect(status).toMatchObject({ status: 200, body: { job: { id: job.id, status: "finished" } } });
    expect((await s.api("GET", "/imports/imp_nope", { token: admin.idToken })).status).toBe(404);
  });

  it("an import killed mid-run resumes with --resume: nothing written twice, nothing missing", async () => {
    const hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    const users = [1, 2, 3, 4, 5].map((n) => ({
      id: `r${n}`,
      email: `resume${n}@example.com`,
      password_hash: hash,
    }));
    writeFileSync(join(dir, "resume.json"), JSON.stringify(users, null, 2));
    const args = ["import", "resume.json", "--format", "json", "--json"];
    // The process dies right after its third credential write, before it records that user as done.
    let puts = 0;
    const dying = (settings: AdminSettings) => {
      const runtime = createAdminRuntime(settings);
      const { put } = runtime.imports.credentials;
      runtime.imports.credentials.put = async (item, options) => {
        const result = await put(item, options);
        if (++puts === 3) throw new Error("killed");
        return result;
      };
      return runtime;
    };
    const killed = await cliWith(dying, ...args);
    expect(killed.code).toBe(1);
    expect(killed.stderr).toContain("run the same command with --resume");
    expect(await stored("resume3@example.com")).toBeDefined();
    expect(await stored("resume4@example.com")).toBeUndefined();

    const fresh = await cli(...args);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain("continue it with --resume");

    const resumed = await cli(...args, "--resume");
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const lines = resumed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // Only the interrupted user and the two never reached are handled again.
    expect(lines.filter((line) => line.type === "user").map((line) => line.index)).toEqual([2, 3, 4]);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ complete: true, counts: { imported: 5, skipped: {}, failed: 0 } });
    for (const user of users) {
      expect(await stored(user.email)).toMatchObject({ importJob: summary.jobId, sourceId: user.id });
    }
  });

  it("/imports needs users:import: an admin whose role lacks it is refused", async () => {
    const { config } = s.server.runtime;
    const withoutImport = {
      ...config,
      roles: {
        ...config.roles,
        admin: {
          description: "",
          permissions: config.roles.admin!.permissions.filter((p) => p !== "users:import"),
        },
      },
    };
    const limited = createAdminApp({ ...s.server.runtime, config: withoutImport } as AdminRuntime);
    const response = await limited.request("/imports", {
      method: "POST",
      headers: { authorization: `Bearer ${admin.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ format: "json", file: "[]", dryRun: true }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden" });
  });
});
