import { randomUUID } from "node:crypto";
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoClient } from "@cognito-lifecycle/aws";
import { DynamoWebhookStore, type WebhookAttempt, webhookUrlPolicy } from "@cognito-lifecycle/aws/webhooks";
import { type LifecycleEvent, lifecycleEventSource, parseLifecycleEvent } from "@cognito-lifecycle/core";
import {
  codeIn,
  eventBridgeEvents,
  freePort,
  type InboxDelivery,
  inboxFor,
  type ReceivedEvent,
  type StoredEmail,
} from "@cognito-lifecycle/local";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler as createDispatcher } from "../../functions/webhook-dispatch.ts";
import { type AdminStack, startAdminStack, type Tokens } from "../admin/stack-support.ts";
import { type Received, startReceiver } from "../events/support/receiver.ts";

/**
 * Lifecycle events end to end through the local stack: cognito-local and the triggers, the admin
 * API, the table's stream, the real events function, the EventBridge sink, and the real webhook
 * dispatcher run by the local scheduler. The dispatcher's clock is the test's, so a retry due in
 * hours is due as soon as the test moves the clock on: no real waiting for the schedule.
 */
const hour = 3_600_000;
let offsetMs = 0;
let dispatchTimeoutMs: number | undefined;
const now = () => new Date(Date.now() + offsetMs);

let s: AdminStack;
let admin: Tokens;
let db: DynamoDBDocumentClient;
let webhooks: DynamoWebhookStore;
const password = "Passw0rd!events-e2e";
// The summary allowlist of docs/events.md: nothing else may appear in an event's record.
const summaryFields = [
  "sub",
  "username",
  "email",
  "emailVerified",
  "name",
  "locale",
  "status",
  "roles",
  "groups",
  "source",
  "identities",
  "createdAt",
  "confirmedAt",
  "lastSignInAt",
  "updatedAt",
  "version",
];

beforeAll(async () => {
  s = await startAdminStack({
    schedules: [
      {
        functionName: "WebhookDispatch",
        everyMs: 100,
        handler: createDispatcher(() => {
          db ??= dynamoClient({ requestMs: 5_000, maxAttempts: 3 });
          return {
            db,
            tableName: s.stack.info.tableName,
            now,
            delivery: {
              ...webhookUrlPolicy(),
              ...(dispatchTimeoutMs ? { timeoutMs: dispatchTimeoutMs } : {}),
            },
          };
        }),
      },
    ],
  });
  admin = await s.signIn(s.stack.info.admin.email, s.stack.info.admin.password);
  db ??= dynamoClient({ requestMs: 5_000, maxAttempts: 3 });
  webhooks = new DynamoWebhookStore(db, s.stack.info.tableName, now);
}, 180_000);

afterAll(async () => {
  await s?.stop();
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(check: () => Promise<T | undefined>, what: string, step = 100): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(step);
  }
  throw new Error(`never happened: ${what}`);
}

const api = (method: string, path: string, body?: unknown) =>
  s.api(method, path, { token: admin.idToken, ...(body === undefined ? {} : { body }) });

async function addEndpoint(url: string): Promise<{ id: string; secret: string }> {
  const added = await api("POST", "/webhooks", { url });
  expect(added.status).toBe(201);
  return { id: (added.body.endpoint as { id: string }).id, secret: added.body.secret as string };
}

/** What the EventBridge sink received for `sub`, once it holds `count` events. */
function busEvents(sub: string, count: number): Promise<ReceivedEvent[]> {
  return eventually(async () => {
    const events = (await eventBridgeEvents(s.stack.info.endpoints.eventbridge)).filter(
      (event) => (event.detail as LifecycleEvent).data.sub === sub,
    );
    return events.length >= count ? events : undefined;
  }, `${count} events of ${sub} on the bus`);
}

const sortedByVersion = (events: ReceivedEvent[]) =>
  events.map((event) => event.detail as LifecycleEvent).sort((a, b) => a.data.version - b.data.version);

