import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type DynamoUserStore, InvalidCursorError, itemKeys, userTable } from "@cognito-lifecycle/aws";
import {
  type AuditAction,
  type AuditEvent,
  defineConfig,
  newUserRecord,
  StoreUnavailableError,
  type UserRecord,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { observedStore, unreachableStore } from "../contract/support.ts";
import { freshStore } from "../support/aws.ts";

const config = defineConfig({
  roles: { admin: { permissions: [] }, support: { permissions: [] }, member: { permissions: [] } },
});

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
});

function record(overrides: Partial<UserRecord> = {}): UserRecord {
  const sub = overrides.sub ?? randomUUID();
  return {
    ...newUserRecord(config, {
      sub,
      username: sub,
      attributes: { email: `u-${sub.slice(0, 8)}@example.com`, email_verified: "true", name: "Jane" },
      source: "sign-up",
      now: "2030-01-01T00:00:00.000Z",
      confirmed: true,
    }),
    ...overrides,
  };
}

function audit(sub: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    sub,
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: "admin-sub",
    action: "user.roles.set",
    ...overrides,
  };
}

async function roleItems(sub: string): Promise<string[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :role)",
      ExpressionAttributeNames: { "#pk": userTable.partitionKey, "#sk": userTable.sortKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub), ":role": itemKeys.rolePrefix },
    }),
  );
  return (result.Items ?? []).map((item) => String(item.role)).sort();
}

async function subsWithRole(role: string): Promise<string[]> {
  const { name, partitionKey } = userTable.indexes.byStatusOrRole;
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: name,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": partitionKey },
      ExpressionAttributeValues: { ":pk": itemKeys.roleIndex(role) },
    }),
  );
  return (result.Items ?? []).map((item) => String(item.sub));
}

describe("create", () => {
  it("writes once: the second call says 'exists' and changes nothing", async () => {
    const first = record({ name: "First" });
    expect(await store.create(first, audit(first.sub, { action: "user.created" }))).toBe("created");
    expect(await store.create({ ...first, name: "Second", roles: ["admin"] }, audit(first.sub))).toBe(
      "exists",
    );
    expect(await store.get(first.sub)).toEqual(first);
    expect(await roleItems(first.sub)).toEqual(["member"]);
    expect((await store.auditHistory(first.sub)).items.map((item) => item.action)).toEqual(["user.created"]);
  });

  it("writes one role-member item per role, findable by role", async () => {
    const user = record({ roles: ["admin", "member"] });
    await store.create(user);
    expect(await roleItems(user.sub)).toEqual(["admin", "member"]);
    expect(await subsWithRole("admin")).toContain(user.sub);
  });

  it("reads back exactly what it wrote, without storage keys", async () => {
    const user = record();
    await store.create(user);
    const stored = await store.get(user.sub);
    expect(stored).toEqual(user);
    expect(Object.keys(stored ?? {})).not.toContain(userTable.partitionKey);
  });
});

