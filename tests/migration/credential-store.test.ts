import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  createLegacyCredentialStore,
  itemKeys,
  type LegacyCredentialItem,
  type LegacyCredentialStore,
  userTable,
} from "@cognito-lifecycle/aws";
import { defaultRateLimitPolicy } from "@cognito-lifecycle/core/migration";
import { parsePasswordHash } from "@cognito-lifecycle/core/passwords";
import { beforeAll, describe, expect, it } from "vitest";
import { freshStore } from "../support/aws.ts";

let store: LegacyCredentialStore;
let db: Awaited<ReturnType<typeof freshStore>>["db"];
let tableName: string;

beforeAll(async () => {
  ({ db, tableName } = await freshStore());
  store = createLegacyCredentialStore({ db, tableName });
});

let counter = 0;
/** Openwall's crypt_blowfish vector: "U*U". */
function imported(overrides: Partial<LegacyCredentialItem> = {}): LegacyCredentialItem {
  counter += 1;
  return {
    email: `legacy-${counter}-${Date.now()}@example.com`,
    emailVerified: true,
    name: "Jane Doe",
    locale: "de_DE",
    roles: ["member"],
    credential: parsePasswordHash("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
    disabled: false,
    sourceId: "auth0|123",
    origin: "import:auth0",
    importedAt: "2030-01-01T00:00:00.000Z",
    importJob: "job-1",
    ...overrides,
  };
}

/** Real time: DynamoDB Local sweeps counters whose TTL has passed. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

describe("legacy credential store", () => {
  it("puts once, reads back the parsed credential, and a re-run reports exists", async () => {
    const item = imported();
    expect(await store.put(item)).toBe("created");
    expect(await store.put({ ...item, roles: ["admin"] })).toBe("exists");
    expect(await store.get(item.email)).toEqual(item);
  });

  it("replaces only when asked", async () => {
    const item = imported();
    await store.put(item);
    expect(await store.put({ ...item, roles: ["support"] }, { replace: true })).toBe("created");
    expect((await store.get(item.email))?.roles).toEqual(["support"]);
  });

  it("keys by the canonical email, and stores the credential as JSON under LEGACY#", async () => {
    const item = imported();
    await store.put({ ...item, email: `  ${item.email.toUpperCase()} ` });
    expect((await store.get(item.email))?.email).toBe(item.email);
    const raw = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { [userTable.partitionKey]: `LEGACY#${item.email}`, [userTable.sortKey]: "CREDENTIAL" },
      }),
    );
    expect(typeof raw.Item?.credential).toBe("string");
    expect(JSON.parse(String(raw.Item?.credential))).toEqual(item.credential);
  });

  it("keeps a user without a credential, and drops an unreadable one on read", async () => {
    const { credential: _none, ...withoutHash } = imported();
    await store.put(withoutHash);
    expect(await store.get(withoutHash.email)).toEqual(withoutHash);

    const broken = imported();
    await store.put(broken);
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          [userTable.partitionKey]: itemKeys.legacy(broken.email),
          [userTable.sortKey]: itemKeys.legacyCredential,
          email: broken.email,
          emailVerified: true,
          roles: [],
          disabled: false,
          origin: "import:csv",
          importedAt: broken.importedAt,
          credential: JSON.stringify({ algorithm: "md5", hash: "x" }),
        },
      }),
    );
    const read = await store.get(broken.email);
    expect(read?.email).toBe(broken.email);
    expect(read?.credential).toBeUndefined();
  });

  it("removes idempotently; an unknown email reads as undefined", async () => {
    const item = imported();
    await store.put(item);
    await store.remove(item.email);
    await store.remove(item.email);
    expect(await store.get(item.email)).toBeUndefined();
    expect(await store.put(item)).toBe("created");
  });
});

describe("legacy credential rate limit", () => {
  it("allows the policy's attempts in a window, then refuses with the counter unchanged", async () => {
    const { email } = imported();
    const now = nowSeconds();
    const decisions = [];
    for (let attempt = 0; attempt < defaultRateLimitPolicy.maxAttempts + 2; attempt += 1) {
      decisions.push(await store.recordAttempt(email, now + attempt));
    }
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(decisions[4]?.next).toEqual({ attempts: 5, windowStart: now });
    expect(decisions[5]?.next).toEqual({ attempts: 5, windowStart: now });
    expect(decisions[0]?.expiresAt).toBe(now + defaultRateLimitPolicy.windowSeconds);
  });

  it("starts a new window once the old one has passed", async () => {
    const { email } = imported();
    const policy = { maxAttempts: 2, windowSeconds: 60 };
    const limited = createLegacyCredentialStore({ db, tableName, rateLimit: policy });
    const start = nowSeconds();
    await limited.recordAttempt(email, start);
    await limited.recordAttempt(email, start + 1);
    expect((await limited.recordAttempt(email, start + 2)).allowed).toBe(false);
    const later = await limited.recordAttempt(email, start + 61);
    expect(later).toEqual({
      allowed: true,
      next: { attempts: 1, windowStart: start + 61 },
      expiresAt: start + 121,
    });
  });

  it("counts per user, and concurrent attempts never pass the limit", async () => {
    const { email } = imported();
    const other = imported().email;
    const now = nowSeconds();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => store.recordAttempt(email, now)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(defaultRateLimitPolicy.maxAttempts);
    expect((await store.recordAttempt(other, now)).allowed).toBe(true);
  });
});
