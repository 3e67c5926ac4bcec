import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { LifecycleEvent, ReplayReport } from "@cognito-lifecycle/core";
import { itemKeys, userTable } from "../table.ts";
import { reachTable } from "../table-calls.ts";
import { outboxAttribute, outboxEvents } from "../user-items.ts";
import { deliveryOf } from "./dispatcher.ts";
import type { WebhookEndpoint } from "./endpoints.ts";
import type { WebhookStore } from "./store.ts";

/** Events one replay request reads at most; a longer range is replayed in several requests. */
export const replayLimit = 1000;

export type { ReplayReport } from "@cognito-lifecycle/core";

/**
 * Queues `events` for `endpoint` again, each on a fresh retry schedule, in the order given (the
 * planner still sends each user's events by version). A disabled endpoint gets them when enabled.
 */
export async function replayEvents(
  store: WebhookStore,
  endpoint: WebhookEndpoint,
  events: readonly LifecycleEvent[],
  now: Date,
): Promise<ReplayReport> {
  const report: ReplayReport = { queued: 0, filtered: 0, alreadyPending: 0 };
  for (const event of events) {
    if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(event.type)) {
      report.filtered += 1;
    } else if (await store.requeue(deliveryOf(endpoint.id, event, now))) {
      report.queued += 1;
    } else {
      report.alreadyPending += 1;
    }
  }
  return report;
}

/**
 * The lifecycle events committed from `from` to `to` (inclusive, ISO times), oldest first, read
 * from the audit items (the outbox) through the all-audit index; at most `limit`. `truncated`
 * says more remain: replay again from `lastAt`.
 */
export async function auditEventsBetween(
  db: DynamoDBDocumentClient,
  tableName: string,
  range: { from: string; to: string; limit?: number },
): Promise<{ events: LifecycleEvent[]; truncated: boolean; lastAt?: string }> {
  const { byCreated } = userTable.indexes;
  const limit = range.limit ?? replayLimit;
  const events: LifecycleEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await reachTable("audit event listing", () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: byCreated.name,
          KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
          FilterExpression: "attribute_exists(#event)",
          ExpressionAttributeNames: {
            "#pk": byCreated.partitionKey,
            "#sk": byCreated.sortKey,
            "#event": outboxAttribute,
          },
          ExpressionAttributeValues: {
            ":pk": itemKeys.allAudit,
            ":from": range.from,
            ":to": `${range.to}\uffff`,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      events.push(...outboxEvents(item));
      if (events.length > limit) {
        const kept = events.slice(0, limit);
        return { events: kept, truncated: true, lastAt: kept[kept.length - 1]?.timestamp as string };
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return {
    events,
    truncated: false,
    ...(events.length ? { lastAt: events[events.length - 1]?.timestamp } : {}),
  };
}