/** A user through cognito-local: sign-up, then the emailed code, as a person does it. */
async function signedUpUser(label: string): Promise<{ sub: string; email: string; code: string }> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const { UserSub } = await s.cognito.send(
    new SignUpCommand({
      ClientId: s.stack.info.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "name", Value: "Eve Events" }],
    }),
  );
  const code = codeIn((await inboxFor(s.stack.info.endpoints.ses, email)).at(-1) as StoredEmail);
  if (!UserSub || !code) throw new Error("sign-up gave no sub or code");
  return { sub: UserSub, email, code };
}

/** A role change, a disable and an enable through the admin API: versions 2, 3, 4. */
async function changeThrice(sub: string): Promise<void> {
  expect(
    (
      await api("PATCH", `/users/${sub}/roles`, {
        roles: ["member", "support"],
        expectedVersion: 1,
        reason: "e2e",
      })
    ).status,
  ).toBe(200);
  expect((await api("POST", `/users/${sub}/disable`, { reason: "e2e" })).status).toBe(200);
  expect((await api("POST", `/users/${sub}/enable`)).status).toBe(200);
}

/**
 * Waits until every one of `eventIds` is delivered to the endpoint; with `fastForward`, moves the
 * dispatcher's clock on an hour at a time meanwhile (each retry wait is then over). Without it
 * the signatures' timestamps stay true, so a receiver's 5-minute tolerance accepts them.
 */
async function settle(endpointId: string, eventIds: string[], fastForward = true): Promise<void> {
  await eventually(
    async () => {
      const deliveries = await Promise.all(eventIds.map((id) => webhooks.getDelivery(endpointId, id)));
      if (deliveries.every((delivery) => delivery?.status === "delivered")) return true;
      if (fastForward) offsetMs += hour;
      return undefined;
    },
    `every event delivered to ${endpointId}`,
    150,
  );
}

/** Waits, moving the clock on, until the endpoint has `count` failed attempts logged. */
async function failedAttempts(endpointId: string, count: number): Promise<WebhookAttempt[]> {
  return eventually(
    async () => {
      const failed = (await webhooks.attempts(endpointId)).filter(
        (attempt) => attempt.outcome !== "response" || (attempt.status ?? 0) >= 300,
      );
      if (failed.length >= count) return failed;
      offsetMs += hour;
      return undefined;
    },
    `${count} failed attempts at ${endpointId}`,
    150,
  );
}

const versionsOf = (payloads: unknown[]) =>
  payloads.map((payload) => (payload as LifecycleEvent).data.version);
const ascending = (versions: number[]) =>
  versions.every((version, index) => index === 0 || (versions[index - 1] as number) <= version);

/** What the stack's webhook inbox received at `/hooks/<endpoint>` for `sub`, oldest first. */
async function inboxDeliveries(endpoint: string, sub: string): Promise<InboxDelivery[]> {
  const answer = await fetch(`${s.stack.info.endpoints.webhookInbox}/deliveries?endpoint=${endpoint}`);
  const { deliveries } = (await answer.json()) as { deliveries: InboxDelivery[] };
  return deliveries.filter((delivery) => (delivery.payload as LifecycleEvent).data?.sub === sub);
}

