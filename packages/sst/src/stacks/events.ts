import type { FunctionResources } from "@cognito-lifecycle/core/least-privilege";
import { eventsPermissions } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";

/** Records per invocation; a failing record splits the batch (bisect) until it stands alone. */
export const eventsBatchSize = 25;
/** Retries of a failing batch before its records go to the DLQ (the stream keeps them 24 h). */
export const eventsMaximumRetryAttempts = 10;
/** Iterator age past which the events lag behind the table enough to alarm: 5 minutes. */
export const iteratorAgeAlarmMs = 300_000;

type Input = $util.Input<string>;

export interface EventsInput {
  table: sst.aws.Dynamo;
  email: sst.aws.Email;
  alarmTopic: aws.sns.Topic;
  lambda: LambdaFactory;
  resources: Pick<FunctionResources<Input>, "table" | "emailIdentity" | "emailConfigurationSet">;
}

/**
 * Lifecycle events (issue #14): the user table's stream -> the events function
 * (functions/events.ts) -> the custom EventBridge bus, webhook deliveries and the welcome
 * email. Partial batch responses with bisect; records that keep failing go to an SQS queue
 * (the on-failure destination keeps the records' stream position, not their data: replay
 * from the audit items). Alarms on the queue's depth and on the iterator age.
 */
export function createEvents(
  ctx: StackContext,
  { table, email, alarmTopic, lambda, resources }: EventsInput,
): {
  bus: aws.cloudwatch.EventBus;
  deadLetterQueue: aws.sqs.Queue;
  handler: sst.aws.Function;
  mapping: aws.lambda.EventSourceMapping;
} {
  const opts = childOptions(ctx);
  const bus = new aws.cloudwatch.EventBus(
    ...transformed(ctx.transform.eventBus, "LifecycleEvents", {}, opts),
  );
  const deadLetterQueue = new aws.sqs.Queue(
    ...transformed(
      ctx.transform.deadLetterQueue,
      "EventsDeadLetter",
      { messageRetentionSeconds: 1_209_600 },
      opts,
    ),
  );
  const tableStream = table.nodes.table.streamArn;
  const handler = lambda("Events", {
    handler: "functions/events.handler",
    description:
      "Relays lifecycle events from the user table's stream to EventBridge, webhooks and the welcome email",
    permissions: eventsPermissions(ctx.config, {
      ...resources,
      tableStream,
      eventBus: bus.arn,
      eventsDeadLetterQueue: deadLetterQueue.arn,
    }),
    memory: "512 MB",
    timeout: "60 seconds",
    environment: {
      LIFECYCLE_TABLE_NAME: table.name,
      LIFECYCLE_EVENT_BUS_NAME: bus.name,
      LIFECYCLE_SES_CONFIGURATION_SET: email.configSet,
    },
  });
  const mapping = streamMapping(ctx, { tableStream, handler, deadLetterQueue });
  eventsAlarms(ctx, { handler, deadLetterQueue, alarmTopic });
  return { bus, deadLetterQueue, handler, mapping };
}

type Opts = ReturnType<typeof childOptions>;
type EventsFunction = ReturnType<LambdaFactory>;

/** The stream -> function mapping: partial batch responses, bisect, retries, then the DLQ. */
function streamMapping(
  ctx: StackContext,
  parts: { tableStream: Input; handler: EventsFunction; deadLetterQueue: aws.sqs.Queue },
) {
  return new aws.lambda.EventSourceMapping(
    ...transformed(
      ctx.transform.eventSourceMapping,
      "EventsStreamMapping",
      {
        eventSourceArn: parts.tableStream,
        functionName: parts.handler.name,
        startingPosition: "TRIM_HORIZON",
        batchSize: eventsBatchSize,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: eventsMaximumRetryAttempts,
        functionResponseTypes: ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: parts.deadLetterQueue.arn } },
        // Only audit items carrying events wake the function (profile and role writes do not).
        filterCriteria: {
          filters: [
            {
              pattern: JSON.stringify({
                eventName: ["INSERT"],
                dynamodb: { NewImage: { kind: { S: ["audit"] } } },
              }),
            },
          ],
        },
      },
      childOptions(ctx),
    ),
  );
}

/** Alarms on records given up on (the DLQ's depth) and on the function lagging the stream. */
function eventsAlarms(
  ctx: StackContext,
  parts: { handler: EventsFunction; deadLetterQueue: aws.sqs.Queue; alarmTopic: aws.sns.Topic },
) {
  const opts: Opts = childOptions(ctx);
  const alarm = (name: string, args: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
    new aws.cloudwatch.MetricAlarm(
      ...transformed(
        ctx.transform.alarm,
        name,
        {
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [parts.alarmTopic.arn],
          okActions: [parts.alarmTopic.arn],
          ...args,
        },
        opts,
      ),
    );
  alarm("EventsDeadLetterAlarm", {
    alarmDescription: "Events: stream records the events function gave up on (replay them)",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: parts.deadLetterQueue.name },
    threshold: 1,
  });
  alarm("EventsIteratorAgeAlarm", {
    alarmDescription: "Events: the events function lags behind the table's stream by 5 minutes or more",
    namespace: "AWS/Lambda",
    metricName: "IteratorAge",
    dimensions: { FunctionName: parts.handler.name },
    threshold: iteratorAgeAlarmMs,
  });
}
