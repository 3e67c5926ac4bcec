import { randomUUID } from "node:crypto";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  auditItem,
  createToken,
  dynamoClient,
  itemKeys,
  profileItem,
  roleItem,
  userTable,
} from "@cognito-lifecycle/aws";
import { type LifecycleConfig, newUserRecord, type UserRecord } from "@cognito-lifecycle/core";
import {
  customMessageEvent,
  postAuthenticationEvent,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
  type UserShape,
} from "./events.ts";
import { countRoundTrips, RoundTripCounter } from "./middleware.ts";
import { type Handler, instrumentedRuntime, type TriggerName, triggerHandlers } from "./runtime.ts";
import { bootstrapRatio, type Distribution, distribution, round } from "./stats.ts";

export interface LatencyResult {
  scenario: string;
  trigger: TriggerName;
  /** What the floor does: the raw SDK calls the trigger must make, issued directly. */
  floor: string;
  trigger_ms: Distribution;
  floor_ms: Distribution;
  /** p99(trigger) / p99(floor); null when the floor makes no call (no meaningful ratio). */
  p99_ratio: number | null;
  /**
   * How far the p99 ratio moves when the batches are resampled (block bootstrap, batch pairs
   * drawn together): the interval a goal is judged on. null with no floor.
   */
  p99_ratio_interval: { low: number; high: number; resamples: number; batches: number } | null;
  /** Invocations per batch: each side runs a batch in turn (see `measureLatency`). */
  batch_size: number;
  p50_ratio: number | null;
  /** CPU time (user + system) per invocation, mean: the part that grows on a smaller Lambda. */
  trigger_cpu_ms: number;
  floor_cpu_ms: number;
  /** An extra floor that repeats every call the trigger makes, where that differs from the budget. */
  same_calls_floor?: { floor: string; floor_ms: Distribution; p99_ratio: number; p50_ratio: number };
  /** Round trips per invocation, by service:command (retries would count too). */
  round_trips: Record<string, number>;
  round_trips_total: number;
  /** The design's budget for this path. */
  budget: string;
  within_budget: boolean;
  /** DynamoDB capacity per invocation as DynamoDB Local reports it. */
  capacity: { read: number; write: number };
}

interface Scenario {
  name: string;
  trigger: TriggerName;
  floor: string;
  budget: string;
  /** Allowed round trips per invocation, by service:command. */
  allowed: Record<string, number>;
  setup?: () => Promise<void>;
  invoke: (index: number) => Promise<void>;
  /** Absent for triggers that must make no call: their floor is an empty async handler. */
  floorCall?: (index: number) => Promise<void>;
  sameCalls?: { floor: string; call: (index: number) => Promise<void> };
}

const identity = async <T>(value: T): Promise<T> => value;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A new user for `index`: unique across runs against the same table. */
export function user(prefix: string, index: number): UserShape {
  return {
    sub: `${prefix}-${index.toString().padStart(6, "0")}-${randomUUID().slice(0, 8)}`,
    email: `${prefix}.${index}@example.com`,
    name: `Bench User ${index}`,
    locale: "en",
  };
}

async function seedUsers(
  db: DynamoDBDocumentClient,
  config: LifecycleConfig,
  tableName: string,
  users: UserShape[],
): Promise<void> {
  const now = new Date().toISOString();
  for (const shape of users) {
    const record = recordFor(config, shape, now);
    await db.send(new PutCommand({ TableName: tableName, Item: profileItem(record) }));
  }
}

function recordFor(config: LifecycleConfig, shape: UserShape, now: string): UserRecord {
  const record = newUserRecord(config, {
    sub: shape.sub,
    username: shape.sub,
    attributes: { email: shape.email, email_verified: "true", name: shape.name ?? "", locale: "en" },
    source: "sign-up",
    now,
    confirmed: true,
  });
  record.welcomeEmail = { status: "sending", at: now, attempts: 1 };
  return record;
}

/** What the scenarios run against: the trigger handlers and the floor's own client. */
interface ScenarioContext {
  config: LifecycleConfig;
  tableName: string;
  handlers: Record<TriggerName, Handler>;
  floorDb: DynamoDBDocumentClient;
  total: number;
}

