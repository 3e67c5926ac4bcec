/**
 * The local stack the browser tests share, in a process of its own (its triggers, stream
 * consumers, schedules and offline IAM check run here, under the stack's environment, away from
 * vitest's). Started by ./shared-stack.ts: `node --import tsx shared-stack-process.ts <dataDir>`.
 * Prints one line, `ready <StackInfo JSON>`, once the stack answers; stops on SIGTERM, SIGINT or
 * when its parent's pipe closes (the parent died), so no emulator outlives the run.
 */
import { freeStackPorts, startStack } from "@cognito-lifecycle/local";

/** What every browser test file's stack needs: webhook deliveries every 200 ms, not every 5 s. */
const sharedStackOptions = { deleteSignal: false, webhookDispatchEveryMs: 200 } as const;

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: shared-stack-process.ts <dataDir>");

const stack = await startStack({
  dataDir,
  ports: await freeStackPorts(),
  fresh: true,
  ...sharedStackOptions,
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shared stack did not stop cleanly: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
};
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, stop);
process.stdin.on("end", stop);
process.stdin.resume();
process.stdout.write(`ready ${JSON.stringify(stack.info)}\n`);
