import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  eventBridgeEvents,
  freePort,
  type LocalEventBridge,
  localAccount,
  localCredentials,
  localRegion,
  type ScheduledRun,
  startLocalEventBridge,
  startScheduler,
  startWebhookInbox,
  type WebhookInbox,
} from "@cognito-lifecycle/local";
import type { ScheduledEvent } from "aws-lambda";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe("the local EventBridge sink", () => {
  let sink: LocalEventBridge;
  let client: EventBridgeClient;
  beforeAll(async () => {
    sink = await startLocalEventBridge({ port: await freePort() });
    client = new EventBridgeClient({
      endpoint: sink.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
  });
  afterAll(async () => {
    client.destroy();
    await sink.stop();
  });

  it("answers the SDK's PutEvents like AWS and records each entry", async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: `arn:aws:events:${localRegion}:${localAccount}:event-bus/lifecycle`,
            Source: "cognito-lifecycle",
            DetailType: "user.created",
            Detail: JSON.stringify({ id: "evt_1", type: "user.created" }),
          },
          {
            EventBusName: "lifecycle",
            Source: "cognito-lifecycle",
            DetailType: "user.deleted",
            Detail: "not json",
          },
          { Source: "aws.cognito", DetailType: "x", Detail: "{}" },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.Entries?.[1]).toEqual({
      ErrorCode: "MalformedDetail",
      ErrorMessage: "Detail is malformed.",
    });
    expect(answer.Entries?.[2]?.ErrorCode).toBe("NotAuthorizedForSourceException");

    const events = await eventBridgeEvents(sink.endpoint);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventId: answer.Entries?.[0]?.EventId,
      eventBusName: "lifecycle",
      source: "cognito-lifecycle",
      detailType: "user.created",
      detail: { id: "evt_1", type: "user.created" },
    });
    const page = await (await fetch(sink.endpoint)).text();
    expect(page).toContain("user.created");
  });

  it("refuses a request of more than ten entries as a ValidationException", async () => {
    const entry = { Source: "cognito-lifecycle", DetailType: "user.created", Detail: "{}" };
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("reports a missing field per entry", async () => {
    const answer = await client.send(
      new PutEventsCommand({ Entries: [{ Source: "cognito-lifecycle", DetailType: "user.created" }] }),
    );
    expect(answer).toMatchObject({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InvalidArgument", ErrorMessage: expect.stringContaining("Detail") }],
    });
  });
});

describe("the webhook inbox", () => {
  let inbox: WebhookInbox;
  const secret = `whsec_${Buffer.from("a-local-test-secret-of-32-bytes!").toString("base64")}`;
  const signer = new Webhook(secret);
  const post = (name: string, id: string, payload: object, signWith: Webhook = signer) => {
    const body = JSON.stringify(payload);
    const timestamp = new Date();
    return fetch(`${inbox.endpoint}/hooks/${name}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signWith.sign(id, timestamp, body),
      },
      body,
    });
  };
  beforeAll(async () => {
    inbox = await startWebhookInbox({ port: await freePort() });
  });
  afterAll(() => inbox.stop());

  it("stores deliveries, unverified without a secret", async () => {
    expect((await post("plain", "evt_a", { type: "user.created" })).status).toBe(204);
    const answer = await fetch(`${inbox.endpoint}/deliveries?endpoint=plain`);
    const { deliveries } = (await answer.json()) as { deliveries: unknown[] };
    expect(deliveries).toEqual([
      expect.objectContaining({
        endpoint: "plain",
        webhookId: "evt_a",
        verified: null,
        status: 204,
        payload: { type: "user.created" },
      }),
    ]);
  });

  it("verifies Standard Webhooks signatures once told the secret, and refuses a bad one with 401", async () => {
    const told = await fetch(`${inbox.endpoint}/endpoints/dev`, {
      method: "PUT",
      body: JSON.stringify({ secret }),
    });
    expect(await told.json()).toEqual({ endpoint: "dev", secret: "set" });
    expect((await post("dev", "evt_b", { type: "user.updated" })).status).toBe(204);
    const forger = new Webhook(`whsec_${Buffer.from("another-secret-another-secret-32").toString("base64")}`);
    expect((await post("dev", "evt_c", { type: "user.deleted" }, forger)).status).toBe(401);
    const dev = inbox.deliveries.filter((delivery) => delivery.endpoint === "dev");
    expect(dev.map((delivery) => [delivery.webhookId, delivery.verified, delivery.status])).toEqual([
      ["evt_b", true, 204],
      ["evt_c", false, 401],
    ]);
    expect(await (await fetch(inbox.endpoint)).text()).toContain("invalid");
  });

  it("fails on purpose for a fault drill, then recovers", async () => {
    await fetch(`${inbox.endpoint}/endpoints/flaky`, {
      method: "PUT",
      body: JSON.stringify({ failStatus: 500, failTimes: 2 }),
    });
    const statuses: number[] = [];
    for (const id of ["evt_1", "evt_1", "evt_1"]) statuses.push((await post("flaky", id, { n: 1 })).status);
    expect(statuses).toEqual([500, 500, 204]);
  });

  it("refuses settings it cannot apply", async () => {
    const bad = await fetch(`${inbox.endpoint}/endpoints/dev`, {
      method: "PUT",
      body: JSON.stringify({ secret: "not-a-whsec" }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("the local scheduler", () => {
  it("runs a function on its interval with a Scheduled Event, never overlapping, and stops", async () => {
    const events: ScheduledEvent[] = [];
    const runs: ScheduledRun[] = [];
    let active = 0;
    let overlapped = false;
    const scheduler = await startScheduler({
      region: localRegion,
      account: localAccount,
      onRun: (run) => runs.push(run),
      functions: [
        {
          functionName: "WebhookDispatch",
          everyMs: 10,
          handler: async (event) => {
            active += 1;
            overlapped ||= active > 1;
            events.push(event);
            await new Promise((resolve) => setTimeout(resolve, 30));
            active -= 1;
            if (events.length === 2) throw new Error("endpoint store unavailable");
          },
        },
      ],
    });
    await eventually(() => runs.length >= 3, "three runs");
    await scheduler.stop();
    const after = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs.length).toBe(after);
    expect(overlapped).toBe(false);
    expect(runs[1]).toMatchObject({ outcome: "error", errorMessage: "endpoint store unavailable" });
    expect(runs[2]?.outcome).toBe("ok");
    expect(events[0]).toMatchObject({
      "detail-type": "Scheduled Event",
      source: "aws.events",
      region: localRegion,
      account: localAccount,
      detail: {},
    });
  });
});
