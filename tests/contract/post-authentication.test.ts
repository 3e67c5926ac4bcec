import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type DynamoUserStore, itemKeys, outboxEvents, runAs, userTable } from "@cognito-lifecycle/aws";
import { defineConfig, MalformedEventError, newUserRecord, signInHistory } from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/post-authentication.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import { type Who, who } from "./fixtures/common.ts";
import {
  authentication,
  federatedAuthentication,
  type PostAuthenticationFixtureEvent,
  postAuthenticationFixtures,
} from "./fixtures/post-authentication.ts";
import {
  clone,
  expectOnlyResponseChanged,
  invoke,
  observedStore,
  runtime,
  unreachableStore,
} from "./support.ts";

const config = defineConfig({});
checkIam(config);
const signedInAt = new Date("2032-01-02T03:04:05.000Z");

let store: DynamoUserStore;
let db: Awaited<ReturnType<typeof freshStore>>["db"];
let tableName: string;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
});

function handlerWith(target: DynamoUserStore = store) {
  return createHandler(runtime({ config, store: target, now: () => signedInAt }));
}

async function recorded(person: Who) {
  await store.create(
    newUserRecord(config, {
      sub: person.sub,
      username: person.sub,
      attributes: { email: person.email },
      source: "sign-up",
      now: "2030-01-01T00:00:00.000Z",
    }),
  );
  return person;
}

