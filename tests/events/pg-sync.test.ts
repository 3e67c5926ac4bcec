import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  deliverWebhook,
  dispatchDueDeliveries,
  fanOutEvent,
  newWebhookEndpoint,
  signWebhook,
} from "@cognito-lifecycle/aws/webhooks";
import { type LifecycleEvent, lifecycleEventsFor, type UserRecord } from "@cognito-lifecycle/core";
import {
  type ApplyOutcome,
  applyEvents,
  createSchema,
  createWebhookHandler,
  pgPoolDatabase,
  type SqlClient,
  type SqlDatabase,
} from "@cognito-lifecycle/pg-sync";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryWebhookStore } from "./support/memory-store.ts";
import { auditEntry, userRecord } from "./support/records.ts";

let pg: PGlite;
let db: SqlDatabase;

beforeAll(async () => {
  pg = new PGlite();
  db = { transaction: (work) => pg.transaction((tx) => work(tx)) };
  await createSchema(db);
}, 120_000);
afterAll(() => pg.close());
beforeEach(async () => {
  await pg.exec("TRUNCATE users; TRUNCATE processed_events;");
});

const at = (second: number) => `2030-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;

/** A user's history: created, renamed, given admin, disabled, each one version on. */
function history(sub = "sub-1"): LifecycleEvent[] {
  const steps: Partial<UserRecord>[] = [
    {},
    { name: "Jane Roe" },
    { roles: ["admin", "member"] },
    { status: "disabled" },
  ];
  let before: UserRecord | undefined;
  return steps.map((patch, index) => {
    const after: UserRecord = {
      ...userRecord({ sub }),
      ...before,
      ...patch,
      version: index + 1,
      updatedAt: at(index),
    };
    const audit = auditEntry({ sub, id: `${sub}-${index + 1}`, at: at(index) });
    const [event] = lifecycleEventsFor(before ? { audit, before, after } : { audit, after });
    before = after;
    return event as LifecycleEvent;
  });
}

async function row(sub = "sub-1") {
  const result = await pg.query<Record<string, unknown>>("SELECT * FROM users WHERE sub = $1", [sub]);
  return result.rows[0];
}

async function count(table: "users" | "processed_events"): Promise<number> {
  const result = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return result.rows[0]?.n ?? 0;
}

describe("syncing users into Postgres", () => {
  it("ends at the latest version whatever order the events arrive in", async () => {
    const [v1, v2, v3, v4] = history() as [LifecycleEvent, LifecycleEvent, LifecycleEvent, LifecycleEvent];

    const outcomes = await applyEvents(db, [v3, v1, v4, v2]);

    expect(outcomes).toEqual<ApplyOutcome[]>(["applied", "stale", "applied", "stale"]);
    expect(await row()).toMatchObject({
      version: 4,
      name: "Jane Roe",
      roles: ["admin", "member"],
      status: "disabled",
      email: "jane@example.com",
    });
  });

  it("applies a duplicate once", async () => {
    const [v1] = history() as [LifecycleEvent];
    expect(await applyEvents(db, [v1, v1])).toEqual(["applied", "duplicate"]);
    expect(await applyEvents(db, [v1])).toEqual(["duplicate"]);
    expect(await count("processed_events")).toBe(1);
  });

  it("keeps a deleted user as deleted when an older change arrives late", async () => {
    const [v1, v2] = history() as [LifecycleEvent, LifecycleEvent];
    const [deleted] = lifecycleEventsFor({
      audit: auditEntry({ id: "del", at: at(9) }),
      before: userRecord({ version: 1 }),
      after: userRecord({ version: 5, status: "deleted" }),
    }) as [LifecycleEvent];

    await applyEvents(db, [v1, deleted, v2]);

    expect(await row()).toMatchObject({ status: "deleted", version: 5 });
    expect((await row())?.deleted_at).toBeInstanceOf(Date);
  });

  it("erases every personal field, and a late event does not bring them back", async () => {
    const [v1, v2] = history() as [LifecycleEvent, LifecycleEvent];
    const [erased] = lifecycleEventsFor({
      audit: auditEntry({ id: "erase", at: at(9), action: "user.erased" }),
      before: userRecord({ version: 2 }),
    }) as [LifecycleEvent];

    await applyEvents(db, [v1, erased, v2]);

    const erasedRow = await row();
    expect(erasedRow).toMatchObject({
      erased: true,
      email: null,
      name: null,
      username: null,
      status: "deleted",
    });
    expect(JSON.stringify(erasedRow)).not.toContain("jane");
  });

  it("erases a user it never saw, so their later-arriving creation is refused", async () => {
    const [v1] = history() as [LifecycleEvent];
    const [erased] = lifecycleEventsFor({
      audit: auditEntry({ id: "erase", action: "user.erased" }),
      before: userRecord({ version: 1 }),
    }) as [LifecycleEvent];
    expect(await applyEvents(db, [erased, v1])).toEqual(["applied", "stale"]);
    expect((await row())?.email).toBeNull();
  });

  it("moves last_sign_in_at forward only", async () => {
    const [v1] = history() as [LifecycleEvent];
    const signIn = (id: string, when: string) =>
      lifecycleEventsFor(
        {
          audit: auditEntry({ id, at: when, action: "user.signed_in" }),
          before: userRecord(),
          after: userRecord({ lastSignInAt: when }),
        },
        { signedIn: true },
      )[0] as LifecycleEvent;

    const outcomes = await applyEvents(db, [v1, signIn("s2", at(20)), signIn("s1", at(10))]);

    expect(outcomes).toEqual(["applied", "applied", "stale"]);
    expect((await row())?.last_sign_in_at).toEqual(new Date(at(20)));
  });

  it("loses and duplicates nothing when the consumer crashes mid-batch", async () => {
    const batch = [...history("sub-1"), ...history("sub-2")];
    let queries = 0;
    const crashing: SqlDatabase = {
      transaction: (work) =>
        db.transaction((tx) =>
          work({
            query: (sql, params) => {
              queries += 1;
              if (queries === 9) throw new Error("consumer crashed");
              return tx.query(sql, params);
            },
          } as SqlClient),
        ),
    };

    await expect(applyEvents(crashing, batch)).rejects.toThrow("consumer crashed");
    expect(await count("users")).toBe(0);
    expect(await count("processed_events")).toBe(0);

    expect((await applyEvents(db, batch)).filter((outcome) => outcome === "applied")).toHaveLength(8);
    expect((await applyEvents(db, batch)).every((outcome) => outcome === "duplicate")).toBe(true);
    expect(await count("processed_events")).toBe(8);
    expect(await row("sub-2")).toMatchObject({ version: 4, status: "disabled" });
  });

  it("runs the same statements through a node-postgres style pool, rolling back on failure", async () => {
    const released: (Error | undefined)[] = [];
    const pool = {
      connect: async () => ({
        query: <Row>(sql: string, params?: unknown[]) => pg.query<Row>(sql, params),
        release: (error?: Error) => {
          released.push(error);
        },
      }),
    };
    const [v1, v2] = history() as [LifecycleEvent, LifecycleEvent];
    const pooled = pgPoolDatabase(pool);

    await expect(
      pooled.transaction(async (tx) => {
        await tx.query(
          "INSERT INTO processed_events (event_id, sub, type, version) VALUES ('x', 's', 't', 1)",
        );
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await applyEvents(pooled, [v2, v1])).toEqual(["applied", "stale"]);

    expect(await count("processed_events")).toBe(2);
    expect(released.map((error) => error?.message)).toEqual(["boom", undefined]);
  });
});

describe("the webhook receiver", () => {
  let server: Server;
  let url: string;
  const secret = newWebhookEndpoint({ id: "x", url: "https://x", now: new Date() }).secrets[0]
    ?.secret as string;

  beforeAll(async () => {
    server = createServer(
      createWebhookHandler({ db, secrets: ["whsec_b2xkIHNlY3JldCBvbGQgc2VjcmV0IQ==", secret] }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("receives signed deliveries from the webhook engine and syncs the rows", async () => {
    const store = new MemoryWebhookStore();
    const now = new Date();
    await store.putEndpoint(newWebhookEndpoint({ id: "ep", url, now, secret }));
    for (const event of history()) await fanOutEvent(store, event, now);

    for (let pass = 0; pass < 4; pass++) {
      await dispatchDueDeliveries({ store, now: () => new Date(), delivery: { allowLocalHttp: true } });
    }

    expect((await store.attempts("ep")).map((attempt) => attempt.status)).toEqual([204, 204, 204, 204]);
    expect(await row()).toMatchObject({ version: 4, status: "disabled" });
  });

  it.each([
    ["a wrong signature", "whsec_d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldA==", (id: string) => id, 401],
    ["a webhook-id that is not the event id", secret, (id: string) => `${id}-other`, 400],
  ])("refuses %s", async (_, signingSecret, idFor, status) => {
    const [event] = history() as [LifecycleEvent];
    const body = JSON.stringify(event);
    const headers = signWebhook(idFor(event.id), body, [signingSecret], new Date());
    const outcome = await deliverWebhook({ url, headers: { ...headers }, body }, { allowLocalHttp: true });
    expect(outcome).toMatchObject({ kind: "response", status });
    expect(await count("users")).toBe(0);
  });
});
