import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { runAs } from "@cognito-lifecycle/aws";
import type { ScheduledEvent } from "aws-lambda";
import type { RunningService } from "./dynamodb.ts";
import type { LambdaContext } from "./streams.ts";

export type ScheduledHandler = (event: ScheduledEvent, context: LambdaContext) => Promise<unknown>;

/** A function run on a schedule, as an EventBridge rule (`sst.aws.Cron`) runs it on AWS. */
export interface ScheduledFunction {
  /** Its IAM principal (`runAs`) and its name in the log. */
  functionName: string;
  /** The handler, or the path of a module whose `handler` export it is. */
  handler: ScheduledHandler | string;
  /** Locally a short interval replaces the deployed schedule. */
  everyMs: number;
  timeoutMs?: number;
}

export interface ScheduledRun {
  functionName: string;
  outcome: "ok" | "error";
  errorMessage?: string;
  ms: number;
}

async function loadHandler(handler: ScheduledHandler | string): Promise<ScheduledHandler> {
  if (typeof handler === "function") return handler;
  const module = (await import(pathToFileURL(handler).href)) as { handler?: unknown };
  if (typeof module.handler !== "function") throw new Error(`${handler} does not export a handler`);
  return module.handler as ScheduledHandler;
}

/**
 * Runs each function every `everyMs` with a `Scheduled Event` as EventBridge sends it. A run
 * still going when the next is due is not doubled (the next starts `everyMs` after it ends).
 * `stop()` cancels what is pending and waits for runs in progress.
 */
export async function startScheduler(options: {
  functions: ScheduledFunction[];
  region: string;
  account: string;
  onRun?: (run: ScheduledRun) => void;
}): Promise<RunningService> {
  const timers = new Set<NodeJS.Timeout>();
  const inProgress = new Set<Promise<void>>();
  let stopped = false;
  const schedule = (job: ScheduledFunction, handler: ScheduledHandler) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runOnce(job, handler).finally(() => {
        inProgress.delete(run);
        schedule(job, handler);
      });
      inProgress.add(run);
    }, job.everyMs);
    timers.add(timer);
  };
  const runOnce = async (job: ScheduledFunction, handler: ScheduledHandler) => {
    const startedAt = Date.now();
    const event: ScheduledEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: options.account,
      time: new Date(startedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: options.region,
      resources: [`arn:aws:events:${options.region}:${options.account}:rule/${job.functionName}-local`],
      detail: {},
    };
    const context: LambdaContext = {
      functionName: job.functionName,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, startedAt + (job.timeoutMs ?? 60_000) - Date.now()),
    };
    try {
      await runAs(job.functionName, () => handler(event, context));
      options.onRun?.({ functionName: job.functionName, outcome: "ok", ms: Date.now() - startedAt });
    } catch (error) {
      options.onRun?.({
        functionName: job.functionName,
        outcome: "error",
        errorMessage: error instanceof Error ? error.message : String(error),
        ms: Date.now() - startedAt,
      });
    }
  };
  const handlers = await Promise.all(options.functions.map((job) => loadHandler(job.handler)));
  for (const [index, job] of options.functions.entries()) schedule(job, handlers[index] as ScheduledHandler);
  let stopping: Promise<void> | undefined;
  return {
    endpoint: "scheduler",
    port: 0,
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.all([...inProgress]);
      })();
      return stopping;
    },
  };
}
