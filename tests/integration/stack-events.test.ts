import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  assertPortFree,
  eventBridgeEvents,
  freeStackPorts,
  localCredentials,
  type RunningStack,
  readStackInfo,
  type StackPorts,
  startStack,
} from "@cognito-lifecycle/local";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The stack's event plumbing: stream consumers, schedules, the EventBridge sink, the webhook inbox. */
const dataDir = mkdtempSync(join(tmpdir(), "local-stack-events-"));
let stack: RunningStack | undefined;
let ports: StackPorts;
const streamed: DynamoDBRecord[] = [];
let scheduledRuns = 0;

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

beforeAll(async () => {
  ports = await freeStackPorts();
  stack = await startStack({
    dataDir,
    ports,
    fresh: true,
    streamConsumers: [
      {
        functionName: "TestStreamConsumer",
        handler: async (event) => {
          streamed.push(...event.Records);
          return { batchItemFailures: [] };
        },
      },
    ],
    schedules: [
      {
        functionName: "TestSchedule",
        everyMs: 50,
        handler: async () => {
          scheduledRuns += 1;
        },
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the local stack's events plumbing", () => {
  it("stack.json names the EventBridge and webhook inbox endpoints, and the functions get EventBridge's", () => {
    const info = readStackInfo(dataDir);
    expect(info).toMatchObject({
      endpoints: {
        eventbridge: `http://127.0.0.1:${ports.eventbridge}`,
        webhookInbox: `http://127.0.0.1:${ports.webhookInbox}`,
      },
      handlerEnv: { AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${ports.eventbridge}` },
      localFunctions: { streamConsumers: ["TestStreamConsumer"], schedules: ["TestSchedule every 0.05 s"] },
    });
  });

  it("a change to the table reaches the stream consumer", async () => {
    const info = stack?.info;
    if (!info) throw new Error("no stack");
    const dynamo = new DynamoDBClient({
      endpoint: info.endpoints.dynamodb,
      region: info.region,
      credentials: localCredentials,
    });
    const sub = `stream-test-${Date.now()}`;
    await DynamoDBDocumentClient.from(dynamo).send(
      new PutCommand({ TableName: info.tableName, Item: { pk: `USER#${sub}`, sk: "PROFILE", email: "x" } }),
    );
    dynamo.destroy();
    await eventually(
      () => streamed.some((record) => record.dynamodb?.Keys?.pk?.S === `USER#${sub}`),
      "the INSERT in the consumer",
    );
    const record = streamed.find((entry) => entry.dynamodb?.Keys?.pk?.S === `USER#${sub}`);
    expect(record).toMatchObject({ eventName: "INSERT", awsRegion: info.region });
    expect(record?.eventSourceARN).toContain(`table/${info.tableName}/stream/`);
  });

  it("an EventBridge client built from the environment (as a function builds it) reaches the sink", async () => {
    const client = new EventBridgeClient({});
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [{ Source: "cognito-lifecycle", DetailType: "user.created", Detail: '{"id":"evt_stack"}' }],
      }),
    );
    client.destroy();
    expect(answer.FailedEntryCount).toBe(0);
    const events = await eventBridgeEvents(stack?.info.endpoints.eventbridge ?? "");
    expect(events.map((event) => event.detail)).toContainEqual({ id: "evt_stack" });
  });

  it("the webhook inbox answers on its own port", async () => {
    const response = await fetch(`${stack?.info.endpoints.webhookInbox}/hooks/dev`, {
      method: "POST",
      body: '{"type":"user.created"}',
    });
    expect(response.status).toBe(204);
  });

  it("runs the schedules, and stopping the stack stops them, the poller and every port", async () => {
    await eventually(() => scheduledRuns >= 2, "two scheduled runs");
    await stack?.stop();
    stack = undefined;
    const runs = scheduledRuns;
    const records = streamed.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(scheduledRuns).toBe(runs);
    expect(streamed.length).toBe(records);
    for (const port of [ports.eventbridge, ports.webhookInbox, ports.dynamodb]) {
      await expect(assertPortFree("test", port)).resolves.toBeUndefined();
    }
  });
});
