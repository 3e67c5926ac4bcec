import { randomUUID } from "node:crypto";
import { DescribeTimeToLiveCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  type DynamoUserStore,
  itemKeys,
  runAs,
  scrubDeletedProfiles,
  userStoreFor,
  userTable,
} from "@cognito-lifecycle/aws";
import {
  type AuditAction,
  type AuditEvent,
  defineConfig,
  newUserRecord,
  type UserRecord,
} from "@cognito-lifecycle/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler } from "../../functions/retention.ts";
import { dynamoEndpoint, freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

const roles = { admin: { permissions: [] }, member: { permissions: [] } };
const config = defineConfig({ roles });
checkIam(config);

/** The job as the Retention function runs it: its calls are checked against that role. */
const scrub = (...args: Parameters<typeof scrubDeletedProfiles>) =>
  runAs("Retention", () => scrubDeletedProfiles(...args));

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let client: DynamoDBClient;
let tableName: string;

beforeEach(async () => {
  ({ store, db, client, tableName } = await freshStore());
});

const day = 86_400;

function record(overrides: Partial<UserRecord> = {}): UserRecord {
  const sub = overrides.sub ?? randomUUID();
  return {
    ...newUserRecord(config, {
      sub,
      username: `google_${sub.slice(0, 8)}`,
      attributes: {
        email: `jane-${sub.slice(0, 8)}@example.com`,
        email_verified: "true",
        name: "Jane Doe",
        locale: "de",
        identities: JSON.stringify([{ providerName: "Google", providerType: "Google", userId: "1234" }]),
      },
      source: "federated",
      now: "2030-01-01T00:00:00.000Z",
      confirmed: true,
    }),
    roles: ["admin", "member"],
    ...overrides,
  };
}

function audit(sub: string, at: string, action: AuditAction = "user.deleted"): AuditEvent {
  return { sub, id: randomUUID(), at, actor: "admin-sub", action };
}

async function itemsOf(sub: string): Promise<Record<string, unknown>[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": userTable.partitionKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub) },
    }),
  );
  return result.Items ?? [];
}

const auditItems = async (sub: string) => (await itemsOf(sub)).filter((item) => item.kind === "audit");

/** Creates a user and soft-deletes them at `deletedAt`, as the admin API does. */
async function deletedUser(deletedAt: string): Promise<UserRecord> {
  const user = record();
  await store.create(user, audit(user.sub, "2030-01-01T00:00:00.000Z", "user.created"));
  return store.setStatus(user.sub, "deleted", audit(user.sub, deletedAt));
}

describe("audit retention (TTL)", () => {
  it("enables TTL on expiresAt on the local table", async () => {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: "expiresAt",
      TimeToLiveStatus: "ENABLED",
    });
  });

  it("sets expiresAt (epoch seconds, 400 days by default) on every audit item a store writes", async () => {
    const user = record();
    const at = "2030-01-01T00:00:00.000Z";
    await store.create(user, audit(user.sub, at, "user.created"));
    await store.setStatus(user.sub, "disabled", audit(user.sub, "2030-01-02T00:00:00.000Z", "user.disabled"));
    await store.appendAudit(audit(user.sub, "2030-01-03T00:00:00.000Z", "user.resynced"));
    const items = await auditItems(user.sub);
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item.expiresAt).toBe(Math.floor(Date.parse(item.at as string) / 1000) + 400 * day);
    }
    // Profiles and role entries never expire.
    expect((await itemsOf(user.sub)).filter((item) => item.kind !== "audit" && "expiresAt" in item)).toEqual(
      [],
    );
  });

  it("uses retention.auditDays from the config for the deployed store", async () => {
    vi.stubEnv("LIFECYCLE_TABLE_NAME", tableName);
    vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint());
    const configured = userStoreFor(defineConfig({ roles, retention: { auditDays: 30 } }));
    const user = record();
    await configured.appendAudit(audit(user.sub, "2030-01-01T00:00:00.000Z"));
    const [item] = await auditItems(user.sub);
    expect(item?.expiresAt).toBe(Date.parse("2030-01-01T00:00:00.000Z") / 1000 + 30 * day);
  });

  it("defaults retention to 400 audit days and 30 days for deleted profiles, and refuses nonsense", () => {
    expect(defineConfig({}).retention).toEqual({ auditDays: 400, deletedProfileDays: 30 });
    expect(() => defineConfig({ retention: { auditDays: 0 } })).toThrow(/retention\.auditDays/);
  });
});

