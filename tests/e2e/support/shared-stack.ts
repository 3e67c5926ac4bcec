import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ensureConsoleBuilt, type StackInfo } from "@cognito-lifecycle/local";
import type { TestProject } from "vitest/node";
import { usageDir } from "../../support/global-setup.ts";
import { offerSharedStackStop } from "./stop-shared-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The console built once for the run (packages/console/dist). */
    consoleDist: string;
    /** The local stack every browser test file shares (./shared-stack-process.ts). */
    sharedStack: StackInfo;
  }
}

const entry = fileURLToPath(new URL("./shared-stack-process.ts", import.meta.url));
const startTimeoutMs = 240_000;

/** Starts ./shared-stack-process.ts and resolves with its stack once it prints `ready`. */
function startStackProcess(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; info: StackInfo }> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, dataDir], {
    env: { ...process.env, ...env, LIFECYCLE_IAM_USAGE_DIR: usageDir },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString()}`.slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`the shared stack did not start in ${startTimeoutMs / 1000} s\n${stderr}`));
    }, startTimeoutMs);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (!line.startsWith("ready ")) return;
      clearTimeout(timer);
      resolve({ child, info: JSON.parse(line.slice("ready ".length)) as StackInfo });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the shared stack exited (${code}) before it was ready\n${stderr}`));
    });
  });
}

function stopStackProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * The e2e project's global setup: builds the console once for the run and starts ONE local stack
 * that every browser test file uses (each with its own admin API server and users, see
 * ./console-stack.ts `useConsoleStack`); stops it once the last browser test file ends
 * (./stop-shared-stack.ts) or, at the latest, when the run ends.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "e2e-shared-stack-"));
  const [built, started] = await Promise.allSettled([
    ensureConsoleBuilt({ force: true }),
    startStackProcess(dataDir, project.config.env as Record<string, string>),
  ]);
  if (built.status === "rejected" || started.status === "rejected") {
    if (started.status === "fulfilled") await stopStackProcess(started.value.child);
    rmSync(dataDir, { recursive: true, force: true });
    throw built.status === "rejected" ? built.reason : (started as PromiseRejectedResult).reason;
  }
  const { child, info } = started.value;
  project.provide("consoleDist", built.value);
  project.provide("sharedStack", info);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= stopStackProcess(child).then(() => rmSync(dataDir, { recursive: true, force: true }));
    return stopped;
  };
  offerSharedStackStop(stop);
  return stop;
}
