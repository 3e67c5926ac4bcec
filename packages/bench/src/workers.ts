import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TriggerName } from "./runtime.ts";

export type WorkerTask =
  | { kind: "latency"; tableName: string; iterations: number; warmup: number; batchSize: number }
  | { kind: "memory"; tableName: string; trigger: TriggerName; invocations: number; sampleAt: number }
  | { kind: "e2e"; lifecycles: number; concurrency: number }
  | {
      kind: "events";
      tableName: string;
      events: number;
      burst: number;
      concurrency: number;
      dispatchEveryMs: number;
    }
  | { kind: "passwords"; runs: number };

const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url));

/**
 * Runs `task` in a fresh Node process (with tsx, and `--expose-gc` so memory samples are taken
 * after a full collection). Its stdout goes to /dev/null; its stderr is kept for the error message.
 */
export function runWorker<T>(task: WorkerTask, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", workerPath], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, ...env },
    });
    let stderr = "";
    let settled = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child.once("message", (message: { ok: boolean; result?: T; error?: string }) => {
      settled = true;
      if (message.ok) resolve(message.result as T);
      else reject(new Error(`bench worker (${task.kind}) failed: ${message.error}`));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!settled) reject(new Error(`bench worker (${task.kind}) exited with code ${code}:\n${stderr}`));
    });
    child.send(task);
  });
}
