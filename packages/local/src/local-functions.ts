import type { ScheduledFunction } from "./scheduler.ts";
import type { StreamConsumer } from "./streams.ts";

/**
 * The functions the local stack runs besides the triggers: the table's stream consumers (Lambda
 * event source mappings on AWS) and the scheduled functions (EventBridge schedules on AWS). One
 * list each; a function whose file is not in `functions/` yet is skipped. `functionName` is the
 * function's IAM principal and must be its name in packages/core/src/least-privilege.ts.
 */
export const streamConsumerFunctions = [{ functionName: "Events", file: "events", batchSize: 100 }] as const;

/** Locally the schedule is an interval: webhook dispatch every 5 s instead of every minute. */
export const scheduledFunctions = [
  { functionName: "WebhookDispatch", file: "webhook-dispatch", everyMs: 5_000 },
] as const;

/** The consumers and schedules whose files exist, as the poller and the scheduler take them. */
export function localFunctions(
  fileFor: (file: string) => string | undefined,
  options: { webhookDispatchEveryMs?: number } = {},
): { streamConsumers: StreamConsumer[]; schedules: ScheduledFunction[] } {
  const streamConsumers = streamConsumerFunctions.flatMap(({ file, ...consumer }) => {
    const handler = fileFor(file);
    return handler ? [{ ...consumer, handler }] : [];
  });
  const schedules = scheduledFunctions.flatMap(({ file, ...job }) => {
    const handler = fileFor(file);
    const everyMs =
      file === "webhook-dispatch" ? (options.webhookDispatchEveryMs ?? job.everyMs) : job.everyMs;
    return handler ? [{ ...job, everyMs, handler }] : [];
  });
  return { streamConsumers, schedules };
}
