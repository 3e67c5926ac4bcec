import type { LifecycleEvent } from "@cognito-lifecycle/core";

/** The little of a Postgres client this needs: node-postgres, PGlite and most drivers fit. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
export interface SqlDatabase {
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * The app's copy of its users, and the ids of the events already applied. Plain PostgreSQL
 * (9.5+: ON CONFLICT, text[], timestamptz): it runs unchanged on RDS and Aurora PostgreSQL.
 */
export const schemaSql = `
CREATE TABLE IF NOT EXISTS users (
  sub             text PRIMARY KEY,
  version         integer NOT NULL,
  username        text,
  email           text,
  email_verified  boolean NOT NULL DEFAULT false,
  name            text,
  locale          text,
  status          text NOT NULL,
  roles           text[] NOT NULL DEFAULT '{}',
  groups          text[] NOT NULL DEFAULT '{}',
  source          text,
  created_at      timestamptz,
  confirmed_at    timestamptz,
  last_sign_in_at timestamptz,
  updated_at      timestamptz,
  deleted_at      timestamptz,
  erased          boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS processed_events (
  event_id     text PRIMARY KEY,
  sub          text NOT NULL,
  type         text NOT NULL,
  version      integer NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);`;

export type ApplyOutcome = "applied" | "stale" | "duplicate";

/**
 * Upserts the record the event carries unless the row already holds this version or a later
 * one, so a late or replayed event never regresses a row, and an erased row never comes back.
 */
const upsertSql = `
INSERT INTO users AS u (sub, version, username, email, email_verified, name, locale, status, roles, groups,
  source, created_at, confirmed_at, last_sign_in_at, updated_at, deleted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::text[], $11, $12::timestamptz, $13::timestamptz,
  $14::timestamptz, $15::timestamptz, $16::timestamptz)
ON CONFLICT (sub) DO UPDATE SET
  version = EXCLUDED.version, username = EXCLUDED.username, email = EXCLUDED.email,
  email_verified = EXCLUDED.email_verified, name = EXCLUDED.name, locale = EXCLUDED.locale,
  status = EXCLUDED.status, roles = EXCLUDED.roles, groups = EXCLUDED.groups, source = EXCLUDED.source,
  created_at = EXCLUDED.created_at, confirmed_at = EXCLUDED.confirmed_at,
  last_sign_in_at = GREATEST(u.last_sign_in_at, EXCLUDED.last_sign_in_at),
  updated_at = EXCLUDED.updated_at, deleted_at = COALESCE(EXCLUDED.deleted_at, u.deleted_at)
WHERE u.version < EXCLUDED.version AND NOT u.erased
RETURNING sub`;

/** Erasure wins whatever its order: every personal field goes, only a tombstone stays. */
const eraseSql = `
INSERT INTO users AS u (sub, version, status, erased, deleted_at)
VALUES ($1, $2, 'deleted', true, $3::timestamptz)
ON CONFLICT (sub) DO UPDATE SET
  version = GREATEST(u.version, EXCLUDED.version), username = NULL, email = NULL, email_verified = false,
  name = NULL, locale = NULL, status = 'deleted', roles = '{}', groups = '{}', source = NULL,
  last_sign_in_at = NULL, deleted_at = COALESCE(u.deleted_at, EXCLUDED.deleted_at), erased = true
RETURNING sub`;

/** A sign-in does not change the version: it only moves `last_sign_in_at` forward. */
const signedInSql = `
UPDATE users SET last_sign_in_at = GREATEST(last_sign_in_at, $2::timestamptz)
WHERE sub = $1 AND NOT erased AND (last_sign_in_at IS NULL OR last_sign_in_at < $2::timestamptz)
RETURNING sub`;

function upsertParams(event: LifecycleEvent): unknown[] {
  const record = event.data.record;
  if (!record) throw new Error(`${event.type} event ${event.id} carries no record`);
  return [
    record.sub,
    event.data.version,
    record.username,
    record.email ?? null,
    record.emailVerified,
    record.name ?? null,
    record.locale ?? null,
    record.status,
    record.roles,
    record.groups,
    record.source,
    record.createdAt,
    record.confirmedAt ?? null,
    record.lastSignInAt ?? null,
    record.updatedAt,
    record.status === "deleted" ? event.timestamp : null,
  ];
}

async function applyChange(tx: SqlClient, event: LifecycleEvent): Promise<boolean> {
  if (event.type === "user.erased") {
    await tx.query(eraseSql, [event.data.sub, event.data.version, event.timestamp]);
    return true;
  }
  if (event.type === "user.signed_in") {
    const at = event.data.record?.lastSignInAt ?? event.timestamp;
    return (await tx.query(signedInSql, [event.data.sub, at])).rows.length > 0;
  }
  return (await tx.query(upsertSql, upsertParams(event))).rows.length > 0;
}

/**
 * Applies one event inside `tx`. The event id is claimed first: a duplicate changes nothing.
 * Run it in the same transaction as the app's other effects of the event, if any.
 */
export async function applyEvent(tx: SqlClient, event: LifecycleEvent): Promise<ApplyOutcome> {
  const claimed = await tx.query(
    `INSERT INTO processed_events (event_id, sub, type, version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [event.id, event.data.sub, event.type, event.data.version],
  );
  if (claimed.rows.length === 0) return "duplicate";
  return (await applyChange(tx, event)) ? "applied" : "stale";
}

/** Applies a batch all or nothing: a crash part-way rolls it back, and redelivery applies it once. */
export function applyEvents(db: SqlDatabase, events: readonly LifecycleEvent[]): Promise<ApplyOutcome[]> {
  return db.transaction(async (tx) => {
    const outcomes: ApplyOutcome[] = [];
    for (const event of events) outcomes.push(await applyEvent(tx, event));
    return outcomes;
  });
}

export async function createSchema(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    for (const statement of schemaSql.split(";").filter((sql) => sql.trim() !== ""))
      await tx.query(statement);
  });
}

/** node-postgres `Pool`, described by shape so this package does not depend on `pg`. */
export interface PgPool {
  connect(): Promise<SqlClient & { release(error?: Error): void }>;
}

/** A `SqlDatabase` over a node-postgres pool (RDS, Aurora, any Postgres). */
export function pgPoolDatabase(pool: PgPool): SqlDatabase {
  return {
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        // A connection in an unknown state is discarded, not returned to the pool.
        client.release(error as Error);
        throw error;
      }
    },
  };
}
