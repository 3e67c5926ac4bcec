import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { settingsFromStack } from "@cognito-lifecycle/admin";
import { type CliIo, main, table } from "@cognito-lifecycle/admin/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";

const repoRoot = join(import.meta.dirname, "../..");

/** The CLI's failure modes that need no stack: each exits non-zero with one clear line. */
describe("CLI usage and failures", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "admin-cli-"));
    // A stack file whose services are not running (port 1 never answers).
    writeFileSync(
      join(dir, "stack.json"),
      JSON.stringify({
        region: "us-east-1",
        userPoolId: "local_gone",
        clientId: "client",
        tableName: "users",
        endpoints: { cognito: "http://127.0.0.1:1", dynamodb: "http://127.0.0.1:1" },
      }),
    );
    writeFileSync(join(dir, "broken.json"), JSON.stringify({ region: "us-east-1" }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], cwd = repoRoot) {
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
      env: { PATH: process.env.PATH },
      cwd,
    };
    return { code: await main(args, io), stdout, stderr };
  }

  it("prints usage for --help and for no command", async () => {
    for (const args of [["--help"], []]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: cognito-lifecycle <command> [options]");
      expect(result.stdout).toContain("reconcile [--apply] [--cursor c]");
    }
  });

  it("exits 2 on bad usage, naming the problem", async () => {
    expect(await run(["users", "list", "--colour", "red"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--colour'"),
    });
    expect(await run(["users", "promote", "x"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown users command "promote"'),
    });
    expect(await run(["users", "list", "--stack", join(dir, "missing.json")])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("does not exist (is the local stack running?)"),
    });
    expect(
      await run(["users", "list", "--status", "sleeping", "--stack", join(dir, "stack.json")]),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--status must be one of active, disabled, deleted"),
    });
    // Deleting cannot be undone: like set-roles, it needs a reason, checked before any service is contacted.
    expect(
      await run(["users", "delete", "grace@example.com", "--yes", "--stack", join(dir, "stack.json")]),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining("users delete needs --reason") });
  });

  it("exits 1 with one clear line when it cannot be configured or reach the services", async () => {
    // In a directory without .local/stack.json and without the environment it needs.
    expect(await run(["users", "list"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: Missing configuration: LIFECYCLE_TABLE_NAME (or the Users link)\n",
    });
    const broken = await run(["users", "list", "--stack", join(dir, "broken.json")]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: .*broken\.json is not a stack file: userPoolId/);
    const down = await run(["users", "list", "--stack", join(dir, "stack.json")]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error: could not reach AWS or the local stack \(.*ECONNREFUSED.*\); is it running\?\n$/,
    );
  });

  it("formats tables with padded, capped columns", () => {
    expect(
      table(
        ["a", "bb"],
        [
          ["x", "y"],
          ["long value", undefined],
        ],
      ),
    ).toBe("a           bb\n----------  --\nx           y\nlong value\n");
    expect(table(["c"], [["z".repeat(50)]]).split("\n")[2]).toBe(`${"z".repeat(39)}…`);
  });

  it("reads a stack file's pool, issuer, endpoints and bootstrap admins", () => {
    const settings = settingsFromStack(config, {
      region: "us-east-1",
      userPoolId: "local_abc",
      clientId: "client",
      tableName: "users",
      endpoints: { cognito: "http://127.0.0.1:9229", dynamodb: "http://127.0.0.1:8000" },
      handlerEnv: { LIFECYCLE_BOOTSTRAP_ADMINS: "boss@example.com" },
    });
    expect(settings).toMatchObject({
      userPoolId: "local_abc",
      issuer: "http://127.0.0.1:9229/local_abc",
      endpoints: { cognito: "http://127.0.0.1:9229", dynamodb: "http://127.0.0.1:8000" },
    });
    expect(settings.config.bootstrapAdmins).toContain("boss@example.com");
  });
});
