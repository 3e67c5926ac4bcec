/**
 * `npm run bench [-- --json] [-- --quick] [-- --only=latency,events]`: measures the triggers
 * against their floors and writes docs/benchmarks.md. Progress goes to stderr; the table (or,
 * with --json, one JSON object) to stdout (`npm run --silent bench -- --json` keeps npm's banner
 * out of it). `--quick` runs small samples for a smoke check and does not write the doc.
 * `--only` runs the named sections at full size (a second run of a goal's section, to see that
 * its verdict holds run to run) and does not write the doc either.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type LifecycleConfig, withEnvironment } from "@cognito-lifecycle/core";
import lifecycleConfig from "../../../lifecycle.config.ts";
import {
  type AdminScaleResult,
  measureListings,
  measureReconcile,
  type ReconcileResult,
} from "./admin-scale.ts";
import { type BenchSection, benchUsage, parseBenchArgs } from "./args.ts";
import { type ColdStartResult, measureColdStart, repoRoot } from "./cold-start.ts";
import { costModel, unitPrices } from "./cost.ts";
import type { EndToEndResult } from "./e2e.ts";
import type { EventPathResult } from "./event-path.ts";
import type { LatencyResult } from "./latency.ts";
import type { MemoryResult } from "./memory.ts";
import type { PasswordCostResult } from "./passwords.ts";
import { recommendMemory } from "./recommend.ts";
import {
  type BenchReport,
  describeMachine,
  judgeGoals,
  renderMarkdown,
  renderText,
  type Skipped,
} from "./report.ts";
import { type TriggerName, useLocalEndpoints } from "./runtime.ts";
import { startServices } from "./services.ts";
import { round } from "./stats.ts";
import { runWorker } from "./workers.ts";

const parsed = parseBenchArgs(process.argv.slice(2));
if ("error" in parsed) {
  process.stderr.write(`${parsed.error}\n${benchUsage}\n`);
  process.exit(2);
}
const { json, quick, only } = parsed;
/** Whether this run measures `section` (every section unless `--only` names some). */
const selected = (section: BenchSection) => only === undefined || only.includes(section);
const notSelected: Skipped = { skipped: "not selected (--only)" };

const settings = quick
  ? {
      iterations: 60,
      warmup: 10,
      latency_batch: 10,
      cold_runs: 3,
      memory_invocations: 2000,
      memory_sample_at: 200,
      admin_users: 2000,
      reconcile_users: 300,
      e2e_lifecycles: 20,
      e2e_concurrency: 10,
      event_commits: 20,
      event_burst: 40,
      event_concurrency: 8,
      webhook_dispatch_ms: 250,
      password_runs: 1,
    }
  : {
      iterations: 500,
      warmup: 50,
      latency_batch: 25,
      // Enough pairs for the import ratio's interval to decide its goal on a shared machine.
      cold_runs: 31,
      memory_invocations: 10_000,
      memory_sample_at: 1000,
      admin_users: 100_000,
      reconcile_users: 5000,
      e2e_lifecycles: 200,
      e2e_concurrency: 10,
      event_commits: 200,
      event_burst: 500,
      event_concurrency: 8,
      webhook_dispatch_ms: 250,
      password_runs: 1,
    };

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

type Services = Awaited<ReturnType<typeof startServices>>;