/** The scenarios as a table: one literal per trigger path (long because it is data, not logic). */
function scenariosFor(context: ScenarioContext): Scenario[] {
  const { config, tableName, handlers, floorDb, total } = context;
  const readers = Array.from({ length: 200 }, (_, index) => user("reader", index));
  const signUps = Array.from({ length: total }, (_, index) => user("signup", index));
  const floorSignUps = Array.from({ length: total }, (_, index) => user("floor-signup", index));
  const pick = (index: number) => readers[index % readers.length] as UserShape;
  const profileKey = (index: number) => ({
    [userTable.partitionKey]: itemKeys.user(pick(index).sub),
    [userTable.sortKey]: itemKeys.profile,
  });
  return [
    {
      name: "pre token generation (V2, existing user)",
      trigger: "pre-token-generation",
      floor: "GetItem (strongly consistent) of the profile",
      budget: "1 read",
      allowed: { "dynamodb:GetItem": 1 },
      setup: () => seedUsers(floorDb, config, tableName, readers),
      invoke: async (index) => {
        await handlers["pre-token-generation"](preTokenEvent(pick(index)));
      },
      floorCall: async (index) => {
        await floorDb.send(
          new GetCommand({ TableName: tableName, Key: profileKey(index), ConsistentRead: true }),
        );
      },
    },
    {
      name: "post confirmation (new user)",
      trigger: "post-confirmation",
      // The welcome email is the events function's (issue #14): one write on Cognito's path.
      floor: "TransactWriteItems (profile + role + audit with its user.created event)",
      budget: "1 write",
      allowed: { "dynamodb:TransactWriteItems": 1 },
      invoke: async (index) => {
        await handlers["post-confirmation"](postConfirmationEvent(signUps[index] as UserShape));
      },
      floorCall: async (index) => {
        await createRecord(floorDb, config, tableName, floorSignUps[index] as UserShape, {
          withToken: true,
        });
      },
    },
    {
      // A retry within 10 minutes of the first attempt reuses the create's ClientRequestToken with
      // other parameters (a new createdAt): DynamoDB refuses it with IdempotentParameterMismatch,
      // which does not say whether the first attempt wrote, so one read decides (docs/decisions.md).
      name: "post confirmation (retry of a confirmed user)",
      trigger: "post-confirmation",
      floor: "TransactWriteItems refused by its token + GetItem of the profile",
      budget: "1 write + 1 read (within the token's 10 minutes), 0 sends",
      allowed: { "dynamodb:TransactWriteItems": 1, "dynamodb:GetItem": 1 },
      invoke: async (index) => {
        await handlers["post-confirmation"](postConfirmationEvent(signUps[index] as UserShape));
      },
      floorCall: async (index) => {
        const shape = floorSignUps[index] as UserShape;
        await createRecord(floorDb, config, tableName, shape, { withToken: true }).catch(
          async (error: Error) => {
            if (error.name === "TransactionCanceledException") return;
            if (error.name !== "IdempotentParameterMismatchException") throw error;
            await floorDb.send(
              new GetCommand({
                TableName: tableName,
                Key: {
                  [userTable.partitionKey]: itemKeys.user(shape.sub),
                  [userTable.sortKey]: itemKeys.profile,
                },
                ConsistentRead: true,
              }),
            );
          },
        );
      },
    },
    {
      name: "post authentication",
      trigger: "post-authentication",
      floor: "UpdateItem of lastSignInAt (conditional)",
      budget: "1 write",
      allowed: { "dynamodb:UpdateItem": 1 },
      invoke: async (index) => {
        await handlers["post-authentication"](postAuthenticationEvent(pick(index)));
      },
      floorCall: async (index) => {
        await floorDb.send(
          new UpdateCommand({
            TableName: tableName,
            Key: profileKey(index),
            UpdateExpression: "SET #field = :at, updatedAt = :at",
            ConditionExpression: "attribute_exists(#pk)",
            ExpressionAttributeNames: { "#field": "lastSignInAt", "#pk": userTable.partitionKey },
            ExpressionAttributeValues: { ":at": new Date().toISOString() },
          }),
        );
      },
    },
    {
      name: "pre sign-up (self sign-up, linking off)",
      trigger: "pre-sign-up",
      floor: "none (an empty async handler)",
      budget: "0 calls",
      allowed: {},
      invoke: async (index) => {
        await handlers["pre-sign-up"](preSignUpEvent(signUps[index] as UserShape));
      },
    },
    {
      name: "custom message (sign-up code)",
      trigger: "custom-message",
      floor: "none (an empty async handler)",
      budget: "0 calls",
      allowed: {},
      invoke: async (index) => {
        await handlers["custom-message"](customMessageEvent(pick(index)));
      },
    },
  ];
}

