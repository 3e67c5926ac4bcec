import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  DynamoUserStore,
  itemKeys,
  runAs,
  scrubDeletedProfiles,
  UserRecords,
  userExportFormat,
} from "@cognito-lifecycle/aws";
import { type AuditEvent, defineConfig, newUserRecord, type UserRecord } from "@cognito-lifecycle/core";
import { beforeEach, describe, expect, it } from "vitest";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

const roles = { admin: { permissions: [] }, member: { permissions: [] } };
const config = defineConfig({ roles });
checkIam(config);

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let tableName: string;
let records: UserRecords;
let ticks = 0;
/** One second later on every reading, so audit entries sort in the order they were written. */
const clock = {
  now: () => new Date(Date.parse("2030-02-01T00:00:00.000Z") + ++ticks * 1000),
  newId: randomUUID,
};

beforeEach(async () => {
  ({ store, db, tableName } = await freshStore());
  records = new UserRecords(store, config, clock);
});

function person(name: string): UserRecord {
  const sub = randomUUID();
  return {
    ...newUserRecord(config, {
      sub,
      username: `google_${sub.slice(0, 8)}`,
      attributes: {
        email: `${name.toLowerCase()}-${sub.slice(0, 6)}@example.com`,
        email_verified: "true",
        name: `${name} Quill`,
        identities: JSON.stringify([{ providerName: "Google", providerType: "Google", userId: "g-4242" }]),
      },
      source: "federated",
      now: "2030-01-01T00:00:00.000Z",
      confirmed: true,
    }),
    roles: ["admin", "member"],
  };
}

function audit(sub: string, at: string, extra: Partial<AuditEvent> = {}): AuditEvent {
  return { sub, id: randomUUID(), at, actor: "admin-sub", action: "user.resynced", ...extra };
}

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A user with a history that puts their email and name in audit reasons and details. */
async function userWithHistory(name = "Jane"): Promise<UserRecord> {
  const user = person(name);
  await store.create(user, audit(user.sub, "2030-01-01T00:00:00.000Z", { action: "user.created" }));
  await records.setRoles(user, ["member"], user.version, {
    actor: "admin-sub",
    action: "user.roles.set",
    reason: `${user.name} asked by mail from ${user.email}`,
  });
  await store.appendAudit(
    audit(user.sub, "2030-01-03T00:00:00.000Z", {
      reason: `ticket from ${user.email}`,
      details: { changes: ["email"], email: user.email, previousName: user.name },
    }),
  );
  return (await store.get(user.sub)) as UserRecord;
}

const containing = (items: Record<string, unknown>[], text: string) =>
  items.filter((item) => JSON.stringify(item).toLowerCase().includes(text.toLowerCase()));

describe("export", () => {
  it("contains every item the table holds about the user, and nothing about anyone else", async () => {
    const jane = await userWithHistory("Jane");
    const other = await userWithHistory("Otto");
    // Jane as an admin changed Otto: an entry in Otto's partition that names her as the actor.
    await store.appendAudit(audit(other.sub, "2030-01-05T00:00:00.000Z", { actor: jane.sub }));
    // An item of a kind this version does not know, in Jane's partition.
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: itemKeys.user(jane.sub), sk: "NOTE#1", kind: "note", text: "kept for her" },
      }),
    );

    const exported = await records.exportData(jane.sub, { actor: "admin-sub" });

    const about = (await scanAll()).filter(
      (item) => item.pk === itemKeys.user(jane.sub) || item.gsi1pk === itemKeys.actor(jane.sub),
    );
    // The scan ran after the export, which wrote its own `user.exported` entry.
    const before = about.filter((item) => item.action !== "user.exported");
    expect(exported.items).toBe(before.length);
    const exportedKeys = new Set([
      ...(exported.record ? ["PROFILE"] : []),
      ...exported.roles.map((role) => itemKeys.role(role.role as string)),
      ...[...exported.audit, ...exported.actionsTaken].map((event) => itemKeys.audit(event.at, event.id)),
      ...exported.other.map((item) => item.sk),
    ]);
    expect(new Set(before.map((item) => item.sk))).toEqual(exportedKeys);
    expect(JSON.stringify(exported)).not.toContain(other.email as string);
    expect(exported).toMatchObject({
      ...userExportFormat,
      sub: jane.sub,
      record: { email: jane.email, name: jane.name },
      linkedIdentities: [{ providerName: "Google", userId: "g-4242" }],
      emailDelivery: { welcomeEmail: jane.welcomeEmail ?? null },
      roleHistory: [{ from: ["admin", "member"], to: ["member"], actor: "admin-sub" }],
      actionsTaken: [{ sub: other.sub, actor: jane.sub }],
    });
  });

  it("is audited as user.exported with who asked", async () => {
    const jane = await userWithHistory();
    await records.exportData(jane.sub, { actor: "admin-sub", details: { via: "admin-api" } });
    const page = await store.auditHistory(jane.sub);
    expect(page.items[0]).toMatchObject({
      action: "user.exported",
      actor: "admin-sub",
      details: { via: "admin-api" },
    });
  });
});

