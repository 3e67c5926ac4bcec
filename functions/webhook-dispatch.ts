import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoClient, logger, tableName } from "@cognito-lifecycle/aws";
import {
  type DeliveryOptions,
  type DispatchReport,
  DynamoWebhookStore,
  deliveryDefaults,
  dispatchDueDeliveries,
  webhookUrlPolicy,
} from "@cognito-lifecycle/aws/webhooks";

/** Kept back from the Lambda timeout: one more delivery's whole timeout plus writing its outcome. */
const reserveMs = deliveryDefaults.timeoutMs + 5_000;

export interface DispatchDependencies {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  random?: () => number;
  delivery?: DeliveryOptions;
}

/**
 * The webhook dispatcher (stacks/webhooks.ts, every minute): one pass of `dispatchDueDeliveries`
 * over the DynamoDB store. It starts no attempt it could not finish before the timeout; what is
 * left is due on the next run. Logs counts and endpoint ids only, never a payload or a secret.
 */
export function createHandler(dependencies: () => DispatchDependencies) {
  return async (
    _event: unknown,
    context?: { getRemainingTimeInMillis(): number },
  ): Promise<DispatchReport> => {
    const { db, tableName: table, now = () => new Date(), random, delivery } = dependencies();
    const store = new DynamoWebhookStore(db, table, now);
    const report = await dispatchDueDeliveries({
      store,
      now,
      ...(random ? { random } : {}),
      delivery: delivery ?? webhookUrlPolicy(),
      ...(context ? { shouldStop: () => context.getRemainingTimeInMillis() < reserveMs } : {}),
    });
    if (report.attempted > 0 || report.stopped) logger.info("webhook dispatch", { ...report });
    for (const id of report.disabledEndpoints) logger.warn("webhook endpoint disabled", { endpointId: id });
    return report;
  };
}

let db: DynamoDBDocumentClient | undefined;

export const handler = createHandler(() => {
  // A scheduled job, not a trigger: roomier requests than Cognito's 5 s allow.
  db ??= dynamoClient({ requestMs: 5_000, maxAttempts: 3 });
  return { db, tableName: tableName() };
});
