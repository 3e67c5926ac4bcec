import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type LifecycleConfig, type LifecycleEvent, lifecycleEventSource } from "@cognito-lifecycle/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";
import { logger } from "./logger.ts";
import { outboxEvents } from "./user-items.ts";
import { fanOutEvent } from "./webhooks/dispatcher.ts";
import type { WebhookStore } from "./webhooks/store.ts";
import { claimAndDeliverWelcome, type WelcomeDependencies } from "./welcome.ts";

/** Where lifecycle events are published: returns the ids of the events it could not publish. */
export interface EventPublisher {
  publish(events: readonly LifecycleEvent[]): Promise<Set<string>>;
}

/** PutEvents takes at most 10 entries per call. */
const putEventsLimit = 10;

/**
 * Publishes to a custom EventBridge bus: `source` = lifecycleEventSource, `detail-type` = the
 * event type, `detail` = the envelope. PutEvents does not throw on a partial failure: each
 * entry that carries an `ErrorCode` (or a whole call that failed) counts as not published.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly LifecycleEvent[]): Promise<Set<string>> {
    const failed = new Set<string>();
    for (let start = 0; start < events.length; start += putEventsLimit) {
      const chunk = events.slice(start, start + putEventsLimit);
      try {
        const result = await this.client.send(
          new PutEventsCommand({
            Entries: chunk.map((event) => ({
              EventBusName: this.busName,
              Source: lifecycleEventSource,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              Time: new Date(event.timestamp),
            })),
          }),
        );
        // Entries answer in request order; a failed one has an ErrorCode and no EventId.
        chunk.forEach((event, index) => {
          const entry = result.Entries?.[index];
          if (!entry || entry.ErrorCode || !entry.EventId) failed.add(event.id);
        });
      } catch (error) {
        logger.warn("PutEvents failed", { error: (error as Error).name, entries: chunk.length });
        for (const event of chunk) failed.add(event.id);
      }
    }
    return failed;
  }
}

export function eventBridgeClient(timeouts: ClientTimeouts): EventBridgeClient {
  return instrumentClient(new EventBridgeClient(clientOptions(timeouts)));
}

/** The deployed bus's name (`LIFECYCLE_EVENT_BUS_NAME`, set by stacks/events.ts). */
export function eventBusName(): string {
  const name = process.env.LIFECYCLE_EVENT_BUS_NAME;
  if (!name) throw new Error("LIFECYCLE_EVENT_BUS_NAME is not set");
  return name;
}

export function eventPublisherFor(config: LifecycleConfig): EventPublisher {
  return new EventBridgePublisher(eventBridgeClient(config.timeouts), eventBusName());
}

export interface RelayDependencies extends WelcomeDependencies {
  publisher: EventPublisher;
  /** Where webhook deliveries are queued; without one, events go to the bus only. */
  webhooks?: WebhookStore;
}

/** The events a stream record carries: only audit-item INSERTs have any (TTL REMOVEs do not). */
function eventsOf(record: DynamoDBRecord): LifecycleEvent[] {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== "INSERT" || !image) return [];
  return outboxEvents(unmarshall(image as Record<string, AttributeValue>));
}

/** Fans one record's events out to webhooks and sends the welcome email a `user.created` owes. */
async function deliverRecord(
  deps: RelayDependencies,
  events: readonly LifecycleEvent[],
  timeLeft: () => number,
): Promise<void> {
  for (const event of events) {
    if (deps.webhooks) await fanOutEvent(deps.webhooks, event, deps.now());
    if (event.type !== "user.created") continue;
    const record = await deps.store.get(event.data.sub);
    // The claim is on the record: a redelivered batch, or reconcile, finds it taken.
    if (record) await claimAndDeliverWelcome(deps, record, timeLeft);
  }
}

/**
 * Relays a batch of the user table's stream: publishes each audit item's events to the bus,
 * queues their webhook deliveries, sends the welcome email on `user.created`. Every step is
 * idempotent (event ids, the (endpoint, event) key, the welcome claim), so a redelivered batch
 * repeats nothing but bus entries, which carry the same id. The first record that fails is
 * reported (`ReportBatchItemFailures`) and the rest left for the retry, which resumes there.
 */
export async function relayStreamBatch(
  deps: RelayDependencies,
  batch: DynamoDBStreamEvent,
  timeLeft: () => number = () => Number.POSITIVE_INFINITY,
): Promise<DynamoDBBatchResponse> {
  const parsed = batch.Records.map((record) => {
    try {
      return { record, events: eventsOf(record) };
    } catch (error) {
      return { record, events: [], error: error as Error };
    }
  });
  const notPublished = await deps.publisher.publish(parsed.flatMap((item) => item.events));
  for (const { record, events, error } of parsed) {
    const id = record.dynamodb?.SequenceNumber ?? "";
    const failure = (reason: string) => {
      logger.error("stream record not relayed; it is retried", { sequenceNumber: id, reason });
      return { batchItemFailures: [{ itemIdentifier: id }] };
    };
    if (error) return failure(`unreadable outbox: ${error.name}`);
    if (events.some((event) => notPublished.has(event.id))) return failure("PutEvents entry failed");
    try {
      await deliverRecord(deps, events, timeLeft);
    } catch (cause) {
      return failure((cause as Error).name);
    }
  }
  return { batchItemFailures: [] };
}