describe("scrubbing soft-deleted profiles", () => {
  const now = new Date("2030-03-01T00:00:00.000Z");
  const options = { now, deletedProfileDays: 30, newId: randomUUID };

  it("removes every personal field of profiles deleted before the grace period, and only those", async () => {
    const old = await deletedUser("2030-01-15T00:00:00.000Z");
    const recent = await deletedUser("2030-02-15T00:00:00.000Z");
    const active = record();
    await store.create(active);

    const report = await scrub(db, tableName, options);
    expect(report).toEqual({ scrubbed: 1, skipped: 0, complete: true });

    const scrubbed = await store.get(old.sub);
    expect(scrubbed).toEqual({
      sub: old.sub,
      username: old.sub,
      emailVerified: false,
      identities: [],
      status: "deleted",
      roles: ["admin", "member"],
      groups: [],
      source: "federated",
      createdAt: old.createdAt,
      confirmedAt: old.confirmedAt,
      updatedAt: "2030-01-15T00:00:00.000Z",
      version: old.version + 1,
      scrubbedAt: now.toISOString(),
    });
    // No personal data anywhere in the user's items, index keys and role entries included.
    const text = JSON.stringify((await itemsOf(old.sub)).filter((item) => item.kind !== "audit"));
    expect(text).not.toMatch(/jane|Jane|google_|"de"|1234|EMAIL#/);
    expect((await auditItems(old.sub)).map((item) => item.action)).toContain("user.scrubbed");

    expect(await store.get(recent.sub)).toEqual(recent);
    expect((await store.get(active.sub))?.email).toBe(active.email);
  });

  it("is idempotent: a second run finds nothing to do and changes nothing", async () => {
    const old = await deletedUser("2030-01-01T00:00:00.000Z");
    await scrub(db, tableName, options);
    const first = await store.get(old.sub);
    const again = await scrub(db, tableName, { ...options, now: new Date("2030-04-01Z") });
    expect(again).toEqual({ scrubbed: 0, skipped: 0, complete: true });
    expect(await store.get(old.sub)).toEqual(first);
    expect((await auditItems(old.sub)).filter((item) => item.action === "user.scrubbed")).toHaveLength(1);
  });

  it("finds candidates with a Query on the status index, never a Scan", async () => {
    await deletedUser("2030-01-01T00:00:00.000Z");
    const sent: unknown[] = [];
    const spy = {
      send: (command: unknown) => {
        sent.push(command);
        return db.send(command as never);
      },
    };
    await scrub(spy as unknown as DynamoDBDocumentClient, tableName, options);
    expect(sent.some((command) => command instanceof ScanCommand)).toBe(false);
    const queries = sent.filter((command): command is QueryCommand => command instanceof QueryCommand);
    // Candidates come from the status index; the other queries read the scrubbed user's own
    // audit entries (the erasure's sweep), by partition key.
    const candidates = queries.filter((query) => query.input.IndexName !== undefined);
    expect(candidates.map((query) => query.input.IndexName)).toEqual([userTable.indexes.byStatusOrRole.name]);
    for (const query of queries.filter((query) => query.input.IndexName === undefined)) {
      expect(query.input.ExpressionAttributeValues?.[":pk"]).toMatch(/^USER#/);
    }
  });

  it("runs as the scheduled handler with the configured grace period", async () => {
    const old = await deletedUser("2030-02-20T00:00:00.000Z");
    const handler = createHandler(defineConfig({ roles, retention: { deletedProfileDays: 5 } }), () => ({
      db,
      tableName,
      now: () => now,
    }));
    await expect(runAs("Retention", () => handler({}))).resolves.toEqual({
      scrubbed: 1,
      skipped: 0,
      complete: true,
    });
    expect((await store.get(old.sub))?.email).toBeUndefined();
  });
});