/** One side of a scenario (the trigger, its floor, a same-calls floor): its samples, batch by batch. */
interface Side {
  run: (index: number) => Promise<unknown>;
  batches: number[][];
  cpuMs: number;
  /** The next invocation's index: each side goes through the same users in the same order. */
  next: number;
}

function sidesOf(scenario: Scenario): Side[] {
  const side = (run: Side["run"]): Side => ({ run, batches: [], cpuMs: 0, next: 0 });
  return [
    side(scenario.invoke),
    side(scenario.floorCall ?? identity),
    ...(scenario.sameCalls ? [side(scenario.sameCalls.call)] : []),
  ];
}

/** Runs `count` invocations of one side back to back; records them unless it is warm-up. */
async function runBatch(side: Side, count: number, record: boolean): Promise<void> {
  const times: number[] = [];
  for (let step = 0; step < count; step++) {
    const index = side.next++;
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    await side.run(index);
    if (!record) continue;
    times.push(ms(start));
    const used = process.cpuUsage(cpuBefore);
    side.cpuMs += (used.user + used.system) / 1000;
  }
  if (record) side.batches.push(times);
}

/**
 * Interleaved batches: a batch of the trigger, then a batch of its floor (then of the same-calls
 * floor), rotating which side goes first, until every side has run `warmup + iterations`. Both
 * sides see the same stretches of machine load, and each batch keeps its own samples so the
 * ratio's spread can be judged by resampling batches.
 */
async function runScenario(
  scenario: Scenario,
  options: { iterations: number; warmup: number; batchSize: number; onMeasuring: () => void },
): Promise<Side[]> {
  const sides = sidesOf(scenario);
  for (let round = 0; round * options.batchSize < options.warmup; round++) {
    const count = Math.min(options.batchSize, options.warmup - round * options.batchSize);
    for (const side of sides) await runBatch(side, count, false);
  }
  options.onMeasuring();
  for (let round = 0; round * options.batchSize < options.iterations; round++) {
    const count = Math.min(options.batchSize, options.iterations - round * options.batchSize);
    // Rotate the order so no side always runs first (on a warmer cache or a quieter CPU).
    for (let step = 0; step < sides.length; step++) {
      await runBatch(sides[(round + step) % sides.length] as Side, count, true);
    }
  }
  return sides;
}

/** The scenario's figures from its sides' samples and the round trips counted while measuring. */
function summarize(
  scenario: Scenario,
  sides: Side[],
  counter: RoundTripCounter,
  options: { iterations: number; batchSize: number },
): LatencyResult {
  const { iterations } = options;
  const [trigger, floor, same] = sides as [Side, Side, Side | undefined];
  const trips = Object.fromEntries(
    Object.entries(counter.byCommand()).map(([key, count]) => [key, round(count / iterations, 3)]),
  );
  const triggerMs = distribution(trigger.batches.flat());
  const floorMs = distribution(floor.batches.flat());
  const hasFloor = scenario.floorCall !== undefined;
  const interval = hasFloor ? bootstrapRatio(trigger.batches, floor.batches, { paired: true }) : undefined;
  const withinBudget =
    Object.entries(trips).every(([key, count]) => count <= (scenario.allowed[key] ?? 0)) &&
    Object.keys(trips).every((key) => key in scenario.allowed);
  return {
    scenario: scenario.name,
    trigger: scenario.trigger,
    floor: scenario.floor,
    trigger_ms: roundDistribution(triggerMs),
    floor_ms: roundDistribution(floorMs, 4),
    p99_ratio: hasFloor ? round(triggerMs.p99 / floorMs.p99) : null,
    p99_ratio_interval: interval
      ? {
          low: round(interval.low),
          high: round(interval.high),
          resamples: interval.resamples,
          batches: interval.blocks,
        }
      : null,
    batch_size: options.batchSize,
    trigger_cpu_ms: round(trigger.cpuMs / iterations, 3),
    floor_cpu_ms: round(floor.cpuMs / iterations, 3),
    p50_ratio: hasFloor ? round(triggerMs.p50 / floorMs.p50) : null,
    ...(scenario.sameCalls && same
      ? { same_calls_floor: sameCallsFigures(scenario.sameCalls.floor, triggerMs, same) }
      : {}),
    round_trips: trips,
    round_trips_total: round(counter.total() / iterations, 3),
    budget: scenario.budget,
    within_budget: withinBudget,
    capacity: {
      read: round(counter.readCapacity / iterations, 3),
      write: round(counter.writeCapacity / iterations, 3),
    },
  };
}