/** A measurement that may fail without failing the run: its section says why it is missing. */
async function orSkipped<T>(what: string, measure: () => Promise<T>): Promise<T | Skipped> {
  try {
    return await measure();
  } catch (error) {
    return { skipped: `${what} failed: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** Warm latency, cold start and memory of the triggers. */
async function measureTriggers(services: Services, env: Record<string, string>) {
  let latency: LatencyResult[] = [];
  if (selected("latency")) {
    progress(
      `warm latency: ${settings.iterations} invocations per scenario (+${settings.warmup} warm-up), in batches of ${settings.latency_batch}`,
    );
    latency = await runWorker<LatencyResult[]>(
      {
        kind: "latency",
        tableName: await services.newTable("bench-latency"),
        iterations: settings.iterations,
        warmup: settings.warmup,
        batchSize: settings.latency_batch,
      },
      env,
    );
  }

  let coldStart: ColdStartResult[] = [];
  if (selected("cold-start")) {
    progress(`cold start: bundling the triggers and importing each ${settings.cold_runs} times`);
    const coldTable = await services.newTable("bench-cold");
    coldStart = await measureColdStart({
      runs: settings.cold_runs,
      env: { ...env, LIFECYCLE_TABLE_NAME: coldTable },
      newSub: () => randomUUID(),
      existingSub: randomUUID(),
    });
  }

  const memory: MemoryResult[] = [];
  const memoryTriggers = selected("memory")
    ? (["pre-token-generation", "custom-message", "pre-sign-up"] as const)
    : [];
  for (const trigger of memoryTriggers) {
    progress(`memory: ${settings.memory_invocations.toLocaleString("en")} invocations of ${trigger}`);
    memory.push(
      await runWorker<MemoryResult>(
        {
          kind: "memory",
          tableName: await services.newTable(`bench-memory-${trigger}`),
          trigger,
          invocations: settings.memory_invocations,
          sampleAt: settings.memory_sample_at,
        },
        env,
      ),
    );
  }
  return { latency, coldStart, memory };
}

/** The paths beyond one trigger: the local stack end to end, lifecycle events, password verifiers. */
async function measurePaths(services: Services, env: Record<string, string>) {
  let endToEnd: EndToEndResult | Skipped = notSelected;
  if (selected("e2e")) {
    progress(
      `end to end: ${settings.e2e_lifecycles} lifecycles through the local stack, ${settings.e2e_concurrency} at a time`,
    );
    endToEnd = await orSkipped("the local stack run", () =>
      runWorker<EndToEndResult>(
        { kind: "e2e", lifecycles: settings.e2e_lifecycles, concurrency: settings.e2e_concurrency },
        env,
      ),
    );
  }
  let eventPath: EventPathResult | Skipped = notSelected;
  if (selected("events")) {
    progress(
      `lifecycle events: ${settings.event_commits} commits to webhook receipt, then a burst of ${settings.event_burst}`,
    );
    const tableName = await services.newTable("bench-events");
    eventPath = await orSkipped("the events path", () =>
      runWorker<EventPathResult>(
        {
          kind: "events",
          tableName,
          events: settings.event_commits,
          burst: settings.event_burst,
          concurrency: settings.event_concurrency,
          dispatchEveryMs: settings.webhook_dispatch_ms,
        },
        env,
      ),
    );
  }
  let passwordCosts: PasswordCostResult | Skipped = notSelected;
  if (selected("passwords")) {
    progress(`password verifiers at the cost limits, ${settings.password_runs} run(s) each`);
    passwordCosts = await orSkipped("the password verifiers", () =>
      runWorker<PasswordCostResult>({ kind: "passwords", runs: settings.password_runs }, env),
    );
  }
  return { endToEnd, eventPath, passwordCosts };
}

/** Admin listings at scale and reconcile. */
async function measureAdmin(services: Services, config: LifecycleConfig) {
  let adminListing: AdminScaleResult | Skipped = notSelected;
  if (selected("admin")) {
    progress(`admin listing: writing ${settings.admin_users.toLocaleString("en")} users with BatchWriteItem`);
    adminListing = await orSkipped("the admin listings", async () =>
      measureListings({
        config,
        tableName: await services.newTable("bench-admin", { stream: false }),
        users: settings.admin_users,
        repeat: 20,
        seed: true,
      }),
    );
  }
  let reconcile: ReconcileResult | Skipped = notSelected;
  if (selected("reconcile")) {
    progress(`reconcile: ${settings.reconcile_users.toLocaleString("en")} Cognito users`);
    reconcile = await orSkipped("reconcile", async () =>
      measureReconcile({
        config,
        tableName: await services.newTable("bench-reconcile", { stream: false }),
        users: settings.reconcile_users,
        cognito: services.cognito,
        endpoints: services.endpoints,
      }),
    );
  }
  return { adminListing, reconcile };
}

/** Writes the doc (unless quick) and prints the report. */
async function publish(report: BenchReport): Promise<void> {
  if (!quick && only === undefined) {
    await writeFile(join(repoRoot, "docs", "benchmarks.md"), renderMarkdown(report));
    progress("wrote docs/benchmarks.md");
  }
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : renderText(report));
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = describeMachine();
  const config = withEnvironment(lifecycleConfig);
  progress("starting DynamoDB Local, local SES and a fake Cognito on free ports");
  const services = await startServices();
  const stopServices = () => services.stop();
  const interrupted = () => {
    progress("interrupted: stopping the services");
    stopServices().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    useLocalEndpoints(services.endpoints);
    const env = services.env();
    const triggers = await measureTriggers(services, env);
    const paths = await measurePaths(services, env);
    const admin = await measureAdmin(services, config);
    const recommendation = recommendMemory(
      triggers.latency,
      triggers.coldStart,
      triggers.memory,
      unitPrices.lambdaArm64PerGbSecond,
    );
    machine.load_average_at_end = loadavg().map((value) => round(value, 2));
    const partial: Omit<BenchReport, "goals" | "duration_seconds"> = {
      generated_at: new Date().toISOString(),
      quick,
      ...(only ? { only } : {}),
      machine,
      settings,
      latency: triggers.latency,
      cold_start: triggers.coldStart,
      memory: triggers.memory,
      end_to_end: paths.endToEnd,
      event_path: paths.eventPath,
      password_costs: paths.passwordCosts,
      admin_listing: admin.adminListing,
      reconcile: admin.reconcile,
      recommendation,
      cost: costModel(triggers.latency, recommendation.memory_mb),
      notes: findings(triggers.latency, triggers.coldStart, machine.load_average_at_start),
    };
    await publish({
      ...partial,
      goals: judgeGoals(partial),
      duration_seconds: round((Date.now() - started) / 1000, 0),
    });
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await stopServices();
  }
}

/** Observations that follow from the figures (each only when the figures show it). */
function findings(
  latency: readonly LatencyResult[],
  coldStart: readonly ColdStartResult[],
  load: readonly number[],
): string[] {
  const notes: string[] = [];
  const savings = coldStart
    .filter((result) => result.kb_esm_first < result.kb * 0.9)
    .map((result) => `${result.function} ${result.kb} -> ${result.kb_esm_first} KB`);
  if (savings.length > 0) {
    notes.push(
      `Bundled with esbuild's default resolution (what the shipped build does), the AWS SDK comes in as CommonJS, which cannot be tree-shaken. Preferring ESM builds (esbuild mainFields ["module", "main"]) would shrink the bundles: ${savings.join(", ")}.`,
    );
  }
  const retry = latency.find((result) => result.scenario.startsWith("post confirmation (retry"));
  if (retry && retry.capacity.write === 0) {
    notes.push(
      "DynamoDB Local reports no capacity for a transaction that fails its condition (a post confirmation retry); DynamoDB bills it. The cost model uses what DynamoDB Local reports, so retries are priced at zero there.",
    );
  }
  // Which SDK clients each trigger can use at all; any other client in its bundle is dead weight.
  const needs: Record<TriggerName, string[]> = {
    "pre-sign-up": ["@aws-sdk/client-cognito-identity-provider"],
    "pre-token-generation": ["@aws-sdk/client-dynamodb"],
    "post-authentication": ["@aws-sdk/client-dynamodb"],
    "user-migration": ["@aws-sdk/client-dynamodb"],
    "post-confirmation": ["@aws-sdk/client-dynamodb", "@aws-sdk/client-cognito-identity-provider"],
    "custom-message": [],
  };
  for (const result of coldStart) {
    for (const client of result.sdk_clients) {
      if (needs[result.function as TriggerName]?.includes(client.package)) continue;
      const size = result.largest_packages.find((entry) => entry.package === client.package);
      notes.push(
        `The ${result.function} bundle carries ${client.package}${size ? ` (${size.kb} KB)` : ""}, which it never calls; it comes in through ${client.imported_by.join(", ")}.`,
      );
    }
  }
  if ((load[0] ?? 0) > 2) {
    notes.push(
      `The machine was shared while this ran (1-minute load average ${load[0]} on a ${describeMachine().cores}-core machine): tail latencies (p99) carry that noise on both sides of each ratio.`,
    );
  }
  return notes;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