describe("role changes", () => {
  it("replaces the roles and their member items, bumping the version", async () => {
    const user = record();
    await store.create(user);
    const after = await store.setRoles(user.sub, ["support", "admin", "admin"], 1, audit(user.sub));
    expect(after).toMatchObject({ roles: ["admin", "support"], version: 2 });
    expect(await store.get(user.sub)).toMatchObject({ roles: ["admin", "support"], version: 2 });
    expect(await roleItems(user.sub)).toEqual(["admin", "support"]);
    expect(await subsWithRole("member")).not.toContain(user.sub);
    expect((await store.auditHistory(user.sub)).items).toHaveLength(1);
  });

  it("refuses a stale version with VersionConflictError", async () => {
    const user = record();
    await store.create(user);
    await store.setRoles(user.sub, ["admin"], 1, audit(user.sub));
    const error = await store
      .setRoles(user.sub, ["support"], 1, audit(user.sub))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ sub: user.sub, expected: 1 });
    expect((await store.get(user.sub))?.roles).toEqual(["admin"]);
  });

  it("lets exactly one of two racing admins win", async () => {
    const user = record();
    await store.create(user);
    const outcomes = await Promise.allSettled([
      store.setRoles(user.sub, ["admin"], 1, audit(user.sub)),
      store.setRoles(user.sub, ["support"], 1, audit(user.sub)),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(VersionConflictError);
    expect((await store.get(user.sub))?.version).toBe(2);
  });

  it("never undoes what a trigger wrote between the admin's read and write", async () => {
    const user = record({ welcomeEmail: { status: "sending", at: "2030-01-01T00:00:00.000Z", attempts: 1 } });
    await store.create(user);
    const sent = { status: "sent" as const, at: "2030-01-01T00:00:01.000Z", attempts: 1, messageId: "m-1" };
    const { store: admin } = observedStore(db, tableName, async () => {
      await store.transitionWelcomeEmail(user.sub, ["sending"], sent);
      await store.recordSignIn(user.sub, "2030-01-01T00:00:02.000Z");
      await store.recordPasswordChange(user.sub, "2030-01-01T00:00:03.000Z");
    });
    await admin.setRoles(user.sub, ["admin"], 1, audit(user.sub));
    expect(await store.get(user.sub)).toMatchObject({
      roles: ["admin"],
      welcomeEmail: sent,
      lastSignInAt: "2030-01-01T00:00:02.000Z",
      passwordChangedAt: "2030-01-01T00:00:03.000Z",
    });
  });

  it("moves a disabled user between status partitions", async () => {
    const user = record();
    await store.create(user);
    const after = await store.setStatus(user.sub, "disabled", audit(user.sub, { action: "user.disabled" }));
    expect(after).toMatchObject({ status: "disabled", version: 2 });
    expect((await store.get(user.sub))?.status).toBe("disabled");
  });

  it("syncs fields from Cognito, including removing an email", async () => {
    const user = record();
    await store.create(user);
    await store.sync(
      user.sub,
      { email: undefined, emailNormalised: undefined, name: "Renamed" },
      audit(user.sub),
    );
    const stored = await store.get(user.sub);
    expect(stored).toMatchObject({ name: "Renamed", version: 2 });
    expect(stored?.email).toBeUndefined();
    expect(stored?.emailNormalised).toBeUndefined();
  });

  it("forgets how the email was verified when a sync changes the email", async () => {
    const user = record({ emailVerifiedBy: "code" });
    await store.create(user);
    const same = await store.sync(user.sub, { name: "Jane D" }, audit(user.sub));
    expect(same.emailVerifiedBy).toBe("code");
    await store.sync(
      user.sub,
      { email: "new@example.com", emailNormalised: "new@example.com" },
      audit(user.sub),
    );
    expect((await store.get(user.sub))?.emailVerifiedBy).toBeUndefined();
  });

  it("says which user is missing", async () => {
    await expect(store.setRoles("nobody", ["admin"], 1, audit("nobody"))).rejects.toThrow(
      "No user record for nobody",
    );
  });
});