async function configureInbox(endpoint: string, settings: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${s.stack.info.endpoints.webhookInbox}/endpoints/${endpoint}`, {
    method: "PUT",
    body: JSON.stringify(settings),
  });
  expect(answer.status).toBe(200);
}

describe("lifecycle events through the local stack", () => {
  it("sign-up, confirmation, a role change, disable, enable and delete: exactly the documented events, signed, on the bus", async () => {
    const { id: endpointId, secret } = await addEndpoint(`${s.stack.info.endpoints.webhookInbox}/hooks/e2e`);
    await configureInbox("e2e", { secret });

    const { sub, email, code } = await signedUpUser("e2e");
    await s.cognito.send(
      new ConfirmSignUpCommand({ ClientId: s.stack.info.clientId, Username: email, ConfirmationCode: code }),
    );
    const cognitoUser = await s.cognito.send(
      new AdminGetUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: email }),
    );
    const emailVerified =
      cognitoUser.UserAttributes?.find((attribute) => attribute.Name === "email_verified")?.Value === "true";
    await busEvents(sub, 1);
    await changeThrice(sub);
    expect((await api("DELETE", `/users/${sub}`, { reason: "e2e" })).status).toBe(200);

    // The bus: one entry per change, with the documented source and detail-type.
    const onBus = await busEvents(sub, 5);
    await sleep(500); // nothing more comes: sign-up itself (pre sign-up) writes no record
    expect(await busEvents(sub, 5)).toHaveLength(5);
    for (const entry of onBus) {
      expect(entry).toMatchObject({
        source: lifecycleEventSource,
        detailType: (entry.detail as LifecycleEvent).type,
        eventBusName: s.stack.info.handlerEnv.LIFECYCLE_EVENT_BUS_NAME,
      });
    }
    const events = sortedByVersion(onBus).map((event) => parseLifecycleEvent(event));
    expect(events.map((event) => [event.type, event.data.version])).toEqual([
      ["user.created", 1],
      ["user.roles_changed", 2],
      ["user.disabled", 3],
      ["user.enabled", 4],
      ["user.deleted", 5],
    ]);
    const [created, roles, disabled, enabled, deleted] = events as [
      LifecycleEvent,
      LifecycleEvent,
      LifecycleEvent,
      LifecycleEvent,
      LifecycleEvent,
    ];
    const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(created.data).toEqual({
      sub,
      version: 1,
      record: {
        sub,
        username: sub,
        email,
        emailVerified,
        name: "Eve Events",
        status: "active",
        roles: ["member"],
        groups: [],
        source: "sign-up",
        identities: [],
        createdAt: at,
        confirmedAt: at,
        updatedAt: at,
        version: 1,
      },
    });
    expect(roles.data).toMatchObject({
      changes: ["roles"],
      previous: { roles: ["member"] },
      record: { roles: ["member", "support"], version: 2 },
    });
    expect(disabled.data).toMatchObject({
      changes: ["status"],
      previous: { status: "active" },
      record: { status: "disabled" },
    });
    expect(enabled.data).toMatchObject({ previous: { status: "disabled" }, record: { status: "active" } });
    expect(deleted.data).toMatchObject({ previous: { status: "active" }, record: { status: "deleted" } });
    for (const event of events) {
      expect(Object.keys(event.data.record ?? {}).filter((key) => !summaryFields.includes(key))).toEqual([]);
      const text = JSON.stringify(event);
      expect(text).not.toContain(code);
      expect(text).not.toContain(password);
      expect(text).not.toMatch(/welcome|password|secret|token/i);
    }

    // The webhook: the same events, in version order, each once, signed (checked with standardwebhooks).
    expect(offsetMs).toBe(0);
    await settle(
      endpointId,
      events.map((event) => event.id),
      false,
    );
    const received = await inboxDeliveries("e2e", sub);
    expect(received.map((delivery) => delivery.webhookId)).toEqual(events.map((event) => event.id));
    const verifier = new Webhook(secret);
    for (const [index, delivery] of received.entries()) {
      const verified = verifier.verify(delivery.body, {
        "webhook-id": delivery.webhookId ?? "",
        "webhook-timestamp": delivery.webhookTimestamp ?? "",
        "webhook-signature": delivery.webhookSignature ?? "",
      });
      expect(verified).toEqual(events[index]);
      expect(delivery).toMatchObject({ verified: true, status: 204 });
    }
    const forged = new Webhook(`whsec_${Buffer.from("not-the-endpoint-secret-32-bytes").toString("base64")}`);
    const first = received[0] as InboxDelivery;
    expect(() =>
      forged.verify(first.body, {
        "webhook-id": first.webhookId ?? "",
        "webhook-timestamp": first.webhookTimestamp ?? "",
        "webhook-signature": first.webhookSignature ?? "",
      }),
    ).toThrow();
    // Later tests add their own endpoints; this one stops receiving.
    expect((await api("POST", `/webhooks/${endpointId}/disable`, { reason: "e2e done" })).status).toBe(200);
  });

  describe("faults at the endpoint: once it recovers every event arrives, in version order, nothing lost", () => {
    /** A confirmed user with four changes (created, roles, disabled, enabled): their bus event ids by version. */
    async function userWithHistory(label: string): Promise<{ sub: string; ids: string[] }> {
      const sub = await s.signUp(`${label}-${randomUUID().slice(0, 8)}@example.com`, password);
      await busEvents(sub, 1);
      await changeThrice(sub);
      return { sub, ids: sortedByVersion(await busEvents(sub, 4)).map((event) => event.id) };
    }

    it("answering 500 for a while", async () => {
      await configureInbox("flaky", { failStatus: 500, failTimes: 4 });
      const { id: endpointId } = await addEndpoint(`${s.stack.info.endpoints.webhookInbox}/hooks/flaky`);
      const { sub, ids } = await userWithHistory("flaky");
      await settle(endpointId, ids);

      const received = await inboxDeliveries("flaky", sub);
      expect(received.filter((delivery) => delivery.status === 500)).toHaveLength(4);
      // The earliest version is retried while later ones wait: nothing overtakes it.
      expect(ascending(versionsOf(received.map((delivery) => delivery.payload)))).toBe(true);
      const accepted = received.filter((delivery) => delivery.status === 204);
      expect(accepted.map((delivery) => delivery.webhookId)).toEqual(ids);
      // Only the first event was retried: it saw the four 500s, then one 204.
      expect(received.map((delivery) => delivery.webhookId)).toEqual([
        ids[0],
        ids[0],
        ids[0],
        ids[0],
        ...ids,
      ]);
      await api("POST", `/webhooks/${endpointId}/disable`, { reason: "drill done" });
    });

    it("slower than the delivery timeout", async () => {
      dispatchTimeoutMs = 300;
      await configureInbox("slow", { delayMs: 1_500 });
      const { id: endpointId } = await addEndpoint(`${s.stack.info.endpoints.webhookInbox}/hooks/slow`);
      try {
        const { sub, ids } = await userWithHistory("slow");
        const timedOut = await failedAttempts(endpointId, 2);
        expect(timedOut.every((attempt) => attempt.outcome === "timeout")).toBe(true);
        await configureInbox("slow", {});
        await settle(endpointId, ids);

        const attempts = await webhooks.attempts(endpointId);
        const received = await inboxDeliveries("slow", sub);
        expect(ascending(versionsOf(received.map((delivery) => delivery.payload)))).toBe(true);
        expect([...new Set(received.map((delivery) => delivery.webhookId))]).toEqual(ids);
        for (const id of ids) {
          const mine = attempts.filter((attempt) => attempt.eventId === id);
          // At least once: a timed-out attempt may have reached the receiver, and its retry
          // repeats the same webhook-id; never more copies than attempts, exactly one success.
          expect(received.filter((delivery) => delivery.webhookId === id).length).toBeLessThanOrEqual(
            mine.length,
          );
          expect(mine.filter((attempt) => attempt.outcome === "response")).toHaveLength(1);
        }
      } finally {
        dispatchTimeoutMs = undefined;
        await api("POST", `/webhooks/${endpointId}/disable`, { reason: "drill done" });
      }
    });

    it("down (connection refused) until it comes back", async () => {
      const port = await freePort();
      const { id: endpointId } = await addEndpoint(`http://127.0.0.1:${port}/hooks`);
      const { sub, ids } = await userWithHistory("down");
      const refused = await failedAttempts(endpointId, 3);
      expect(refused.every((attempt) => attempt.outcome === "network")).toBe(true);
      expect(new Set(refused.map((attempt) => attempt.eventId))).toEqual(new Set([ids[0]]));

      const receiver = await startReceiver(undefined, port);
      try {
        await settle(endpointId, ids);
        const received = receiver.received.map((entry: Received) => JSON.parse(entry.body) as LifecycleEvent);
        const mine = received.filter((event) => event.data.sub === sub);
        expect(mine.map((event) => event.id)).toEqual(ids);
        expect(versionsOf(mine)).toEqual([1, 2, 3, 4]);
      } finally {
        await receiver.stop();
        await api("POST", `/webhooks/${endpointId}/disable`, { reason: "drill done" });
      }
    });
  });
});
