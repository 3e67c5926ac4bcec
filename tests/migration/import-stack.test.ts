import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminGetUserCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
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
});
