import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoClient, ensureUserTable } from "@cognito-lifecycle/aws";
import {
  DynamoWebhookStore,
  deliverWebhook,
  newWebhookEndpoint,
  newWebhookSecret,
  signWebhook,
  webhookUrlPolicy,
} from "@cognito-lifecycle/aws/webhooks";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import {
  defaultPollIntervalMs,
  freePort,
  type InboxDelivery,
  localAccount,
  localCredentials,
  localFunctions,
  localRegion,
  type RunningService,
  type StreamHandler,
  startLocalEventBridge,
  startScheduler,
  startStreamPoller,
  startWebhookInbox,
  type WebhookInbox,
} from "@cognito-lifecycle/local";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { repoRoot } from "./cold-start.ts";
import { postConfirmationEvent, type UserShape } from "./events.ts";
import { createRecord, user } from "./latency.ts";
import { instrumentedRuntime, triggerHandlers } from "./runtime.ts";
import {
  bootstrapRatio,
  type Distribution,
  distribution,
  pool,
  type RatioInterval,
  round,
  seededRandom,
} from "./stats.ts";

export interface EventPathResult {
  /** The stream poller's pause between polls of an idle stream (the local stack's default). */
  poll_interval_ms: number;
  /** How often the scheduled webhook dispatcher runs here (5 s in `npm start`, 1 min on AWS). */
  dispatch_interval_ms: number;
  latency: {
    events: number;
    /** Post confirmation's commit acknowledged -> the signed delivery received on 127.0.0.1. */
    commit_to_receipt_ms: Distribution;
    /** Commit -> the events function handed the stream record (the first leg). */
    commit_to_events_function_ms: Distribution;
    /** The path's unavoidable waits: next poll + next dispatch run (each uniform) + one HTTP round trip. */
    floor_ms: Distribution;
    /** Signed POSTs of the same payload size straight to the receiver, interleaved with the commits. */
    http_round_trip_ms: Distribution;
    p50_ratio: number;
    p99_ratio: number;
    p99_ratio_interval: { low: number; high: number; resamples: number };
  };
  throughput: {
    events: number;
    concurrency: number;
    seconds: number;
    events_per_second: number;
    /** The same commits (one TransactWriteItems each) and one signed POST each, issued directly. */
    floor_events_per_second: number;
    /** floor / path: how many times slower the relay makes the whole stream. */
    ratio: number;
  };
  /** Every commit of both phases: deliveries that never came, came twice, or failed verification. */
  lost: number;
  duplicates: number;
  invalid_signatures: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stack's stream consumers and schedules, loaded from functions/ as the local stack loads them. */
function functionFile(file: string): string | undefined {
  const path = join(repoRoot, "functions", `${file}.ts`);
  return existsSync(path) ? path : undefined;
}

/** What the events function must see to run against the bench's services (as stack.ts sets it). */
function eventFunctionEnvironment(tableName: string, eventBridge: string): void {
  process.env.LIFECYCLE_TABLE_NAME = tableName;
  process.env.LIFECYCLE_EVENT_BUS_NAME = "cognito-lifecycle-events";
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = eventBridge;
  // The receiver is plain http on 127.0.0.1; the deployed dispatcher never allows it.
  process.env.LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP = "true";
}

interface Probe {
  inbox: WebhookInbox;
  /** When the events function was handed each user's record (by sub). */
  relayedAt: Map<string, number>;
  secret: string;
  errors: string[];
  stop(): Promise<void>;
}

/** The sub of a stream record of the user table: its partition key is `USER#<sub>`. */
const subOf = (key: string | undefined) => key?.replace(/^USER#/, "") ?? "";

/**
 * The local path as `npm start` runs it: the table's stream poller feeding functions/events.ts,
 * the scheduler running functions/webhook-dispatch.ts, a webhook endpoint registered in the
 * table, the webhook inbox receiving (and verifying) on 127.0.0.1, the local EventBridge sink.
 */
async function startPath(tableName: string, dispatchEveryMs: number): Promise<Probe> {
  const services: RunningService[] = [];
  const stopAll = async () => {
    for (const service of services.reverse()) await service.stop();
  };
  try {
    const eventBridge = await startLocalEventBridge({ port: await freePort() });
    services.push(eventBridge);
    const inbox = await startWebhookInbox({ port: await freePort() });
    services.push(inbox);
    eventFunctionEnvironment(tableName, eventBridge.endpoint);
    const secret = newWebhookSecret();
    inbox.configure("bench", { secret });
    inbox.configure("floor", { secret });
    const db = dynamoClient({ requestMs: 5000, maxAttempts: 3 });
    await new DynamoWebhookStore(db, tableName).putEndpoint(
      newWebhookEndpoint({ id: "bench", url: `${inbox.endpoint}/hooks/bench`, now: new Date(), secret }),
    );
    db.destroy();
    const relayedAt = new Map<string, number>();
    const errors: string[] = [];
    const { streamConsumers, schedules } = localFunctions(functionFile, {
      webhookDispatchEveryMs: dispatchEveryMs,
    });
    const consumers = await Promise.all(
      streamConsumers.map(async (consumer) => {
        const module = (await import(pathToFileURL(consumer.handler as string).href)) as {
          handler: StreamHandler;
        };
        const handler: StreamHandler = (event: DynamoDBStreamEvent, context) => {
          const now = Date.now();
          for (const record of event.Records) {
            const sub = subOf(record.dynamodb?.Keys?.pk?.S);
            if (!relayedAt.has(sub)) relayedAt.set(sub, now);
          }
          return module.handler(event, context);
        };
        return { ...consumer, handler };
      }),
    );
    const options = { region: localRegion, account: localAccount };
    services.push(
      await startStreamPoller({
        ...options,
        dynamodbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB as string,
        tableName,
        consumers,
        onBatch: (report) => {
          if (report.outcome !== "ok")
            errors.push(`${report.functionName}: ${report.errorMessage ?? "partial"}`);
        },
      }),
    );
    services.push(
      await startScheduler({
        ...options,
        functions: schedules,
        onRun: (run) => {
          if (run.outcome !== "ok") errors.push(`${run.functionName}: ${run.errorMessage}`);
        },
      }),
    );
    return { inbox, relayedAt, secret, errors, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A signed POST of `payload` straight to the inbox's floor endpoint: one HTTP round trip. */
async function directDelivery(probe: Probe, id: string, payload: string): Promise<number> {
  const headers = signWebhook(id, payload, [probe.secret], new Date());
  const started = performance.now();
  const outcome = await deliverWebhook(
    { url: `${probe.inbox.endpoint}/hooks/floor`, headers: { ...headers }, body: payload },
    webhookUrlPolicy(),
  );
  if (outcome.kind !== "response" || outcome.status !== 204) {
    throw new Error(`the direct delivery failed: ${outcome.kind}`);
  }
  return performance.now() - started;
}

/** Waits until every sub in `subs` has a delivery at `bench` (or `limitMs` passes); the first receipt of each. */
async function receipts(
  probe: Probe,
  subs: readonly string[],
  limitMs: number,
): Promise<Map<string, number>> {
  const wanted = new Set(subs);
  const deadline = Date.now() + limitMs;
  let found = new Map<string, number>();
  do {
    found = new Map();
    for (const delivery of probe.inbox.deliveries) {
      const sub = deliveredSub(delivery);
      if (delivery.endpoint === "bench" && wanted.has(sub) && !found.has(sub)) {
        found.set(sub, delivery.receivedAt);
      }
    }
    if (found.size === wanted.size) break;
    await sleep(50);
  } while (Date.now() < deadline);
  return found;
}

function deliveredSub(delivery: InboxDelivery): string {
  return (delivery.payload as { data?: { sub?: string } } | null)?.data?.sub ?? "";
}

/**
 * The floor's distribution: a commit lands at a random moment of the poller's and the
 * dispatcher's cycles, so it waits U(0, poll) for its record and U(0, dispatch) for its delivery
 * to go out, then one HTTP round trip (drawn from those measured in this run).
 */
export function waitingFloor(
  pollMs: number,
  dispatchMs: number,
  roundTrips: readonly number[],
  count: number,
  random: () => number = seededRandom(0xf100),
): number[] {
  return Array.from(
    { length: count },
    () =>
      random() * pollMs +
      random() * dispatchMs +
      (roundTrips[Math.floor(random() * roundTrips.length)] as number),
  );
}

interface Commit {
  sub: string;
  at: number;
}

/** Confirms `shape` through the post confirmation trigger: its transaction is the commit. */
type Confirm = (shape: UserShape) => Promise<void>;

/**
 * Open-loop commits: each after a random pause of up to one poll/dispatch cycle (so commits land
 * at random moments of both cycles), with one direct signed POST next to each for the floor.
 */
async function latencyPhase(probe: Probe, confirm: Confirm, events: number, cycleMs: number) {
  const random = seededRandom(0xc0de);
  const commits: Commit[] = [];
  const roundTrips: number[] = [];
  for (let index = 0; index < events; index++) {
    await sleep(random() * cycleMs);
    const shape = user("event-latency", index);
    await confirm(shape);
    commits.push({ sub: shape.sub, at: Date.now() });
    const payload = JSON.stringify({
      type: "bench.floor",
      data: { sub: shape.sub },
      padding: "x".repeat(600),
    });
    roundTrips.push(await directDelivery(probe, `floor_${index}`, payload));
  }
  const received = await receipts(
    probe,
    commits.map((commit) => commit.sub),
    60_000,
  );
  const samples = commits.flatMap((commit) => {
    const at = received.get(commit.sub);
    return at === undefined ? [] : [at - commit.at];
  });
  const firstLeg = commits.flatMap((commit) => {
    const at = probe.relayedAt.get(commit.sub);
    return at === undefined ? [] : [at - commit.at];
  });
  return { commits, samples, firstLeg, roundTrips };
}

/** As many commits as fast as `concurrency` allows; seconds from the first commit to the last receipt. */
async function throughputPhase(probe: Probe, confirm: Confirm, events: number, concurrency: number) {
  const shapes = Array.from({ length: events }, (_, index) => user("event-burst", index));
  const started = Date.now();
  await pool(concurrency, events, (index) => confirm(shapes[index] as UserShape));
  const received = await receipts(
    probe,
    shapes.map((shape) => shape.sub),
    180_000,
  );
  const last = Math.max(started, ...received.values());
  return { subs: shapes.map((shape) => shape.sub), seconds: (last - started) / 1000 };
}

/** The throughput floor: each event's commit (one TransactWriteItems) and one signed POST, issued directly. */
async function throughputFloor(
  probe: Probe,
  config: LifecycleConfig,
  floorTable: string,
  events: number,
  concurrency: number,
): Promise<number> {
  const db = dynamoClient({ ...config.timeouts, requestMs: 5000, maxAttempts: 3 });
  const started = Date.now();
  await pool(concurrency, events, async (index) => {
    const shape = user("event-floor", index);
    await createRecord(db, config, floorTable, shape);
    await directDelivery(probe, `floor_burst_${index}`, JSON.stringify({ data: { sub: shape.sub } }));
  });
  db.destroy();
  return (Date.now() - started) / 1000;
}

/** Deliveries of `subs` at `bench` that failed verification, and subs delivered more than once. */
function deliveryChecks(probe: Probe, subs: readonly string[]) {
  const wanted = new Set(subs);
  const counts = new Map<string, number>();
  let invalid = 0;
  for (const delivery of probe.inbox.deliveries) {
    const sub = deliveredSub(delivery);
    if (delivery.endpoint !== "bench" || !wanted.has(sub)) continue;
    if (delivery.verified !== true) invalid++;
    counts.set(sub, (counts.get(sub) ?? 0) + 1);
  }
  const duplicates = [...counts.values()].filter((count) => count > 1).length;
  return { lost: wanted.size - counts.size, duplicates, invalid };
}

function ratioFigures(
  samples: number[],
  floor: number[],
): { p50: number; p99: number; interval: RatioInterval } {
  const interval = bootstrapRatio(
    samples.map((value) => [value]),
    floor.map((value) => [value]),
  );
  return {
    p50: distribution(samples).p50 / distribution(floor).p50,
    p99: interval.ratio,
    interval,
  };
}

const rounded = (value: Distribution): Distribution => ({
  n: value.n,
  p50: round(value.p50, 1),
  p99: round(value.p99, 1),
  mean: round(value.mean, 1),
});

/**
 * Lifecycle events through the local path (issue #14): commit -> stream poller -> events
 * function -> delivery queue -> scheduled dispatcher -> a signed POST to the webhook inbox.
 * Commits are real post confirmations (their transaction carries `user.created`). Runs in its
 * own process (runWorker): the functions read their settings from the environment.
 */
export async function measureEventPath(options: {
  config: LifecycleConfig;
  tableName: string;
  events: number;
  burst: number;
  concurrency: number;
  dispatchEveryMs: number;
}): Promise<EventPathResult> {
  const { config, tableName, dispatchEveryMs } = options;
  const floorTable = `${tableName}-floor`;
  const admin = new DynamoDBClient({ region: localRegion, credentials: localCredentials });
  await ensureUserTable(admin, floorTable);
  admin.destroy();
  const probe = await startPath(tableName, dispatchEveryMs);
  const instrumented = instrumentedRuntime({ config, tableName });
  const handler = triggerHandlers(instrumented.runtime)["post-confirmation"];
  // Cognito retries a trigger that failed (here: a request over its 1 s timeout on a loaded
  // machine); the retry finds the committed record, as on AWS.
  const confirm: Confirm = async (shape) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(postConfirmationEvent(shape));
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
  try {
    const cycle = Math.max(defaultPollIntervalMs, dispatchEveryMs);
    const latency = await latencyPhase(probe, confirm, options.events, cycle);
    const burst = await throughputPhase(probe, confirm, options.burst, options.concurrency);
    const floorSeconds = await throughputFloor(probe, config, floorTable, options.burst, options.concurrency);
    const floor = waitingFloor(
      defaultPollIntervalMs,
      dispatchEveryMs,
      latency.roundTrips,
      5 * options.events,
    );
    const ratios = ratioFigures(latency.samples, floor);
    const checks = deliveryChecks(probe, [...latency.commits.map((commit) => commit.sub), ...burst.subs]);
    if (probe.errors.length > 0 && checks.lost > 0) throw new Error(probe.errors.slice(0, 3).join("; "));
    const pathRate = options.burst / burst.seconds;
    const floorRate = options.burst / floorSeconds;
    return {
      poll_interval_ms: defaultPollIntervalMs,
      dispatch_interval_ms: dispatchEveryMs,
      latency: {
        events: latency.samples.length,
        commit_to_receipt_ms: rounded(distribution(latency.samples)),
        commit_to_events_function_ms: rounded(distribution(latency.firstLeg)),
        floor_ms: rounded(distribution(floor)),
        http_round_trip_ms: rounded(distribution(latency.roundTrips)),
        p50_ratio: round(ratios.p50),
        p99_ratio: round(ratios.p99),
        p99_ratio_interval: {
          low: round(ratios.interval.low),
          high: round(ratios.interval.high),
          resamples: ratios.interval.resamples,
        },
      },
      throughput: {
        events: options.burst,
        concurrency: options.concurrency,
        seconds: round(burst.seconds, 1),
        events_per_second: round(pathRate, 1),
        floor_events_per_second: round(floorRate, 1),
        ratio: round(floorRate / pathRate),
      },
      lost: checks.lost,
      duplicates: checks.duplicates,
      invalid_signatures: checks.invalid,
    };
  } finally {
    instrumented.destroy();
    await probe.stop();
  }
}
