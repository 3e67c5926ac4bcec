import { runAs } from "@cognito-lifecycle/aws";
import {
  type DispatchReport,
  DynamoWebhookStore,
  newWebhookEndpoint,
  retryDelaysMs,
  type WebhookEndpoint,
} from "@cognito-lifecycle/aws/webhooks";
import { type LifecycleEvent, lifecycleEventsFor, type UserRecord } from "@cognito-lifecycle/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/webhook-dispatch.ts";
import config from "../../lifecycle.config.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import { type Received, startReceiver } from "./support/receiver.ts";
import { auditEntry, userRecord } from "./support/records.ts";

checkIam(config);

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let receiver: Receiver | undefined;
let store: DynamoWebhookStore;
let handler: ReturnType<typeof createHandler>;
let clock: Date;

beforeEach(async () => {
  clock = new Date("2030-01-01T00:00:00.000Z");
  const { db, tableName } = await freshStore();
  store = new DynamoWebhookStore(db, tableName, () => clock);
  handler = createHandler(() => ({
    db,
    tableName,
    now: () => clock,
    random: () => 0.5,
    delivery: { allowLocalHttp: true, timeoutMs: 2_000 },
  }));
});
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

/** One scheduled run, as the WebhookDispatch function (its calls checked against its grants). */
const run = (context?: { getRemainingTimeInMillis(): number }) =>
  runAs("WebhookDispatch", () => handler({}, context)) as Promise<DispatchReport>;

function eventFor(version: number, patch: Partial<UserRecord> = {}): LifecycleEvent {
  const before = userRecord({ version: version - 1 });
  const audit = auditEntry({ id: `v${version}`, at: `2030-01-01T00:00:0${version}.000Z` });
  const after = { ...before, ...patch, version };
  return lifecycleEventsFor(version === 1 ? { audit, after } : { audit, before, after })[0] as LifecycleEvent;
}

async function queue(endpoint: WebhookEndpoint, events: LifecycleEvent[]) {
  for (const event of events) {
    await store.enqueue({
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      sub: event.data.sub,
      version: event.data.version,
      eventAt: event.timestamp,
      payload: JSON.stringify(event),
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.toISOString(),
      createdAt: clock.toISOString(),
    });
  }
}

/** Moves the clock to the next retry of the delivery of `eventId`. */
async function toNextRetry(eventId: string) {
  const delivery = await store.getDelivery("ep-1", eventId);
  clock = new Date(Date.parse(delivery?.nextAttemptAt as string));
}

describe("the scheduled webhook dispatcher", () => {
  it("retries an endpoint that is down on the schedule, and delivers in version order once it is back", async () => {
    // Bind a port, then free it: the endpoint is down (connection refused) at that address.
    receiver = await startReceiver();
    const { port, url } = receiver;
    await receiver.stop();
    receiver = undefined;
    const endpoint = newWebhookEndpoint({ id: "ep-1", url, now: clock });
    await store.putEndpoint(endpoint);
    await queue(endpoint, [eventFor(2, { name: "b" }), eventFor(1), eventFor(3, { name: "c" })]);
    const started = clock.getTime();

    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await run()).toMatchObject({ attempted: 1, delivered: 0 });
      await toNextRetry("evt_v1");
    }
    const down = await store.attempts("ep-1");
    expect(down.map((attempt) => [attempt.eventId, attempt.outcome])).toEqual([
      ["evt_v1", "network"],
      ["evt_v1", "network"],
      ["evt_v1", "network"],
    ]);
    expect(down.map((attempt) => Date.parse(attempt.at) - started)).toEqual([
      0,
      retryDelaysMs[1],
      (retryDelaysMs[1] as number) + (retryDelaysMs[2] as number),
    ]);

    receiver = await startReceiver(undefined, port);
    for (let pass = 0; pass < 3; pass++) await run();

    const sent = receiver.received.map((request: Received) => JSON.parse(request.body) as LifecycleEvent);
    expect(sent.map((event) => event.data.version)).toEqual([1, 2, 3]);
    expect(await store.pending()).toEqual([]);
    expect((await store.getDelivery("ep-1", "evt_v1"))?.status).toBe("delivered");
    expect((await store.getEndpoint("ep-1"))?.failures).toEqual({ consecutive: 0 });
  });

  it("starts no attempt it could not finish before the function's timeout", async () => {
    receiver = await startReceiver();
    const endpoint = newWebhookEndpoint({ id: "ep-1", url: receiver.url, now: clock });
    await store.putEndpoint(endpoint);
    await queue(endpoint, [eventFor(1)]);

    const report = await run({ getRemainingTimeInMillis: () => 10_000 });

    expect(report).toMatchObject({ attempted: 0, stopped: true });
    expect(receiver.received).toHaveLength(0);
    expect(await run({ getRemainingTimeInMillis: () => 60_000 })).toMatchObject({
      delivered: 1,
      stopped: false,
    });
  });
});