describe("welcome email transitions", () => {
  const at = (second: number) => `2030-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;

  it("moves only from an expected state, so one sender wins", async () => {
    const user = record({ welcomeEmail: { status: "sending", at: at(0), attempts: 1 } });
    await store.create(user);
    const sent = { status: "sent" as const, at: at(1), attempts: 1, messageId: "m" };
    expect(await store.transitionWelcomeEmail(user.sub, ["sending"], sent)).toBe(true);
    expect(await store.transitionWelcomeEmail(user.sub, ["sending"], { ...sent, at: at(2) })).toBe(false);
    expect((await store.get(user.sub))?.welcomeEmail).toEqual(sent);
  });

  it("lets reconcile claim a pending email, and only one claimant wins", async () => {
    const user = record({ welcomeEmail: { status: "pending", at: at(0), attempts: 1 } });
    await store.create(user);
    const claim = { status: "sending" as const, at: at(5), attempts: 2 };
    const outcomes = await Promise.all([
      store.transitionWelcomeEmail(user.sub, ["pending"], claim),
      store.transitionWelcomeEmail(user.sub, ["pending"], claim),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("treats a claim older than claimedBefore as abandoned, a fresh one as held", async () => {
    const user = record({ welcomeEmail: { status: "sending", at: at(10), attempts: 1 } });
    await store.create(user);
    const retry = { status: "sending" as const, at: at(30), attempts: 2 };
    expect(await store.transitionWelcomeEmail(user.sub, ["pending"], retry, { claimedBefore: at(5) })).toBe(
      false,
    );
    expect(await store.transitionWelcomeEmail(user.sub, ["pending"], retry, { claimedBefore: at(20) })).toBe(
      true,
    );
    expect((await store.get(user.sub))?.welcomeEmail).toEqual(retry);
  });

  it("does nothing for a missing record", async () => {
    const next = { status: "sent" as const, at: at(1), attempts: 1 };
    expect(await store.transitionWelcomeEmail("nobody", ["sending"], next)).toBe(false);
    expect(await store.get("nobody")).toBeUndefined();
  });
});

describe("trigger updates", () => {
  it("record sign-ins and password changes on existing records only", async () => {
    const user = record();
    await store.create(user);
    expect(await store.recordSignIn(user.sub, "2030-02-01T00:00:00.000Z")).toBe(true);
    expect(await store.recordPasswordChange(user.sub, "2030-02-02T00:00:00.000Z")).toBe(true);
    expect(await store.get(user.sub)).toMatchObject({
      lastSignInAt: "2030-02-01T00:00:00.000Z",
      passwordChangedAt: "2030-02-02T00:00:00.000Z",
      version: 1,
    });
    const ghost = randomUUID();
    expect(await store.recordSignIn(ghost, "2030-02-01T00:00:00.000Z")).toBe(false);
    expect(await store.recordPasswordChange(ghost, "2030-02-01T00:00:00.000Z")).toBe(false);
    expect(await store.get(ghost)).toBeUndefined();
  });

  it("an IdP sign-in also records when the IdP groups were delivered", async () => {
    const user = record();
    await store.create(user);
    await store.recordSignIn(user.sub, "2030-02-01T00:00:00.000Z");
    expect((await store.get(user.sub))?.idpGroupsAt).toBeUndefined();
    await store.recordSignIn(user.sub, "2030-02-03T00:00:00.000Z", { idpGroups: true });
    expect(await store.get(user.sub)).toMatchObject({
      lastSignInAt: "2030-02-03T00:00:00.000Z",
      idpGroupsAt: "2030-02-03T00:00:00.000Z",
      version: 1,
    });
  });

  it("reports an unreachable table as StoreUnavailableError", async () => {
    const down = await unreachableStore();
    await expect(down.get("x")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(down.create(record())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe("audit history", () => {
  it("pages newest first with opaque cursors", async () => {
    const sub = randomUUID();
    const events = Array.from({ length: 5 }, (_, index) =>
      audit(sub, { at: `2030-03-0${index + 1}T00:00:00.000Z`, action: `step.${index}` as AuditAction }),
    );
    for (const event of events) await store.appendAudit(event);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.auditHistory(sub, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.action));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(["step.4", "step.3", "step.2", "step.1", "step.0"]);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it("keeps one entry when the same audit event is written twice", async () => {
    const sub = randomUUID();
    const event = audit(sub);
    await store.appendAudit(event);
    await store.appendAudit(event);
    expect((await store.auditHistory(sub)).items).toEqual([event]);
  });

  it("refuses a cursor from another user's history or a forged one", async () => {
    const sub = randomUUID();
    for (let index = 0; index < 3; index++) await store.appendAudit(audit(sub));
    const { cursor } = await store.auditHistory(sub, { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(store.auditHistory(randomUUID(), { cursor: cursor ?? "" })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(store.auditHistory(sub, { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
