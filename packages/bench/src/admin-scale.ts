import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  AdminCognito,
  type AdminRuntime,
  createAdminRuntime,
  reconcile,
  UserDirectory,
  type UserFilter,
} from "@cognito-lifecycle/admin";
import {
  cognitoClient,
  DynamoUserStore,
  dynamoClient,
  profileItem,
  roleItem,
  SesMailer,
  sesClient,
} from "@cognito-lifecycle/aws";
import { type LifecycleConfig, newUserRecord, type UserRecord } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { poolId } from "./events.ts";
import type { FakeCognito } from "./fake-cognito.ts";
import { countRoundTrips, RoundTripCounter } from "./middleware.ts";
import type { LocalEndpoints } from "./runtime.ts";
import { type Distribution, distribution, pool, round } from "./stats.ts";

const dayMs = 86_400_000;
const epoch = Date.parse("2025-01-01T00:00:00.000Z");

/** The i-th synthetic user: 1 in 100 an admin, 1 in 50 disabled, created over a year. */
export function syntheticUser(config: LifecycleConfig, index: number): UserRecord {
  const id = index.toString().padStart(6, "0");
  const createdAt = new Date(epoch + Math.floor((index * 365 * dayMs) / 100_000)).toISOString();
  const record = newUserRecord(config, {
    sub: `00000000-0000-4000-8000-${id.padStart(12, "0")}`,
    username: `user${id}`,
    attributes: { email: `user${id}@example.com`, email_verified: "true", name: `User ${id}`, locale: "en" },
    source: "sign-up",
    now: createdAt,
    confirmed: true,
  });
  return {
    ...record,
    roles: index % 100 === 0 ? [...new Set([...record.roles, "admin"])].sort() : record.roles,
    status: index % 50 === 7 ? "disabled" : "active",
    welcomeEmail: { status: "sent", at: createdAt, attempts: 1, messageId: `seed-${id}` },
  };
}

/** Writes `count` users (profile + one item per role) with BatchWriteItem, `concurrency` batches in flight. */
export async function seedUsers(
  db: DynamoDBDocumentClient,
  config: LifecycleConfig,
  tableName: string,
  count: number,
  concurrency = 8,
): Promise<{ items: number; seconds: number }> {
  const started = Date.now();
  const usersPerBatch = 12; // profile + role items: at most 25 items per BatchWriteItem
  const batches = Math.ceil(count / usersPerBatch);
  let items = 0;
  const seed = { timeouts: 0 };
  await pool(concurrency, batches, async (batch) => {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] = [];
    for (let index = batch * usersPerBatch; index < Math.min(count, (batch + 1) * usersPerBatch); index++) {
      const record = syntheticUser(config, index);
      requests.push({ PutRequest: { Item: profileItem(record) } });
      for (const role of record.roles) requests.push({ PutRequest: { Item: roleItem(record, role) } });
    }
    items += requests.length;
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await seedingAttempt(
        () => db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } })),
        seed,
      );
      if (result) requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  });
  return { items, seconds: round((Date.now() - started) / 1000, 1) };
}

/** Timed-out batches a seed tries again before it gives up (the puts are idempotent). */
const seedTimeoutRetries = 8;

/**
 * One BatchWriteItem of a seed. DynamoDB Local on a loaded machine can take longer than the
 * client's request timeout for one batch: that batch is sent again (undefined: retry all of it)
 * instead of losing the whole run, up to `seedTimeoutRetries` times per seed.
 */
async function seedingAttempt<T>(send: () => Promise<T>, seed: { timeouts: number }): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if ((error as Error).name !== "TimeoutError" || ++seed.timeouts > seedTimeoutRetries) throw error;
    return undefined;
  }
}

export interface ListingResult {
  listing: string;
  items: number;
  queries_per_page: number;
  /** Read capacity units consumed per page, as DynamoDB reports them. */
  read_units_per_page: number;
  units_per_item: number;
  within_2x: boolean;
  latency_ms: Distribution;
}

/** A search or order page: its cost is bounded by the read budget rather than one query. */
export interface SearchResult {
  search: string;
  items: number;
  queries_per_page: number;
  read_units_per_page: number;
  /** Index entries the page read to find its rows (`searched`; the read budget caps it). */
  entries_read_per_page: number;
  /** The goal: at most the read budget's entries, each costing at most 1 KB (0.125 units). */
  within_budget: boolean;
  latency_ms: Distribution;
}

/** What a search page may read: the directory's default read budget. */
export const searchReadBudget = 3000;

export interface AdminScaleResult {
  users: number;
  items_written: number;
  seed_seconds: number;
  listings: ListingResult[];
  searches: SearchResult[];
  via: string;
  reconcile?: ReconcileResult;
}