describe("post authentication contract", () => {
  it.each(postAuthenticationFixtures)("$name: records lastSignInAt, whole event back", async (fixture) => {
    const person = await recorded(who());
    const event = fixture.build(person);
    const result = await invoke(handlerWith(), clone(event));
    expectOnlyResponseChanged(event, result);
    expect(result.response).toEqual({});
    expect((await store.get(person.sub))?.lastSignInAt).toBe(signedInAt.toISOString());
  });

  it("an IdP sign-in records when it delivered the IdP groups; a password sign-in does not", async () => {
    const federated = await recorded(who());
    await invoke(handlerWith(), federatedAuthentication(federated));
    expect((await store.get(federated.sub))?.idpGroupsAt).toBe(signedInAt.toISOString());

    const native = await recorded(who());
    await invoke(handlerWith(), authentication(native));
    expect((await store.get(native.sub))?.idpGroupsAt).toBeUndefined();
  });

  // Issue #19 feature 5: a short per-user sign-in history riding the same update.
  it("keeps the sign-in history on the profile: time, app client, new device; newest first, bounded", async () => {
    const person = await recorded(who());
    const event = authentication(person);
    await invoke(handlerWith(), clone(event));
    const first = await store.get(person.sub);
    expect(first?.signIns).toEqual([
      { at: signedInAt.toISOString(), clientId: event.callerContext?.clientId, newDevice: true },
    ]);
    // An IdP sign-in that says the device is known records no newDevice.
    let clock = signedInAt.getTime();
    const at = () => {
      clock += 1000;
      return new Date(clock);
    };
    const later = createHandler(runtime({ config, store, now: at }));
    await invoke(later, federatedAuthentication(person));
    expect((await store.get(person.sub))?.signIns?.[0]).toEqual({
      at: new Date(clock).toISOString(),
      clientId: event.callerContext?.clientId,
    });
    const lengths: number[] = [];
    for (let count = 0; count < signInHistory.max + 5; count++) {
      await invoke(later, clone(event));
      lengths.push((await store.get(person.sub))?.signIns?.length ?? 0);
    }
    expect(Math.max(...lengths)).toBe(signInHistory.max);
    // The sign-in that found it full kept the newest `keep`, itself first.
    const trimmedAt = lengths.indexOf(signInHistory.keep);
    expect(trimmedAt).toBeGreaterThan(0);
    const history = (await store.get(person.sub))?.signIns ?? [];
    expect(history[0]?.at).toBe(new Date(clock).toISOString());
    const times = history.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    expect((await store.get(person.sub))?.lastSignInAt).toBe(new Date(clock).toISOString());
  });

  it("creates nothing for a user without a record (token time does that)", async () => {
    const event = authentication();
    expect((await invoke(handlerWith(), clone(event))).response).toEqual({});
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
  });

  it("never fails a sign-in because the store is down", async () => {
    const result = await invoke(handlerWith(await unreachableStore()), authentication());
    expect(result.response).toEqual({});
  });

  it("returns an event with an unknown trigger source unchanged", async () => {
    const person = await recorded(who());
    const event = {
      ...authentication(person),
      triggerSource: "PostAuthentication_Future",
    } as unknown as PostAuthenticationFixtureEvent;
    expect(await invoke(handlerWith(), clone(event))).toEqual(event);
    expect((await store.get(person.sub))?.lastSignInAt).toBeUndefined();
  });

  it("records a sign-in whose attributes carry booleans, as AWS's examples show them", async () => {
    const person = await recorded(who());
    const event = authentication(person);
    Object.assign(event.request.userAttributes, { email_verified: true, phone_number_verified: false });
    expect((await invoke(handlerWith(), clone(event))).response).toEqual({});
    expect((await store.get(person.sub))?.lastSignInAt).toBe(signedInAt.toISOString());
  });

  it("refuses a malformed event with an error naming the field, and writes nothing", async () => {
    const person = await recorded(who());
    const event = authentication(person);
    (event.request.userAttributes as Record<string, unknown>).sub = "";
    const error = await invoke(handlerWith(), event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toContain("request.userAttributes.sub");
    expect((await store.get(person.sub))?.lastSignInAt).toBeUndefined();
  });

  describe("user.signed_in (events.signedIn, opt-in)", () => {
    const signedInConfig = defineConfig({ events: { signedIn: true } });

    /** The audit items of `sub` and the lifecycle events their outboxes carry. */
    async function auditOf(sub: string) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :audit)",
          ExpressionAttributeNames: { "#pk": userTable.partitionKey, "#sk": userTable.sortKey },
          ExpressionAttributeValues: { ":pk": itemKeys.user(sub), ":audit": "AUDIT#" },
        }),
      );
      return { items: Items, events: Items.flatMap((item) => outboxEvents(item)) };
    }

    it("off (the default): one UpdateItem, no read, no audit item", async () => {
      expect(config.events.signedIn).toBe(false);
      const person = await recorded(who());
      const observed = observedStore(db, tableName);
      await invoke(
        createHandler(runtime({ config, store: observed.store, now: () => signedInAt })),
        authentication(person),
      );
      expect(observed.commands.map((command) => command.name)).toEqual(["UpdateCommand"]);
      expect((await auditOf(person.sub)).items).toEqual([]);
      expect((await store.get(person.sub))?.lastSignInAt).toBe(signedInAt.toISOString());
    });

    it("on: the update and the audit item carrying user.signed_in commit in one transaction", async () => {
      const person = await recorded(who());
      const observed = observedStore(db, tableName);
      const event = authentication(person);
      await invoke(
        createHandler(runtime({ config: signedInConfig, store: observed.store, now: () => signedInAt })),
        event,
      );
      expect(observed.commands.map((command) => command.name)).toEqual([
        "GetCommand",
        "TransactWriteCommand",
      ]);
      const { items, events } = await auditOf(person.sub);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ action: "user.signed_in", actor: "system:post-authentication" });
      const stored = await store.get(person.sub);
      expect(stored).toMatchObject({ lastSignInAt: signedInAt.toISOString(), version: 1 });
      // The same transaction keeps the sign-in history.
      expect(stored?.signIns).toEqual([
        { at: signedInAt.toISOString(), clientId: event.callerContext.clientId, newDevice: true },
      ]);
      expect(events).toEqual([
        {
          id: `evt_${items[0]?.id}`,
          type: "user.signed_in",
          timestamp: signedInAt.toISOString(),
          schemaVersion: 1,
          source: "cognito-lifecycle",
          data: {
            sub: person.sub,
            version: 1,
            changes: ["lastSignInAt"],
            signIn: { clientId: event.callerContext.clientId, newDevice: true },
            record: expect.objectContaining({
              sub: person.sub,
              lastSignInAt: signedInAt.toISOString(),
              version: 1,
            }),
          },
        },
      ]);
    });

    it("on: a sign-in without a record writes nothing; a change between read and write is re-read", async () => {
      const ghost = authentication();
      await invoke(createHandler(runtime({ config: signedInConfig, store, now: () => signedInAt })), ghost);
      expect((await auditOf(ghost.request.userAttributes.sub ?? "")).items).toEqual([]);

      const person = await recorded(who());
      // An admin's role change commits between the sign-in's read and its write.
      const racing = observedStore(db, tableName, () =>
        runAs("AdminApiHandler", () =>
          store.setRoles(person.sub, ["admin"], 1, {
            sub: person.sub,
            id: "race",
            at: "2032-01-01T00:00:00.000Z",
            actor: "admin-sub",
            action: "user.roles.set",
          }),
        ),
      );
      await invoke(
        createHandler(runtime({ config: signedInConfig, store: racing.store, now: () => signedInAt })),
        federatedAuthentication(person),
      );
      expect(racing.commands.map((command) => command.name)).toEqual([
        "GetCommand",
        "TransactWriteCommand",
        "GetCommand",
        "TransactWriteCommand",
      ]);
      const signedIn = (await auditOf(person.sub)).events.filter((item) => item.type === "user.signed_in");
      expect(signedIn).toHaveLength(1);
      expect(signedIn[0]?.data).toMatchObject({
        version: 2,
        signIn: { clientId: expect.any(String), newDevice: false },
        record: { roles: ["admin"], lastSignInAt: signedInAt.toISOString() },
      });
      // Outside the summary allowlist, so not in the event.
      expect(signedIn[0]?.data.record).not.toHaveProperty("idpGroupsAt");
      expect(await store.get(person.sub)).toMatchObject({
        idpGroupsAt: signedInAt.toISOString(),
        version: 2,
      });
    });
  });
});
