import { createHmac, timingSafeEqual } from "node:crypto";
import {
  type DispatcherDependencies,
  deliverWebhook,
  dispatchDueDeliveries,
  enableWebhookEndpoint,
  fanOutEvent,
  newWebhookEndpoint,
  type Resolver,
  retryDelaysMs,
  rotateWebhookSecret,
  type WebhookEndpoint,
  type WebhookStore,
} from "@cognito-lifecycle/aws/webhooks";
import { type LifecycleEvent, lifecycleEventsFor, type UserRecord } from "@cognito-lifecycle/core";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ok, type Received, startReceiver } from "./support/receiver.ts";
import { auditEntry, userRecord } from "./support/records.ts";
import { newStore, storeKinds } from "./support/stores.ts";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let receiver: Receiver;
let store: WebhookStore;
let clock: Date;

const local = { allowLocalHttp: true, timeoutMs: 2_000 };
const deps = (overrides: Partial<DispatcherDependencies> = {}): DispatcherDependencies => ({
  store,
  now: () => clock,
  random: () => 0.5,
  delivery: local,
  ...overrides,
});

async function addEndpoint(overrides: Partial<WebhookEndpoint> = {}): Promise<WebhookEndpoint> {
  const endpoint = { ...newWebhookEndpoint({ id: "ep-1", url: receiver.url, now: clock }), ...overrides };
  await store.putEndpoint(endpoint);
  return endpoint;
}

function eventFor(version: number, patch: Partial<UserRecord> = {}, sub = "sub-1"): LifecycleEvent {
  const before = userRecord({ sub, version: version - 1 });
  const audit = auditEntry({ sub, id: `${sub}-v${version}`, at: `2030-01-01T00:00:0${version}.000Z` });
  const after = { ...before, ...patch, version };
  const [event] = lifecycleEventsFor(version === 1 ? { audit, after } : { audit, before, after });
  return event as LifecycleEvent;
}

function advance(ms: number) {
  clock = new Date(clock.getTime() + ms);
}

/** Runs passes, moving the clock to the next retry when a pass had nothing due, until nothing is pending. */
async function drain(limit = 40) {
  for (let pass = 0; pass < limit; pass++) {
    const report = await dispatchDueDeliveries(deps());
    const pending = await store.pending();
    if (pending.length === 0) return;
    if (report.attempted > 0) continue;
    const later = pending
      .map((delivery) => Date.parse(delivery.nextAttemptAt))
      .filter((at) => at > clock.getTime());
    if (later.length === 0) return;
    clock = new Date(Math.min(...later));
  }
}

const headers = (request: Received) => request.headers as Record<string, string>;

