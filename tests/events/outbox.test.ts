import { randomUUID } from "node:crypto";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type DynamoUserStore,
  EventBridgePublisher,
  itemKeys,
  outboxAttribute,
  outboxEvents,
  type RelayDependencies,
  runAs,
  UserRecords,
  userTable,
} from "@cognito-lifecycle/aws";
import { DynamoWebhookStore, newWebhookEndpoint } from "@cognito-lifecycle/aws/webhooks";
import { defineConfig, lifecycleEventSource, parseLifecycleEvent } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/events.ts";
import { emailsTo, freshStore, localMailer } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import { MemoryWebhookStore } from "./support/memory-store.ts";
import { auditItems as auditItemsOf, streamRecord as streamRecordOf } from "./support/stream.ts";

/**
 * The outbox (every audit item carries its change's events, written in the same transaction)
 * against DynamoDB Local, and the events function over stream batches built from those very
 * items, marshalled as DynamoDB Streams delivers them (NEW_IMAGE).
 */

const config = defineConfig({
  roles: { admin: { permissions: [] }, support: { permissions: [] }, member: { permissions: [] } },
});
checkIam(config);

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let tableName: string;
let records: UserRecords;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
  records = new UserRecords(store, config, { newId: randomUUID, now: () => new Date() });
});

async function createUser() {
  const sub = randomUUID();
  const { record } = await records.createIfMissing("post-confirmation", {
    sub,
    username: sub,
    attributes: { sub, email: `outbox-${sub.slice(0, 8)}@example.com`, email_verified: "true" },
    source: "sign-up",
    now: new Date().toISOString(),
    confirmed: true,
  });
  return record;
}

const auditItems = (sub: string) => auditItemsOf(db, tableName, sub);
const streamRecord = (item: Record<string, unknown>, eventName?: "INSERT" | "MODIFY" | "REMOVE") =>
  streamRecordOf(tableName, item, eventName);

const batchOf = (...Records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records });

describe("the outbox: the audit item carries the change's event, in the same transaction", () => {
  it("a setRoles writes an audit item whose event is user.roles_changed at the new version", async () => {
    const created = await createUser();
    await records.setRoles(created, ["admin", "member"], created.version, {
      actor: "admin-sub",
      action: "user.roles.set",
    });
    const [creation, roles] = await auditItems(created.sub);
    expect(outboxEvents(creation as Record<string, unknown>).map((event) => event.type)).toEqual([
      "user.created",
    ]);
    const [event] = outboxEvents(roles as Record<string, unknown>);
    expect(event).toMatchObject({
      id: `evt_${roles?.id}`,
      type: "user.roles_changed",
      source: lifecycleEventSource,
      data: { sub: created.sub, version: 2, changes: ["roles"], previous: { roles: ["member"] } },
    });
    expect(event?.data.record?.roles).toEqual(["admin", "member"]);
    // The event never carries the welcome email state, and the audit history never the outbox.
    expect(JSON.stringify(event)).not.toContain("welcomeEmail");
    const history = await store.auditHistory(created.sub);
    expect(history.items.every((entry) => !(outboxAttribute in entry))).toBe(true);
  });

  it("status changes yield their events; an audit entry that changed nothing yields none", async () => {
    const created = await createUser();
    await records.changeStatus(created, "disabled", { actor: "admin-sub", action: "user.disabled" });
    await records.note(created.sub, { actor: "admin-sub", action: "user.resynced" });
    const items = await auditItems(created.sub);
    expect(items.map((item) => outboxEvents(item).map((event) => event.type))).toEqual([
      ["user.created"],
      ["user.disabled"],
      [],
    ]);
    expect(items[2]?.[outboxAttribute]).toBeUndefined();
  });
});