describe("erasure", () => {
  it("leaves no item in the table containing the user's email or name, and keeps a tombstone", async () => {
    const jane = await userWithHistory("Jane");
    const otto = await userWithHistory("Otto");

    const result = await records.erase(jane, { actor: "admin-sub", reason: "GDPR request 17" });

    expect(result).toMatchObject({ already: false });
    const items = await scanAll();
    expect(containing(items, jane.email as string)).toEqual([]);
    expect(containing(items, jane.name as string)).toEqual([]);
    expect(containing(items, "g-4242").filter((item) => item.pk === itemKeys.user(jane.sub))).toEqual([]);
    expect(await store.get(jane.sub)).toMatchObject({
      sub: jane.sub,
      status: "deleted",
      scrubbedAt: expect.stringMatching(/^2030-02-01T/),
      erasedBy: "admin-sub",
    });
    const history = (await store.auditHistory(jane.sub)).items;
    expect(history[0]).toMatchObject({
      action: "user.erased",
      actor: "admin-sub",
      reason: "GDPR request 17",
    });
    // Who did what, when, survives on every entry; what they typed does not.
    expect(history.map((event) => event.action)).toEqual([
      "user.erased",
      "user.roles.set",
      "user.resynced",
      "user.created",
    ]);
    expect(history.find((event) => event.action === "user.roles.set")).toMatchObject({
      details: { from: ["admin", "member"], to: ["member"] },
    });
    // Otto is untouched.
    expect(containing(items, otto.email as string).length).toBeGreaterThan(0);
  });

  it("is a no-op the second time, reporting that the user was already erased", async () => {
    const jane = await userWithHistory();
    await records.erase(jane, { actor: "admin-sub" });
    const before = await scanAll();
    const tombstone = (await store.get(jane.sub)) as UserRecord;

    await expect(records.erase(tombstone, { actor: "admin-2" })).resolves.toEqual({
      already: true,
      auditEntries: 0,
    });
    expect(await scanAll()).toEqual(before);
  });

  it("completes on a re-run after a crash part-way through the audit entries", async () => {
    const jane = await userWithHistory();
    let puts = 0;
    const crashing = {
      send: (command: unknown, ...rest: unknown[]) => {
        if (command instanceof PutCommand && ++puts === 2) throw new Error("process killed");
        return db.send(command as never, ...(rest as []));
      },
    } as unknown as DynamoDBDocumentClient;
    const interrupted = new UserRecords(new DynamoUserStore(crashing, tableName), config, clock);

    await expect(interrupted.erase(jane, { actor: "admin-sub" })).rejects.toThrow();
    // Half done: one entry scrubbed, the profile still whole.
    expect((await store.get(jane.sub))?.email).toBe(jane.email);

    await expect(records.erase(jane, { actor: "admin-sub" })).resolves.toMatchObject({ already: false });
    const items = await scanAll();
    expect(containing(items, jane.email as string)).toEqual([]);
    expect(containing(items, jane.name as string)).toEqual([]);
  });

  it("finishes the audit entries of a run cut off after the tombstone", async () => {
    const jane = await userWithHistory();
    await records.erase(jane, { actor: "admin-sub" });
    // An entry written by a change racing the erasure, after its last sweep.
    await store.appendAudit(audit(jane.sub, "2030-03-01T00:00:00.000Z", { reason: `from ${jane.email}` }));

    const again = await records.erase((await store.get(jane.sub)) as UserRecord, { actor: "admin-sub" });
    expect(again).toEqual({ already: true, auditEntries: 1 });
    expect(containing(await scanAll(), jane.email as string)).toEqual([]);
  });
});

describe("retention uses the erasure's scrub", () => {
  it("removes personal data from the audit entries of a scrubbed profile too", async () => {
    const jane = await userWithHistory();
    await records.changeStatus(jane, "deleted", { actor: "admin-sub", action: "user.deleted" });

    const report = await runAs("Retention", () =>
      scrubDeletedProfiles(db, tableName, {
        now: new Date("2030-06-01T00:00:00.000Z"),
        deletedProfileDays: 30,
        newId: randomUUID,
      }),
    );

    expect(report.scrubbed).toBe(1);
    const items = await scanAll();
    expect(containing(items, jane.email as string)).toEqual([]);
    expect(containing(items, jane.name as string)).toEqual([]);
  });
});