// The same tests prove the memory store and the DynamoDB store (on DynamoDB Local).
describe.each(storeKinds)("with the %s store", (kind) => {
  beforeEach(async () => {
    receiver = await startReceiver();
    clock = new Date("2030-01-01T00:00:00.000Z");
    store = await newStore(kind, () => clock);
  });
  afterEach(() => receiver.stop());

  describe("signed webhook delivery to a real receiver", () => {
    it("signs so that standardwebhooks and a hand-rolled HMAC both verify the exact bytes", async () => {
      clock = new Date(); // standardwebhooks checks the timestamp against the real clock
      const endpoint = await addEndpoint();
      const event = eventFor(1);
      await fanOutEvent(store, event, clock);
      const report = await dispatchDueDeliveries(deps());

      expect(report).toMatchObject({ attempted: 1, delivered: 1 });
      const [request] = receiver.received as [Received];
      const secret = endpoint.secrets[0]?.secret as string;
      expect(new Webhook(secret).verify(request.body, headers(request))).toEqual(event);

      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const signed = `${request.headers["webhook-id"]}.${request.headers["webhook-timestamp"]}.${request.body}`;
      const expected = createHmac("sha256", key).update(signed).digest();
      const [version, signature] = String(request.headers["webhook-signature"]).split(",");
      expect(version).toBe("v1");
      expect(timingSafeEqual(Buffer.from(signature as string, "base64"), expected)).toBe(true);
      expect(request.headers["webhook-id"]).toBe(event.id);
      expect(request.headers["content-type"]).toBe("application/json");
    });

    it("refuses a body changed in transit", async () => {
      clock = new Date();
      const endpoint = await addEndpoint();
      await fanOutEvent(store, eventFor(1), clock);
      await dispatchDueDeliveries(deps());
      const [request] = receiver.received as [Received];
      const tampered = request.body.replace('"member"', '"admin"');
      expect(() =>
        new Webhook(endpoint.secrets[0]?.secret as string).verify(tampered, headers(request)),
      ).toThrow(/No matching signature/);
    });

    it("signs with the old and the new secret during a rotation, then with the new one only", async () => {
      clock = new Date();
      const original = await addEndpoint();
      const rotated = rotateWebhookSecret(original, clock, { overlapMs: 60_000 });
      await store.putEndpoint(rotated, original.version);
      const [oldSecret, newSecret] = rotated.secrets.map((entry) => entry.secret) as [string, string];

      await fanOutEvent(store, eventFor(1), clock);
      await dispatchDueDeliveries(deps());
      advance(60_001);
      await fanOutEvent(store, eventFor(2, { name: "Jane Roe" }), clock);
      await dispatchDueDeliveries(deps());

      const [during, after] = receiver.received as [Received, Received];
      const verify = (request: Received, secret: string) =>
        new Webhook(secret).verify(request.body, headers(request));
      expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(verify(during, oldSecret)).toMatchObject({ type: "user.created" });
      expect(verify(during, newSecret)).toMatchObject({ type: "user.created" });
      expect(() => verify(after, oldSecret)).toThrow(/No matching signature/);
      expect(verify(after, newSecret)).toMatchObject({ type: "user.updated" });
    });

    it("sends only the event types an endpoint asked for", async () => {
      await addEndpoint({ eventTypes: ["user.deleted"] });
      expect(await fanOutEvent(store, eventFor(1), clock)).toBe(0);
      expect(await fanOutEvent(store, eventFor(2, { status: "deleted" }), clock)).toBe(1);
    });

    it("queues an event once however often the stream hands it over", async () => {
      await addEndpoint();
      const event = eventFor(1);
      expect(await fanOutEvent(store, event, clock)).toBe(1);
      expect(await fanOutEvent(store, event, clock)).toBe(0);
    });
  });

  describe("retries", () => {
    it("retries a 500 on the schedule and delivers once the receiver recovers", async () => {
      await addEndpoint();
      receiver.answer((index, _, response) => response.writeHead(index < 3 ? 500 : 200).end("busy"));
      await fanOutEvent(store, eventFor(1), clock);
      const started = clock.getTime();

      await drain();

      const log = await store.attempts("ep-1");
      expect(log.map((attempt) => attempt.status)).toEqual([500, 500, 500, 200]);
      expect(log.map((attempt) => Date.parse(attempt.at) - started)).toEqual([
        0,
        retryDelaysMs[1],
        (retryDelaysMs[1] as number) + (retryDelaysMs[2] as number),
        (retryDelaysMs[1] as number) + (retryDelaysMs[2] as number) + (retryDelaysMs[3] as number),
      ]);
      expect(log[0]).toMatchObject({ outcome: "response", excerpt: "busy" });
      expect((await store.getDelivery("ep-1", "evt_sub-1-v1"))?.status).toBe("delivered");
      expect((await store.getEndpoint("ep-1"))?.failures).toEqual({ consecutive: 0 });
    });

    it("honours Retry-After when it asks for longer than the schedule", async () => {
      await addEndpoint();
      receiver.answer((index, _, response) =>
        index === 0 ? response.writeHead(429, { "retry-after": "120" }).end() : response.writeHead(200).end(),
      );
      await fanOutEvent(store, eventFor(1), clock);
      await dispatchDueDeliveries(deps());
      expect((await store.getDelivery("ep-1", "evt_sub-1-v1"))?.nextAttemptAt).toBe(
        "2030-01-01T00:02:00.000Z",
      );
    });

    it("times out a receiver that never answers, and retries it", async () => {
      await addEndpoint();
      receiver.answer(() => {}); // holds the connection open
      await fanOutEvent(store, eventFor(1), clock);
      await dispatchDueDeliveries(deps({ delivery: { ...local, timeoutMs: 200 } }));
      const [attempt] = await store.attempts("ep-1");
      expect(attempt).toMatchObject({ outcome: "timeout", attempt: 1 });
      expect(await store.getDelivery("ep-1", "evt_sub-1-v1")).toMatchObject({
        status: "pending",
        attempts: 1,
      });
    });

    it("keeps only a short excerpt of a large response", async () => {
      await addEndpoint();
      receiver.answer((_, __, response) => response.writeHead(500).end("x".repeat(100_000)));
      await fanOutEvent(store, eventFor(1), clock);
      await dispatchDueDeliveries(deps());
      const [attempt] = await store.attempts("ep-1");
      expect(attempt?.excerpt).toHaveLength(512);
    });

    it("gives a delivery up after the last attempt of the schedule", async () => {
      await addEndpoint();
      receiver.answer((_, __, response) => response.writeHead(503).end());
      await fanOutEvent(store, eventFor(1), clock);
      await drain();
      expect(await store.attempts("ep-1")).toHaveLength(retryDelaysMs.length);
      expect((await store.getDelivery("ep-1", "evt_sub-1-v1"))?.status).toBe("failed");
    });
  });

  describe("endpoint health", () => {
    it("disables an endpoint that answers 410 Gone, keeping its deliveries for later", async () => {
      await addEndpoint();
      receiver.answer((_, __, response) => response.writeHead(410).end());
      await fanOutEvent(store, eventFor(1), clock);
      await fanOutEvent(store, eventFor(1, {}, "sub-2"), clock);

      const report = await dispatchDueDeliveries(deps());

      expect(report.disabledEndpoints).toEqual(["ep-1"]);
      expect(receiver.received).toHaveLength(1);
      const endpoint = (await store.getEndpoint("ep-1")) as WebhookEndpoint;
      expect(endpoint.disabled?.reason).toMatch(/410/);
      expect(await fanOutEvent(store, eventFor(2, { name: "x" }), clock)).toBe(0);

      receiver.answer(ok);
      await store.putEndpoint(enableWebhookEndpoint(endpoint, clock), endpoint.version);
      await drain();
      expect(receiver.received).toHaveLength(3);
      expect(await store.pending()).toEqual([]);
    });

    it("disables an endpoint after failing every attempt for three days", async () => {
      await addEndpoint();
      receiver.answer((_, __, response) => response.writeHead(500).end());
      await fanOutEvent(store, eventFor(1), clock);
      await drain();
      const endpoint = await store.getEndpoint("ep-1");
      expect(endpoint?.failures.consecutive).toBe(retryDelaysMs.length);
      expect(endpoint?.disabled?.reason).toMatch(/10 failed attempts in a row/);
    });

    it("does not disable an endpoint for a few failures", async () => {
      await addEndpoint();
      receiver.answer((index, _, response) => response.writeHead(index < 5 ? 502 : 200).end());
      await fanOutEvent(store, eventFor(1), clock);
      await drain();
      expect((await store.getEndpoint("ep-1"))?.disabled).toBeUndefined();
    });
  });

  describe("order per user", () => {
    it("delivers each user's events in version order, a later one never overtaking a retried one", async () => {
      await addEndpoint();
      // The first delivery of sub-1 (v1) fails twice; v2 and v3 must wait for it. sub-2 is unaffected.
      let sub1Failures = 0;
      receiver.answer((_, request, response) => {
        const fail =
          request.body.includes('"sub":"sub-1"') &&
          request.body.includes('"version":1,') &&
          sub1Failures++ < 2;
        response.writeHead(fail ? 500 : 200).end();
      });
      for (const event of [
        eventFor(3, { name: "c" }),
        eventFor(1),
        eventFor(2, { name: "b" }),
        eventFor(1, {}, "sub-2"),
      ]) {
        await fanOutEvent(store, event, clock);
      }

      await drain();

      const sent = receiver.received.map((request) => JSON.parse(request.body) as LifecycleEvent);
      const sub1 = sent.filter((event) => event.data.sub === "sub-1").map((event) => event.data.version);
      expect(sub1).toEqual([1, 1, 1, 2, 3]);
      // sub-2 went in the first pass, while sub-1's first event was still being retried.
      expect(sent.slice(0, 2).map((event) => event.data.sub)).toContain("sub-2");
      expect(await store.pending()).toEqual([]);
    });
  });

  describe("delivery refuses private addresses at connect time", () => {
    it("refuses a host name that resolves to a private address when the request is made", async () => {
      const resolve: Resolver = async () => [{ address: "10.0.0.7", family: 4 }];
      const outcome = await deliverWebhook(
        { url: "https://rebinding.example.com/in", headers: {}, body: "{}" },
        { resolve, timeoutMs: 2_000 },
      );
      expect(outcome).toMatchObject({ kind: "refused" });
      expect((outcome as { error: string }).error).toMatch(/private or reserved/);
    });

    it("refuses plain http to 127.0.0.1 without the local flag", async () => {
      const outcome = await deliverWebhook({ url: receiver.url, headers: {}, body: "{}" });
      expect(outcome.kind).toBe("refused");
      expect(receiver.received).toHaveLength(0);
    });
  });
});
