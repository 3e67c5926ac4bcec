/**
 * Runs one measurement in its own Node process, as a Lambda container would: its own module
 * state and heap, and its logs (the triggers' JSON lines, at the deployed INFO level) written
 * to stdout, which the parent points at /dev/null. The result goes back over IPC.
 */
import { withEnvironment } from "@cognito-lifecycle/core";
import lifecycleConfig from "../../../lifecycle.config.ts";
import { measureEndToEnd } from "./e2e.ts";
import { measureEventPath } from "./event-path.ts";
import { measureLatency } from "./latency.ts";
import { measureMemory } from "./memory.ts";
import { measurePasswordCosts } from "./passwords.ts";
import type { WorkerTask } from "./workers.ts";

async function run(task: WorkerTask): Promise<unknown> {
  const config = withEnvironment(lifecycleConfig);
  switch (task.kind) {
    case "latency":
      return measureLatency({ config, ...task });
    case "memory":
      return measureMemory({ config, ...task });
    case "e2e":
      return measureEndToEnd(task);
    case "events":
      return measureEventPath({ config, ...task });
    case "passwords":
      return measurePasswordCosts(task);
  }
}

process.once("message", (task: WorkerTask) => {
  run(task).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) =>
      process.send?.(
        { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
});