function sameCallsFigures(floor: string, triggerMs: Distribution, side: Side) {
  const sameMs = distribution(side.batches.flat());
  return {
    floor,
    floor_ms: roundDistribution(sameMs),
    p99_ratio: round(triggerMs.p99 / sameMs.p99),
    p50_ratio: round(triggerMs.p50 / sameMs.p50),
  };
}

/**
 * Warm latency of every trigger against its floor, in interleaved batches (see `runScenario`).
 * The clients on both sides are built by the production factories and carry the same counting
 * middleware; only the trigger's round trips are counted against its budget.
 */
export async function measureLatency(options: {
  config: LifecycleConfig;
  tableName: string;
  iterations: number;
  warmup: number;
  batchSize?: number;
}): Promise<LatencyResult[]> {
  const { config, tableName, iterations, warmup } = options;
  const batchSize = options.batchSize ?? 25;
  const instrumented = instrumentedRuntime({ config, tableName });
  const floorCounter = new RoundTripCounter();
  const floorDb = dynamoClient(config.timeouts);
  countRoundTrips(floorDb, "dynamodb", floorCounter);
  const handlers = triggerHandlers(instrumented.runtime);
  const scenarios = scenariosFor({ config, tableName, handlers, floorDb, total: iterations + warmup });
  const results: LatencyResult[] = [];
  for (const scenario of scenarios) {
    await scenario.setup?.();
    const sides = await runScenario(scenario, {
      iterations,
      warmup,
      batchSize,
      onMeasuring: () => {
        instrumented.counter.reset();
        floorCounter.reset();
      },
    });
    results.push(summarize(scenario, sides, instrumented.counter, { iterations, batchSize }));
  }
  instrumented.destroy();
  floorDb.destroy();
  return results;
}

function roundDistribution(value: Distribution, digits = 3): Distribution {
  return {
    n: value.n,
    p50: round(value.p50, digits),
    p99: round(value.p99, digits),
    mean: round(value.mean, digits),
  };
}

/** What post confirmation must do for a new user, issued directly: the floor. */
export async function createRecord(
  db: DynamoDBDocumentClient,
  config: LifecycleConfig,
  tableName: string,
  shape: UserShape,
  options: { withToken?: boolean } = {},
): Promise<void> {
  const now = new Date().toISOString();
  const record = recordFor(config, shape, now);
  await db.send(
    new TransactWriteCommand({
      // Post confirmation's own token, so the floor pays what the trigger's retries pay.
      ...(options.withToken ? { ClientRequestToken: createToken(record.sub, "post-confirmation") } : {}),
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: profileItem(record),
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": userTable.partitionKey },
          },
        },
        ...record.roles.map((role) => ({ Put: { TableName: tableName, Item: roleItem(record, role) } })),
        {
          Put: {
            TableName: tableName,
            Item: auditItem({
              audit: {
                sub: record.sub,
                id: randomUUID(),
                at: now,
                actor: "system:post-confirmation",
                action: "user.created",
                details: { roles: record.roles, source: record.source },
              },
              after: record,
            }),
          },
        },
      ],
    }),
  );
}
