import {
  dynamoClient,
  eventPublisherFor,
  mailerFor,
  once,
  type RelayDependencies,
  relayStreamBatch,
  systemClock,
  tableName,
  userStoreFor,
} from "@cognito-lifecycle/aws";
import { DynamoWebhookStore } from "@cognito-lifecycle/aws/webhooks";
import { withEnvironment } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import config from "../lifecycle.config.ts";

/** Kept back from the Lambda timeout so a welcome email's outcome is always recorded. */
const reserveMs = 5_000;

/**
 * The events function (stacks/events.ts): the user table's stream -> the EventBridge bus,
 * webhook deliveries and the welcome email on `user.created`. Partial batch responses: the
 * mapping retries from the first record that failed, and sends what keeps failing to the DLQ.
 */
export function createHandler(runtime: () => RelayDependencies) {
  return (
    event: DynamoDBStreamEvent,
    context?: { getRemainingTimeInMillis(): number },
  ): Promise<DynamoDBBatchResponse> => {
    const timeLeft = () =>
      context ? context.getRemainingTimeInMillis() - reserveMs : Number.POSITIVE_INFINITY;
    return relayStreamBatch(runtime(), event, timeLeft);
  };
}

const settings = withEnvironment(config);
const store = once(() => userStoreFor(settings));
const mailer = once(() => mailerFor(settings));
const publisher = once(() => eventPublisherFor(settings));
// Deliveries are queued in the user table; the dispatcher (functions/webhook-dispatch.ts) sends them.
const webhooks = once(
  () => new DynamoWebhookStore(dynamoClient(settings.timeouts), tableName(), systemClock.now),
);
export const handler = createHandler(() => ({
  config: settings,
  store: store(),
  mailer: mailer(),
  publisher: publisher(),
  webhooks: webhooks(),
  renderer: renderMessage,
  now: systemClock.now,
}));