export interface ReconcileResult {
  cognito_users: number;
  missing_records: number;
  /** Existing records whose welcome email was still pending. */
  pending_welcome: number;
  seconds: number;
  users_per_second: number;
  cognito_calls: number;
  cognito_calls_per_user: number;
  cognito_calls_by_operation: Record<string, number>;
  created: number;
  welcome_emails_sent: number;
  dynamodb_round_trips_per_user: number;
}

/**
 * Admin listings over `users` synthetic users: each listing's first page of 50 (newest first,
 * by role, by status, by email prefix) through packages/admin's UserDirectory, `repeat` times,
 * with the DynamoDB requests and consumed capacity counted by client middleware.
 */
export async function measureListings(options: {
  config: LifecycleConfig;
  tableName: string;
  users: number;
  repeat: number;
  seed: boolean;
}): Promise<AdminScaleResult> {
  const { config, tableName } = options;
  const counter = new RoundTripCounter();
  // DynamoDB Local on a loaded 2-core machine can take over 10 s for one batch of the seed or a
  // page that reads the whole read budget: latencies are measured, not capped by the client.
  const db = dynamoClient({ requestMs: 60_000, maxAttempts: 3 });
  countRoundTrips(db, "dynamodb", counter);
  const seeded = options.seed
    ? await seedUsers(db, config, tableName, options.users)
    : { items: 0, seconds: 0 };
  const directory = new UserDirectory(db, tableName);
  const listings: [string, UserFilter][] = [
    ["newest first (creation time)", {}],
    ['by role "admin"', { role: "admin" }],
    ['by status "disabled"', { status: "disabled" }],
    ['by email prefix "user001"', { emailPrefix: "user001" }],
  ];
  const results: ListingResult[] = [];
  for (const [name, filter] of listings) {
    const times: number[] = [];
    let items = 0;
    counter.reset();
    for (let run = 0; run < options.repeat; run++) {
      const started = process.hrtime.bigint();
      const page = await directory.listUsers(filter, { limit: 50 });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      items = page.items.length;
    }
    const queries = counter.count("dynamodb", "Query") / options.repeat;
    const units = counter.readCapacity / options.repeat;
    results.push({
      listing: name,
      items,
      queries_per_page: round(queries, 2),
      read_units_per_page: round(units, 2),
      units_per_item: items > 0 ? round(units / items, 3) : 0,
      within_2x: items > 0 && units <= 2 * items && counter.count("dynamodb", "Scan") === 0,
      latency_ms: roundDistribution(distribution(times)),
    });
  }
  const searches = await measureSearches(directory, counter, options.repeat, options.users);
  db.destroy();
  return {
    users: options.users,
    items_written: seeded.items,
    seed_seconds: seeded.seconds,
    listings: results,
    searches,
    via: "UserDirectory.listUsers from packages/admin",
  };
}

/**
 * One page of 50 for each kind of search (issue #19 feature 2) and for the email order: a sub and
 * a whole email are one key read; a substring or a domain is a filter over the creation index
 * under the read budget, measured where it matches everyone and where it matches almost nobody.
 */
async function measureSearches(
  directory: UserDirectory,
  counter: RoundTripCounter,
  repeat: number,
  users: number,
): Promise<SearchResult[]> {
  const newest = String(Math.floor((users - 1) / 10)).padStart(5, "0");
  const searches: [string, UserFilter][] = [
    ["sub (one item)", { q: `00000000-0000-4000-8000-${"42".padStart(12, "0")}` }],
    ["whole email (email index)", { q: "user000042@example.com" }],
    ['domain "@example.com" (every user matches)', { q: "@example.com" }],
    ['domain "@example.org" (nobody matches)', { q: "@example.org" }],
    // Newest first: the oldest ten are the last a search reaches, so the first page finds none.
    ['email contains "user00001" (the 10 oldest users)', { q: "user00001" }],
    [`name contains "User ${newest}" (the 10 newest users)`, { q: `User ${newest}` }],
    ["sorted by email A to Z", { sort: "email" }],
  ];
  const results: SearchResult[] = [];
  for (const [name, filter] of searches) {
    const times: number[] = [];
    let items = 0;
    let read = 0;
    counter.reset();
    for (let run = 0; run < repeat; run++) {
      const started = process.hrtime.bigint();
      const page = await directory.listUsers(filter, { limit: 50 });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      items = page.items.length;
      read = page.searched ?? items;
    }
    const units = counter.readCapacity / repeat;
    results.push({
      search: name,
      items,
      queries_per_page: round(counter.count("dynamodb", "Query") / repeat, 2),
      read_units_per_page: round(units, 2),
      entries_read_per_page: read,
      within_budget: read <= searchReadBudget + 50 && units <= Math.max(1, 0.125 * read),
      latency_ms: roundDistribution(distribution(times)),
    });
  }
  return results;
}

function roundDistribution(value: Distribution): Distribution {
  return { n: value.n, p50: round(value.p50, 2), p99: round(value.p99, 2), mean: round(value.mean, 2) };
}

