import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { itemKeys, userTable } from "../table.ts";
import { isConditionFailure, reachTable } from "../table-calls.ts";
import { fromItem } from "../user-items.ts";
import type { WebhookEndpoint } from "./endpoints.ts";
import type { WebhookAttempt, WebhookDelivery, WebhookStore } from "./store.ts";

/** Delivered and given-up deliveries, and every attempt, expire (table TTL) after this many days. */
export const webhookLogDays = 30;

const day = 86_400;
const { partitionKey: pk, sortKey: sk } = userTable;
const pendingIndex = userTable.indexes.byStatusOrRole;

/**
 * The webhook items of the user table (layout in table.ts):
 * - endpoint  pk=WEBHOOKS             sk=ENDPOINT#<id>  (one small partition: listing is one strongly consistent Query)
 * - delivery  pk=WEBHOOK#<endpointId> sk=DELIVERY#<eventId>; while pending also
 *             gsi1 WEBHOOK_PENDING#<endpointId> / <nextAttemptAt>#<eventId> (sparse: only pending ones)
 * - attempt   pk=WEBHOOK#<endpointId> sk=ATTEMPT#<eventId>#<at>#<attempt>
 */
function endpointItem(endpoint: WebhookEndpoint): Record<string, unknown> {
  return {
    ...endpoint,
    [pk]: itemKeys.webhookEndpoints,
    [sk]: itemKeys.webhookEndpoint(endpoint.id),
    kind: "webhook-endpoint",
  };
}

function expiry(at: string): number {
  return Math.floor(Date.parse(at) / 1000) + webhookLogDays * day;
}

function deliveryItem(delivery: WebhookDelivery, now: Date): Record<string, unknown> {
  const keys = {
    [pk]: itemKeys.webhook(delivery.endpointId),
    [sk]: itemKeys.webhookDelivery(delivery.eventId),
    kind: "webhook-delivery",
  };
  if (delivery.status !== "pending") {
    return { ...delivery, ...keys, [userTable.ttlAttribute]: expiry(now.toISOString()) };
  }
  return {
    ...delivery,
    ...keys,
    [pendingIndex.partitionKey]: itemKeys.webhookPending(delivery.endpointId),
    [pendingIndex.sortKey]: `${delivery.nextAttemptAt}#${delivery.eventId}`,
  };
}

function attemptItem(attempt: WebhookAttempt): Record<string, unknown> {
  return {
    ...attempt,
    [pk]: itemKeys.webhook(attempt.endpointId),
    [sk]: itemKeys.webhookAttempt(attempt.eventId, attempt.at, attempt.attempt),
    kind: "webhook-attempt",
    [userTable.ttlAttribute]: expiry(attempt.at),
  };
}

function chronological(a: WebhookAttempt, b: WebhookAttempt): number {
  return a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId) || a.attempt - b.attempt;
}

/**
 * The `WebhookStore` in the user table. Every write is conditional as the interface says; reads
 * of endpoints and deliveries are strongly consistent, except `pending()`, which reads the sparse
 * pending index (eventually consistent: a just-queued delivery may wait for the next pass, and a
 * just-finished one may be tried again, which its conditional update then discards).
 */
export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async put(operation: string, item: Record<string, unknown>, condition?: object): Promise<boolean> {
    try {
      await reachTable(operation, () =>
        this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition })),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async queryAll(operation: string, input: Omit<QueryCommandInput, "TableName">) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await reachTable(operation, () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            ...input,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async getItem(operation: string, key: Record<string, string>) {
    const result = await reachTable(operation, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return result.Item;
  }

  putEndpoint(endpoint: WebhookEndpoint, expectedVersion?: number): Promise<boolean> {
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: `attribute_not_exists(${pk})` }
        : {
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    return this.put("webhook endpoint write", endpointItem(endpoint), condition);
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const item = await this.getItem("webhook endpoint read", {
      [pk]: itemKeys.webhookEndpoints,
      [sk]: itemKeys.webhookEndpoint(id),
    });
    return item && fromItem<WebhookEndpoint>(item);
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const items = await this.queryAll("webhook endpoint listing", {
      KeyConditionExpression: `${pk} = :pk AND begins_with(${sk}, :prefix)`,
      ExpressionAttributeValues: {
        ":pk": itemKeys.webhookEndpoints,
        ":prefix": itemKeys.webhookEndpointPrefix,
      },
      ConsistentRead: true,
    });
    return items.map((item) => fromItem<WebhookEndpoint>(item));
  }

  enqueue(delivery: WebhookDelivery): Promise<boolean> {
    return this.put("webhook enqueue", deliveryItem(delivery, this.now()), {
      ConditionExpression: `attribute_not_exists(${pk})`,
    });
  }

  async getDelivery(endpointId: string, eventId: string): Promise<WebhookDelivery | undefined> {
    const item = await this.getItem("webhook delivery read", {
      [pk]: itemKeys.webhook(endpointId),
      [sk]: itemKeys.webhookDelivery(eventId),
    });
    return item && fromItem<WebhookDelivery>(item);
  }

  /** One Query of the pending index per endpoint; the planner needs every pending one, due or not. */
  async pending(endpointId?: string): Promise<WebhookDelivery[]> {
    const ids = endpointId ? [endpointId] : (await this.listEndpoints()).map((endpoint) => endpoint.id);
    const pages = await Promise.all(
      ids.map((id) =>
        this.queryAll("webhook pending listing", {
          IndexName: pendingIndex.name,
          KeyConditionExpression: "#ipk = :pk",
          ExpressionAttributeNames: { "#ipk": pendingIndex.partitionKey },
          ExpressionAttributeValues: { ":pk": itemKeys.webhookPending(id) },
        }),
      ),
    );
    return pages.flat().map((item) => fromItem<WebhookDelivery>(item));
  }

  updateDelivery(delivery: WebhookDelivery, expectedAttempts: number): Promise<boolean> {
    return this.put("webhook delivery update", deliveryItem(delivery, this.now()), {
      ConditionExpression: `attribute_exists(${pk}) AND attempts = :expected`,
      ExpressionAttributeValues: { ":expected": expectedAttempts },
    });
  }

  requeue(delivery: WebhookDelivery): Promise<boolean> {
    const pendingAgain: WebhookDelivery = { ...delivery, status: "pending", attempts: 0 };
    return this.put("webhook requeue", deliveryItem(pendingAgain, this.now()), {
      ConditionExpression: `attribute_not_exists(${pk}) OR #status <> :pending`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":pending": "pending" },
    });
  }

  async appendAttempt(attempt: WebhookAttempt): Promise<void> {
    await this.put("webhook attempt log", attemptItem(attempt));
  }

  async attempts(endpointId: string, eventId?: string): Promise<WebhookAttempt[]> {
    const items = await this.queryAll("webhook attempt listing", {
      KeyConditionExpression: `${pk} = :pk AND begins_with(${sk}, :prefix)`,
      ExpressionAttributeValues: {
        ":pk": itemKeys.webhook(endpointId),
        ":prefix": itemKeys.webhookAttemptPrefix(eventId),
      },
      ConsistentRead: true,
    });
    return items.map((item) => fromItem<WebhookAttempt>(item)).sort(chronological);
  }
}
