import { webhookDispatchPermissions } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";

/** Every minute: the first retry waits 5 s, so a minute is how late a delivery can be, at most. */
export const webhookDispatchSchedule = "rate(1 minute)";

export interface WebhookStackInput {
  /** The user table: endpoints, deliveries and attempts live in it (packages/aws/src/table.ts). */
  table: sst.aws.Dynamo;
  lambda: LambdaFactory;
}

/**
 * The webhook dispatcher (functions/webhook-dispatch.ts): runs every minute, sends the due
 * deliveries, and stops starting attempts 20 s before its 60 s timeout. Reserved concurrency 1:
 * a slow run is never overlapped by the next (the store's conditional writes would make an
 * overlap safe, but it could send an attempt twice).
 */
export function createWebhooks(ctx: StackContext, { table, lambda }: WebhookStackInput) {
  const tableIndexes = $interpolate`${table.arn}/index/*`;
  const dispatcher = lambda("WebhookDispatch", {
    handler: "functions/webhook-dispatch.handler",
    description: "Sends due webhook deliveries and retries",
    permissions: webhookDispatchPermissions({ table: table.arn, tableIndexes }),
    memory: "256 MB",
    timeout: "60 seconds",
    reservedConcurrency: 1,
    environment: { LIFECYCLE_TABLE_NAME: table.name },
  });
  const scheduleArgs: sst.aws.CronArgs = { schedule: webhookDispatchSchedule, function: dispatcher };
  const schedule = new sst.aws.Cron(
    ...transformed(ctx.transform.schedule, "WebhookDispatchSchedule", scheduleArgs, childOptions(ctx)),
  );
  return { dispatcher, schedule };
}