/**
 * Fills the fake Cognito with `users` users and the table with the records of nine in ten of
 * them, one in 50 of those still waiting for its welcome email (SES was down when it confirmed).
 */
async function seedReconcile(
  config: LifecycleConfig,
  tableName: string,
  cognito: FakeCognito,
  users: number,
): Promise<{ existing: number; pendingWelcome: number }> {
  cognito.users.clear();
  cognito.calls.clear();
  const existing: UserRecord[] = [];
  for (let index = 0; index < users; index++) {
    const record = syntheticUser(config, 500_000 + index);
    cognito.addUser(
      record.username,
      {
        sub: record.sub,
        email: record.email ?? "",
        email_verified: "true",
        name: record.name ?? "",
        locale: "en",
      },
      { createdAt: new Date(record.createdAt) },
    );
    if (record.roles.includes("admin")) cognito.users.get(record.username)?.groups.push("admins");
    if (index % 10 !== 0)
      existing.push({
        ...record,
        status: "active",
        groups: record.roles.includes("admin") ? ["admins"] : [],
        ...(index % 50 === 1
          ? { welcomeEmail: { status: "pending" as const, at: record.createdAt, attempts: 1 } }
          : {}),
      });
  }
  const seedDb = dynamoClient({ requestMs: 60_000, maxAttempts: 3 });
  await pool(8, Math.ceil(existing.length / 12), async (batch) => {
    const slice = existing.slice(batch * 12, batch * 12 + 12);
    const requests = slice.flatMap((record) => [
      { PutRequest: { Item: profileItem(record) } },
      ...record.roles.map((role) => ({ PutRequest: { Item: roleItem(record, role) } })),
    ]);
    await seedDb.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
  });
  seedDb.destroy();
  cognito.calls.clear();
  const pendingWelcome = existing.filter((record) => record.welcomeEmail?.status === "pending").length;
  return { existing: existing.length, pendingWelcome };
}

/**
 * The admin runtime as packages/admin builds it, with its AWS clients swapped for the same
 * clients carrying the counting middleware (admin timeouts: 5 s per request, 3 attempts).
 */
function countedAdminRuntime(
  options: { config: LifecycleConfig; tableName: string; endpoints: LocalEndpoints },
  counter: RoundTripCounter,
): AdminRuntime {
  const base = createAdminRuntime({
    config: options.config,
    region: localRegion,
    tableName: options.tableName,
    userPoolId: poolId,
    clientId: "benchclient0001",
    endpoints: options.endpoints,
    credentials: localCredentials,
  });
  const timeouts = { requestMs: 5000, maxAttempts: 3 };
  const db = dynamoClient(timeouts);
  const ses = sesClient(timeouts);
  const cognitoSdk = cognitoClient(timeouts);
  countRoundTrips(db, "dynamodb", counter);
  countRoundTrips(ses, "ses", counter);
  countRoundTrips(cognitoSdk, "cognito", counter);
  return {
    ...base,
    store: new DynamoUserStore(db, options.tableName),
    directory: new UserDirectory(db, options.tableName),
    cognito: new AdminCognito(cognitoSdk, poolId),
    mailer: new SesMailer(ses),
    close: () => {
      base.close();
      db.destroy();
      ses.destroy();
      cognitoSdk.destroy();
    },
  };
}

/**
 * Reconcile (packages/admin) of `users` Cognito users, served by the fake Cognito, against a
 * table that lacks every tenth of them and holds some with a welcome email still pending: it
 * must create the missing records, send the pending emails, and find the rest unchanged.
 * Reports users/s and Cognito calls per user.
 */
export async function measureReconcile(options: {
  config: LifecycleConfig;
  tableName: string;
  users: number;
  cognito: FakeCognito;
  endpoints: LocalEndpoints;
}): Promise<ReconcileResult> {
  const { config, tableName, cognito, users } = options;
  const seeded = await seedReconcile(config, tableName, cognito, users);
  const counter = new RoundTripCounter();
  const runtime = countedAdminRuntime(options, counter);
  const started = Date.now();
  const report = await reconcile(runtime, { apply: true, detailLimit: 0 });
  const seconds = (Date.now() - started) / 1000;
  runtime.close();
  const calls = counter.total("cognito");
  return {
    cognito_users: report.counts.cognitoUsers,
    missing_records: users - seeded.existing,
    pending_welcome: seeded.pendingWelcome,
    seconds: round(seconds, 1),
    users_per_second: round(report.counts.cognitoUsers / seconds, 0),
    cognito_calls: calls,
    cognito_calls_per_user: round(calls / users, 3),
    cognito_calls_by_operation: Object.fromEntries([...cognito.calls.entries()].sort()),
    created: report.counts.created,
    welcome_emails_sent: counter.count("ses", "SendEmail"),
    dynamodb_round_trips_per_user: round(counter.total("dynamodb") / users, 3),
  };
}
