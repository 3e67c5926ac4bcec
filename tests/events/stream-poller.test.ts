import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { userTable } from "@cognito-lifecycle/aws/table";
import {
  localAccount,
  localRegion,
  type RunningService,
  retryPoint,
  startStreamPoller,
} from "@cognito-lifecycle/local";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { dynamoEndpoint, freshStore } from "../support/aws.ts";

/** Waits (without a time assertion) until `check` holds; fails after many polls. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

const running: RunningService[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

async function table() {
  const { db, client, tableName } = await freshStore();
  const put = (index: number) =>
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `USER#u${index % 3}`, sk: `AUDIT#${String(index).padStart(4, "0")}`, n: index },
      }),
    );
  return { client, tableName, put };
}

function poller(tableName: string, handler: (event: DynamoDBStreamEvent) => Promise<unknown>, extra = {}) {
  return startStreamPoller({
    dynamodbEndpoint: dynamoEndpoint(),
    tableName,
    region: localRegion,
    account: localAccount,
    pollIntervalMs: 20,
    consumers: [
      {
        functionName: "TestStreamConsumer",
        handler,
        batchSize: 4,
        ...extra,
      },
    ],
  }).then((service) => {
    running.push(service);
    return service;
  });
}

const numberOf = (record: DynamoDBRecord) => Number(record.dynamodb?.NewImage?.n?.N);

describe("the local stream poller (Lambda's DynamoDB event source mapping)", () => {
  it("the table streams the layout's view type", async () => {
    const { client, tableName } = await table();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: userTable.streamViewType,
    });
  });

  it("delivers every record in order, in batches shaped like Lambda's", async () => {
    const { tableName, put } = await table();
    const batches: DynamoDBStreamEvent[] = [];
    await poller(tableName, async (event) => {
      batches.push(event);
      return { batchItemFailures: [] };
    });
    for (let index = 0; index < 10; index++) await put(index);
    await eventually(() => batches.flatMap((batch) => batch.Records).length >= 10, "10 records");

    const records = batches.flatMap((batch) => batch.Records);
    expect(records.map(numberOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...batches.map((batch) => batch.Records.length))).toBeLessThanOrEqual(4);
    const first = records[0] as DynamoDBRecord;
    expect(first).toMatchObject({
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      eventVersion: "1.1",
      awsRegion: localRegion,
      dynamodb: {
        Keys: { pk: { S: "USER#u0" }, sk: { S: "AUDIT#0000" } },
        NewImage: { pk: { S: "USER#u0" }, sk: { S: "AUDIT#0000" }, n: { N: "0" } },
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
    expect(first.eventSourceARN).toMatch(
      new RegExp(`^arn:aws:dynamodb:${localRegion}:${localAccount}:table/${tableName}/stream/`),
    );
    expect(typeof first.eventID).toBe("string");
    expect(typeof first.dynamodb?.SequenceNumber).toBe("string");
    expect(first.dynamodb?.SizeBytes).toBeGreaterThan(0);
    expect(typeof first.dynamodb?.ApproximateCreationDateTime).toBe("number");
  });

  it("retries from the first reported failure: nothing lost, nothing before it repeated", async () => {
    const { tableName, put } = await table();
    const seen: number[] = [];
    let failedOnce = false;
    await poller(tableName, async (event) => {
      const failing = event.Records.find((record) => numberOf(record) === 5);
      if (failing && !failedOnce) {
        failedOnce = true;
        const upTo = event.Records.indexOf(failing);
        seen.push(...event.Records.slice(0, upTo).map(numberOf));
        const later = event.Records.slice(upTo).map((record) => ({
          itemIdentifier: record.dynamodb?.SequenceNumber ?? "",
        }));
        return { batchItemFailures: later.reverse() };
      }
      seen.push(...event.Records.map(numberOf));
      return {};
    });
    for (let index = 0; index < 10; index++) await put(index);
    await eventually(() => seen.length >= 10, "10 records handled");
    expect(failedOnce).toBe(true);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a thrown error retries the whole batch until it succeeds", async () => {
    const { tableName, put } = await table();
    const attempts: number[][] = [];
    await poller(tableName, async (event) => {
      attempts.push(event.Records.map(numberOf));
      if (attempts.length < 3) throw new Error("database unavailable");
      return undefined;
    });
    await put(0);
    await put(1);
    // Record 1 may join the batch only on a retry (the poll can see record 0 alone first), so
    // count attempts, not sightings of record 1.
    await eventually(() => attempts.length >= 3, "third attempt");
    const firstThree = attempts.slice(0, 3);
    for (const attempt of firstThree) expect(attempt[0]).toBe(0);
    await eventually(() => attempts.length >= 3 && attempts.flat().includes(1), "record 1");
  });

  it("stopping the poller stops the polling; a restart resumes after the checkpoint", async () => {
    const { tableName, put } = await table();
    const dir = mkdtempSync(join(tmpdir(), "stream-poller-"));
    const checkpointFile = (name: string) => join(dir, `${name}.json`);
    const seen: number[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      seen.push(...event.Records.map(numberOf));
    };
    const options = {
      dynamodbEndpoint: dynamoEndpoint(),
      tableName,
      region: localRegion,
      account: localAccount,
      pollIntervalMs: 20,
      checkpointFile,
      consumers: [{ functionName: "TestStreamConsumer", handler }],
    };
    const first = await startStreamPoller(options);
    await put(0);
    await eventually(() => seen.length === 1, "record 0");
    await first.stop();

    await put(1);
    await put(2);
    // Stopped: nothing is read. Give a running poller ample chances (50 intervals) to prove it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(seen).toEqual([0]);

    const second = await startStreamPoller(options);
    running.push(second);
    await eventually(() => seen.length >= 3, "records 1 and 2 after the restart");
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe("ReportBatchItemFailures semantics", () => {
  const batch = ["10", "20", "30"].map((SequenceNumber) => ({
    dynamodb: { SequenceNumber },
  })) as DynamoDBRecord[];

  it("success when the response is empty, null or has no failures", () => {
    for (const response of [undefined, null, {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(retryPoint(batch, response, true)).toBeUndefined();
    }
  });

  it("retries from the lowest failed sequence number", () => {
    expect(
      retryPoint(batch, { batchItemFailures: [{ itemIdentifier: "30" }, { itemIdentifier: "20" }] }, true),
    ).toBe("20");
  });

  it("an empty, null or unknown identifier fails the whole batch", () => {
    for (const itemIdentifier of ["", null, "99"]) {
      expect(retryPoint(batch, { batchItemFailures: [{ itemIdentifier }] }, true)).toBe("10");
    }
    expect(retryPoint(batch, { batchItemFailures: [{ id: "20" }] }, true)).toBe("10");
  });

  it("ignores the response when the mapping does not report batch item failures", () => {
    expect(retryPoint(batch, { batchItemFailures: [{ itemIdentifier: "20" }] }, false)).toBeUndefined();
  });
});
