import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type AdminRuntime, createAdminApp, createAdminRuntime } from "@cognito-lifecycle/admin";
import { auditItem, DynamoUserStore } from "@cognito-lifecycle/aws";
import { dispatchDueDeliveries } from "@cognito-lifecycle/aws/webhooks";
import { type LifecycleEvent, lifecycleEventsFor } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import { startReceiver } from "../events/support/receiver.ts";
import { auditEntry, userRecord } from "../events/support/records.ts";
import { dynamoEndpoint, freshStore } from "../support/aws.ts";
import { cliAgainst } from "../support/cli.ts";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const adminSub = "admin-sub";
let tableName: string;
let db: DynamoDBDocumentClient;
let runtime: AdminRuntime;
let receiver: Receiver;

const stackDir = mkdtempSync(join(tmpdir(), "webhooks-cli-"));
const stackFile = join(stackDir, "stack.json");

/** The real runtime over DynamoDB Local; only token verification and Cognito are stand-ins. */
beforeAll(async () => {
  const fresh = await freshStore();
  tableName = fresh.tableName;
  db = fresh.db;
  const settings = {
    config,
    region: localRegion,
    tableName,
    userPoolId: "us-east-1_local",
    clientId: "client",
    endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9" },
    credentials: localCredentials,
    allowLocalWebhooks: true,
  };
  runtime = createAdminRuntime(settings);
  runtime.verifier = {
    verify: async () => ({ sub: adminSub, roles: [], permissions: [] }),
  } as unknown as AdminRuntime["verifier"];
  const store = new DynamoUserStore(fresh.db, tableName);
  await store.create(userRecord({ sub: adminSub, username: adminSub, roles: ["admin"] }));
  writeFileSync(
    stackFile,
    JSON.stringify({
      region: localRegion,
      userPoolId: "us-east-1_local",
      clientId: "client",
      tableName,
      endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9" },
    }),
  );
});
afterAll(() => {
  runtime?.close();
  rmSync(stackDir, { recursive: true, force: true });
});
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.stop());

// biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read field by field in the assertions
type Answer = Record<string, any>;

