import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import {
  type EventPublisher,
  itemKeys,
  type Mailer,
  type RelayDependencies,
  runAs,
  type UserStore,
  userTable,
} from "@cognito-lifecycle/aws";
import type { LifecycleConfig, LifecycleEvent } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { createHandler } from "../../../functions/events.ts";
import { localMailer } from "../../support/aws.ts";

/** A user's audit items exactly as the table stores them, oldest first. */
export async function auditItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
): Promise<Record<string, unknown>[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
      ExpressionAttributeNames: { "#pk": userTable.partitionKey, "#sk": userTable.sortKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub), ":prefix": itemKeys.auditPrefix },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

let sequence = 0;

/** A stream record as Lambda's mapping hands it over (NEW_IMAGE), from an item as stored. */
export function streamRecord(
  tableName: string,
  item: Record<string, unknown>,
  eventName: "INSERT" | "MODIFY" | "REMOVE" = "INSERT",
): DynamoDBRecord {
  sequence += 1;
  const image = marshall(item, { removeUndefinedValues: true });
  const keys = marshall({
    [userTable.partitionKey]: item[userTable.partitionKey],
    [userTable.sortKey]: item[userTable.sortKey],
  });
  return {
    eventID: randomUUID(),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/2030-01-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys,
      ...(eventName === "REMOVE" ? { OldImage: image } : { NewImage: image }),
      SequenceNumber: String(sequence).padStart(21, "0"),
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: "NEW_IMAGE",
    },
  } as DynamoDBRecord;
}

/** A bus that accepts every event and keeps it. */
export class RecordingPublisher implements EventPublisher {
  readonly events: LifecycleEvent[] = [];
  async publish(events: readonly LifecycleEvent[]): Promise<Set<string>> {
    this.events.push(...events);
    return new Set();
  }
}

/**
 * Runs the events function, as the Events function's role, over the stream records of what
 * the table holds for `subs`: what Lambda's mapping would deliver after the triggers ran.
 */
export async function relayCommitted(parts: {
  db: DynamoDBDocumentClient;
  tableName: string;
  store: UserStore;
  config: LifecycleConfig;
  subs: readonly string[];
  mailer?: Mailer;
  publisher?: EventPublisher;
}): Promise<DynamoDBBatchResponse> {
  const items = (
    await Promise.all(parts.subs.map((sub) => auditItems(parts.db, parts.tableName, sub)))
  ).flat();
  const batch: DynamoDBStreamEvent = { Records: items.map((item) => streamRecord(parts.tableName, item)) };
  const deps: RelayDependencies = {
    config: parts.config,
    store: parts.store,
    mailer: parts.mailer ?? localMailer(),
    renderer: renderMessage,
    now: () => new Date(),
    publisher: parts.publisher ?? new RecordingPublisher(),
  };
  return runAs("Events", () => createHandler(() => deps)(batch));
}