describe("the events function", () => {
  let webhooks: MemoryWebhookStore;
  let bus: ReturnType<typeof mockClient>;
  let entries: PutEventsRequestEntry[];
  /** Entry indexes (over the whole run) PutEvents answers with an error. */
  let failing: Set<number>;

  beforeEach(async () => {
    webhooks = new MemoryWebhookStore();
    await webhooks.putEndpoint(
      newWebhookEndpoint({ id: "ep-1", url: "https://app.example.com/hooks", now: new Date() }),
    );
    entries = [];
    failing = new Set();
    const client = new EventBridgeClient({ region: "us-east-1" });
    bus = mockClient(client);
    bus.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      const answers = input.Entries.map((entry) => {
        entries.push(entry);
        return failing.has(entries.length - 1)
          ? { ErrorCode: "InternalFailure", ErrorMessage: "try again" }
          : { EventId: randomUUID() };
      });
      return { FailedEntryCount: answers.filter((a) => "ErrorCode" in a).length, Entries: answers };
    });
    deps = {
      config,
      store,
      mailer: localMailer(),
      renderer: renderMessage,
      now: () => new Date(),
      publisher: new EventBridgePublisher(client, "lifecycle-bus"),
      webhooks,
    };
  });

  let deps: RelayDependencies;
  const handler = createHandler(() => deps);
  const relay = (batch: DynamoDBStreamEvent) => runAs("Events", () => handler(batch));

  it("publishes each event to the bus, queues its webhooks and sends the welcome email once", async () => {
    const created = await createUser();
    expect(created.welcomeEmail?.status).toBe("pending");
    await records.setRoles(created, ["admin", "member"], 1, { actor: "admin-sub", action: "user.roles.set" });
    const batch = batchOf(...(await auditItems(created.sub)).map((item) => streamRecord(item)));

    await expect(relay(batch)).resolves.toEqual({ batchItemFailures: [] });
    expect(entries.map((entry) => [entry.Source, entry.DetailType, entry.EventBusName])).toEqual([
      [lifecycleEventSource, "user.created", "lifecycle-bus"],
      [lifecycleEventSource, "user.roles_changed", "lifecycle-bus"],
    ]);
    const published = entries.map((entry) => parseLifecycleEvent(JSON.parse(entry.Detail ?? "")));
    expect(published.map((event) => event.data.version)).toEqual([1, 2]);
    expect((await webhooks.pending()).map((delivery) => delivery.eventId).sort()).toEqual(
      published.map((event) => event.id).sort(),
    );
    expect(await emailsTo(created.email as string)).toHaveLength(1);
    expect((await store.get(created.sub))?.welcomeEmail).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("queues webhook deliveries in the user table, as the deployed function does", async () => {
    // The deployed handler's store (functions/events.ts): its listing and conditional enqueue run
    // as the Events function under the offline IAM check.
    const table = new DynamoWebhookStore(db, tableName);
    const endpointId = `ep-${randomUUID().slice(0, 8)}`;
    await table.putEndpoint(
      newWebhookEndpoint({ id: endpointId, url: "https://app.example.com/hooks", now: new Date() }),
    );
    deps = { ...deps, webhooks: table };
    const created = await createUser();
    const batch = batchOf(...(await auditItems(created.sub)).map((item) => streamRecord(item)));

    await expect(relay(batch)).resolves.toEqual({ batchItemFailures: [] });
    await expect(relay(batch)).resolves.toEqual({ batchItemFailures: [] });
    const queued = await table.pending(endpointId);
    expect(queued.map((delivery) => [delivery.sub, delivery.eventType])).toEqual([
      [created.sub, "user.created"],
    ]);
  });

  it("the same batch delivered twice sends the welcome email once and queues nothing new", async () => {
    const created = await createUser();
    const batch = batchOf(...(await auditItems(created.sub)).map((item) => streamRecord(item)));
    await expect(relay(batch)).resolves.toEqual({ batchItemFailures: [] });
    await expect(relay(batch)).resolves.toEqual({ batchItemFailures: [] });
    // Concurrently too (two pollers of one shard during a rebalance).
    await Promise.all([relay(batch), relay(batch)]);
    expect(await emailsTo(created.email as string)).toHaveLength(1);
    expect(await webhooks.pending()).toHaveLength(1);
    // At least once on the bus: every copy carries the same event id.
    expect(new Set(entries.map((entry) => JSON.parse(entry.Detail ?? "").id)).size).toBe(1);
  });

  it("reports the first record whose PutEvents entry failed, and the retry from there completes", async () => {
    const first = await createUser();
    const second = await createUser();
    const records = [
      ...(await auditItems(first.sub)).map((item) => streamRecord(item)),
      ...(await auditItems(second.sub)).map((item) => streamRecord(item)),
    ];
    failing.add(1);
    const response = await relay(batchOf(...records));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    // Lambda resumes at the reported record.
    await expect(relay(batchOf(...records.slice(1)))).resolves.toEqual({ batchItemFailures: [] });
    expect(await emailsTo(first.email as string)).toHaveLength(1);
    expect(await emailsTo(second.email as string)).toHaveLength(1);
    expect((await webhooks.pending()).map((delivery) => delivery.sub).sort()).toEqual(
      [first.sub, second.sub].sort(),
    );
  });

  it("a whole PutEvents call failing fails its first record; nothing is sent before the bus has it", async () => {
    const created = await createUser();
    bus.on(PutEventsCommand).rejects(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));
    const batch = batchOf(...(await auditItems(created.sub)).map((item) => streamRecord(item)));
    const response = await relay(batch);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: batch.Records[0]?.dynamodb?.SequenceNumber },
    ]);
    expect(await emailsTo(created.email as string)).toHaveLength(0);
    expect(await webhooks.pending()).toHaveLength(0);
  });

  it("ignores what is not an audit item's INSERT: TTL removals, profile writes", async () => {
    const created = await createUser();
    const [audit] = await auditItems(created.sub);
    const profile = {
      ...created,
      [userTable.partitionKey]: itemKeys.user(created.sub),
      [userTable.sortKey]: itemKeys.profile,
      kind: "profile",
    };
    const response = await relay(
      batchOf(
        streamRecord(audit as Record<string, unknown>, "REMOVE"),
        streamRecord(profile as Record<string, unknown>, "MODIFY"),
        streamRecord(profile as Record<string, unknown>),
      ),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(entries).toEqual([]);
    expect(await emailsTo(created.email as string)).toHaveLength(0);
  });
});