const app = () => createAdminApp(runtime);
async function api(method: string, path: string, body?: unknown) {
  const response = await app().request(`/webhooks${path}`, {
    method,
    headers: { authorization: "Bearer token", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function addEndpoint(eventTypes?: string[]) {
  const added = await api("POST", "", { url: receiver.url, ...(eventTypes ? { eventTypes } : {}) });
  expect(added.status).toBe(201);
  return added.body as { endpoint: { id: string }; secret: string };
}

describe("/webhooks in the admin API", () => {
  it("adds an endpoint, shows its secret once, and never again", async () => {
    const { endpoint, secret } = await addEndpoint(["user.deleted", "user.created"]);
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: receiver.url, eventTypes: ["user.created", "user.deleted"] });
    const shown = await api("GET", `/${endpoint.id}`);
    const listed = await api("GET", "");
    for (const body of [shown.body, listed.body]) expect(JSON.stringify(body)).not.toContain(secret);
    expect(shown.body.endpoint.secrets).toEqual([{ createdAt: expect.any(String) }]);
    const audit = await runtime.directory.listAudit({ action: "webhook.added" });
    expect(audit.items.find((entry) => entry.sub === `webhook:${endpoint.id}`)).toMatchObject({
      actor: adminSub,
      details: { host: new URL(receiver.url).host },
    });
  });

  it("refuses http, private addresses and bad event types with a clear 400", async () => {
    const cases: [unknown, RegExp][] = [
      [{ url: "http://example.com/hooks" }, /must use https/],
      [{ url: "https://10.0.0.1/hooks" }, /private or reserved/],
      [{ url: "https://169.254.169.254/latest" }, /private or reserved/],
      [{ url: "https://user:pw@example.com/" }, /user name or password/],
      [{ url: "https://example.com/", eventTypes: ["user.exploded"] }, /./],
    ];
    for (const [body, message] of cases) {
      const answer = await api("POST", "", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(answer.body), JSON.stringify(body)).toMatch(message);
    }
  });

  it("needs webhooks:manage: an admin whose role lacks it is refused", async () => {
    const withoutManage = {
      ...config,
      roles: { ...config.roles, admin: { description: "", permissions: ["users:read"] } },
    };
    const limited = createAdminApp({ ...runtime, config: withoutManage } as AdminRuntime);
    const response = await limited.request("/webhooks", { headers: { authorization: "Bearer token" } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden" });
  });

  it("sends a signed test event, logs the attempt, rotates with both secrets valid, disables and enables", async () => {
    const { endpoint, secret } = await addEndpoint();
    const tested = await api("POST", `/${endpoint.id}/test`);
    expect(tested.body.attempt).toMatchObject({ outcome: "response", status: 204, attempt: 1 });
    const [request] = receiver.received;
    const verified = new Webhook(secret).verify(
      request?.body as string,
      request?.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });

    const rotated = await api("POST", `/${endpoint.id}/rotate`, { overlapHours: 1 });
    expect(rotated.body.secret).not.toBe(secret);
    await api("POST", `/${endpoint.id}/test`);
    const second = receiver.received[1];
    for (const key of [secret, rotated.body.secret as string]) {
      expect(
        new Webhook(key).verify(second?.body as string, second?.headers as Record<string, string>),
      ).toBeTruthy();
    }
    const attempts = await api("GET", `/${endpoint.id}/attempts`);
    expect(attempts.body.items).toHaveLength(2);
    expect(JSON.stringify(attempts.body)).not.toContain("whsec_");

    expect(
      (await api("POST", `/${endpoint.id}/disable`, { reason: "maintenance" })).body.endpoint.disabled,
    ).toMatchObject({
      reason: "disabled by an admin: maintenance",
    });
    expect((await api("POST", `/${endpoint.id}/enable`)).body.endpoint.disabled).toBeUndefined();
    expect(
      (await api("PATCH", `/${endpoint.id}`, { eventTypes: ["user.deleted"] })).body.endpoint.eventTypes,
    ).toEqual(["user.deleted"]);
    expect((await api("GET", "/wh_missing")).status).toBe(404);
  });

  it("replays one event (its stored delivery) and a time range (from the audit items' events)", async () => {
    const { endpoint } = await addEndpoint();
    // Audit items as the outbox writes them (auditItem computes their lifecycle events).
    const events: LifecycleEvent[] = [];
    for (const [version, at] of [
      [1, "2031-01-01T00:00:00.000Z"],
      [2, "2031-01-01T01:00:00.000Z"],
      [3, "2031-01-02T00:00:00.000Z"],
    ] as const) {
      const audit = auditEntry({ sub: "replayed", id: `r${version}`, at });
      const before = userRecord({ sub: "replayed", version: version - 1 });
      const after = { ...before, name: `n${version}`, version };
      const change = version === 1 ? { audit, after } : { audit, before, after };
      events.push(...lifecycleEventsFor(change));
      await db.send(new PutCommand({ TableName: tableName, Item: auditItem(change, 100_000) }));
    }
    const now = () => new Date("2031-01-03T00:00:00.000Z");
    const dispatch = () =>
      dispatchDueDeliveries({ store: runtime.webhooks.store, now, delivery: { allowLocalHttp: true } });

    const range = await api("POST", `/${endpoint.id}/replay`, {
      from: "2031-01-01T00:00:00Z",
      to: "2031-01-01T23:59:59Z",
    });
    expect(range.body).toMatchObject({ queued: 2, filtered: 0, alreadyPending: 0, truncated: false });
    for (let pass = 0; pass < 2; pass++) await dispatch();
    expect(receiver.received.map((request) => JSON.parse(request.body).id)).toEqual(["evt_r1", "evt_r2"]);

    const one = await api("POST", `/${endpoint.id}/replay`, { eventId: "evt_r2" });
    expect(one.body).toMatchObject({ queued: 1 });
    await dispatch();
    expect(receiver.received.map((request) => JSON.parse(request.body).id)).toEqual([
      "evt_r1",
      "evt_r2",
      "evt_r2",
    ]);
    expect(receiver.received[2]?.body).toBe(receiver.received[1]?.body);

    expect((await api("POST", `/${endpoint.id}/replay`, { eventId: "evt_never" })).status).toBe(404);
    const audit = await runtime.directory.listAudit({ action: "webhook.replayed" });
    expect(audit.items.filter((entry) => entry.sub === `webhook:${endpoint.id}`)).toHaveLength(2);
  });
});

describe("webhooks in the CLI", () => {
  const run = (...args: string[]) =>
    cliAgainst(stackFile, { LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP: "true" })(...args);

  it("webhooks add --json answers { id, secret, ... } once; list, filter, test, attempts, rotate, disable", async () => {
    const added = await run(
      "webhooks",
      "add",
      receiver.url,
      "--events",
      "user.created,user.deleted",
      "--json",
    );
    expect(added.code, added.stderr).toBe(0);
    const body = JSON.parse(added.stdout);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^wh_/),
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(body.eventTypes).toEqual(["user.created", "user.deleted"]);

    const list = await run("webhooks", "list");
    expect(list.stdout).toContain(body.id);
    expect(list.stdout).not.toContain(body.secret);
    expect((await run("webhooks", "filter", body.id, "--events", "user.deleted")).stdout).toContain(
      "user.deleted",
    );
    expect((await run("webhooks", "test", body.id)).stdout).toMatch(/response\s+204/);
    expect(JSON.parse((await run("webhooks", "attempts", body.id, "--json")).stdout).items).toHaveLength(1);
    const rotated = JSON.parse((await run("webhooks", "rotate", body.id, "--json")).stdout);
    expect(rotated.secret).not.toBe(body.secret);
    expect((await run("webhooks", "disable", body.id)).stdout).toContain("is disabled");
    expect((await run("webhooks", "enable", body.id)).stdout).toContain("is enabled");
  });

  it("refuses bad input with a usage error", async () => {
    const bad = await run("webhooks", "add", "http://example.com/x");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/https/);
    const events = await run("webhooks", "add", "https://example.com/x", "--events", "user.nope");
    expect(events.code).toBe(2);
    expect((await run("webhooks", "replay", "wh_x")).code).toBe(2);
  });
});
