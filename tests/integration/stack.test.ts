import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  assertPortFree,
  clearStackData,
  codeIn,
  freeStackPorts,
  inboxFor,
  JavaMissingError,
  localCredentials,
  PortInUseError,
  type RunningStack,
  readStackInfo,
  type StackPorts,
  startStack,
} from "@cognito-lifecycle/local";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

/** Starting, stopping, restarting and refusing to start, as a developer running `npm start` sees it. */
const stackTimeout = 180_000;
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dataDirs: string[] = [];
let running: RunningStack | undefined;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "local-stack-"));
  dataDirs.push(dir);
  return dir;
}

async function expectAllFree(ports: StackPorts): Promise<void> {
  for (const port of [ports.dynamodb, ports.ses, ports.cognito, ports.invoke]) {
    await expect(assertPortFree("test", port)).resolves.toBeUndefined();
  }
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm start's stack", () => {
  it(
    "writes stack.json, keeps its pool, client, admin and data across a restart, and frees every port on stop",
    async () => {
      const dataDir = tempDir();
      const ports = await freeStackPorts();
      running = await startStack({ dataDir, ports, adminEmail: "Owner@Example.com" });
      const first = running.info;
      expect(running.adminPasswordIsNew).toBe(true);
      expect(readStackInfo(dataDir)).toEqual(first);
      expect(statSync(join(dataDir, "stack.json")).mode & 0o777).toBe(0o600);
      expect(first).toMatchObject({
        region: "us-east-1",
        endpoints: {
          cognito: `http://127.0.0.1:${ports.cognito}`,
          dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
          ses: `http://127.0.0.1:${ports.ses}`,
          invoke: `http://127.0.0.1:${ports.invoke}`,
          admin: `http://127.0.0.1:${ports.admin}`,
        },
        admin: { email: "owner@example.com" },
        handlerEnv: {
          AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
          AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ports.ses}`,
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${ports.cognito}`,
          LIFECYCLE_TABLE_NAME: first.tableName,
          LIFECYCLE_BOOTSTRAP_ADMINS: "owner@example.com",
        },
      });
      expect(first.userPoolId).toMatch(/^local_/);
      expect(first.admin.password.length).toBeGreaterThanOrEqual(16);

      // A user signs up and confirms, so there is data to keep.
      const cognito = new CognitoIdentityProviderClient({
        endpoint: first.endpoints.cognito,
        region: first.region,
        credentials: localCredentials,
      });
      const email = "kept@example.com";
      await cognito.send(
        new SignUpCommand({ ClientId: first.clientId, Username: email, Password: "Correct-horse-1" }),
      );
      const [codeEmail] = await inboxFor(first.endpoints.ses, email);
      if (!codeEmail) throw new Error("no confirmation email arrived");
      await cognito.send(
        new ConfirmSignUpCommand({
          ClientId: first.clientId,
          Username: email,
          ConfirmationCode: codeIn(codeEmail) as string,
        }),
      );
      cognito.destroy();

      expect(first.pid).toBe(process.pid);
      await running.stop();
      running = undefined;
      await expectAllFree(ports);
      expect(readStackInfo(dataDir)).toEqual({ ...first, pid: undefined });

      running = await startStack({ dataDir, ports, adminEmail: "owner@example.com" });
      expect(running.adminPasswordIsNew).toBe(false);
      expect(running.info).toEqual(first);
      const again = new CognitoIdentityProviderClient({
        endpoint: first.endpoints.cognito,
        region: first.region,
        credentials: localCredentials,
      });
      const signIn = (username: string, password: string) =>
        again.send(
          new InitiateAuthCommand({
            ClientId: first.clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
      await expect(signIn(email, "Correct-horse-1")).resolves.toHaveProperty("AuthenticationResult.IdToken");
      await expect(signIn(first.admin.email, first.admin.password)).resolves.toHaveProperty(
        "AuthenticationResult.IdToken",
      );
      again.destroy();
      const dynamo = new DynamoDBClient({
        endpoint: first.endpoints.dynamodb,
        region: first.region,
        credentials: localCredentials,
      });
      expect((await dynamo.send(new ListTablesCommand({}))).TableNames).toEqual([first.tableName]);
      dynamo.destroy();
      await running.stop();
      running = undefined;
      await expectAllFree(ports);
    },
    stackTimeout,
  );

  it("--fresh deletes the stack's data and nothing else in the data directory", () => {
    const dataDir = tempDir();
    for (const dir of ["dynamodb", "cognito/db", "logs", "previews"]) {
      mkdirSync(join(dataDir, dir), { recursive: true });
      writeFileSync(join(dataDir, dir, "data.json"), "{}");
    }
    writeFileSync(join(dataDir, "stack.json"), "{}");

    clearStackData(dataDir);

    expect(readdirSync(dataDir)).toEqual(["previews"]);
    expect(readdirSync(join(dataDir, "previews"))).toEqual(["data.json"]);
  });

  it("refuses a taken port before starting anything, naming the port and the service", async () => {
    const ports = await freeStackPorts();
    const blocker = await occupy(ports.cognito);
    try {
      const attempt = startStack({ dataDir: tempDir(), ports });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`Port ${ports.cognito} (cognito-local) is already in use`);
      for (const port of [ports.dynamodb, ports.ses, ports.invoke]) {
        await expect(assertPortFree("test", port)).resolves.toBeUndefined();
      }
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("says Java 17+ is needed, and how to install it, when there is no java", async () => {
    const ports = await freeStackPorts();
    vi.stubEnv("PATH", tempDir());
    const attempt = startStack({ dataDir: tempDir(), ports });
    await expect(attempt).rejects.toBeInstanceOf(JavaMissingError);
    await expect(attempt).rejects.toThrow(/Java 17 or newer[\s\S]*apt-get install/);
    vi.unstubAllEnvs();
    await expectAllFree(ports);
  });

  it("npm start exits with status 1 and the reason when a port is taken", async () => {
    const ports = await freeStackPorts();
    const blocker = await occupy(ports.ses);
    try {
      const cli = spawnSync(
        process.execPath,
        [
          "node_modules/tsx/dist/cli.mjs",
          "packages/local/src/cli.ts",
          "--data-dir",
          tempDir(),
          "--ses-port",
          String(ports.ses),
          "--dynamodb-port",
          String(ports.dynamodb),
          "--cognito-port",
          String(ports.cognito),
          "--invoke-port",
          String(ports.invoke),
        ],
        { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
      );
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(`Port ${ports.ses} (local SES (aws-ses-v2-local)) is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it("npm run demo -- --help prints the usage and starts nothing", () => {
    const dataDir = tempDir();
    const demo = spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "packages/local/src/demo.ts", "--help"],
      {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 60_000,
        // No java on the PATH: if the demo tried to start a stack, it would fail fast instead.
        env: { ...process.env, PATH: "", LIFECYCLE_LOCAL_DATA_DIR: dataDir },
      },
    );
    expect(demo.stdout).toMatch(/^Usage: npm run demo/);
    expect(demo.status).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);

  it("npm start refuses an unknown --token-events version, naming the choices", () => {
    const cli = spawnSync(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "packages/local/src/cli.ts",
        "--data-dir",
        tempDir(),
        "--token-events",
        "v4",
      ],
      { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(
      '--token-events (or LIFECYCLE_LOCAL_TOKEN_EVENTS) must be v1, v2 or v3, got "v4"',
    );
  }, 60_000);
});
