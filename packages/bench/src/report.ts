import { spawnSync } from "node:child_process";
import { cpus, freemem, loadavg, release, totalmem } from "node:os";
import { type AdminScaleResult, type ReconcileResult, searchReadBudget } from "./admin-scale.ts";
import type { ColdStartResult } from "./cold-start.ts";
import type { CostModel } from "./cost.ts";
import type { EndToEndResult } from "./e2e.ts";
import type { EventPathResult } from "./event-path.ts";
import type { LatencyResult } from "./latency.ts";
import type { MemoryResult } from "./memory.ts";
import type { PasswordCostResult } from "./passwords.ts";
import type { Recommendation } from "./recommend.ts";
import { type Distribution, round, type Verdict, verdictWithin } from "./stats.ts";

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  free_memory_gb: number;
  os: string;
  node: string;
  java: string;
  load_average_at_start: number[];
  load_average_at_end?: number[];
}

export function describeMachine(): Machine {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  const java = `${probe.stderr ?? ""}${probe.stdout ?? ""}`.split("\n")[0]?.trim() || "java not found";
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? "unknown",
    cores: processors.length,
    memory_gb: round(totalmem() / 1024 ** 3, 1),
    free_memory_gb: round(freemem() / 1024 ** 3, 1),
    os: `${process.platform} ${release()} ${process.arch}`,
    node: process.version,
    java,
    load_average_at_start: loadavg().map((value) => round(value, 2)),
  };
}

export interface Goal {
  area: string;
  goal: string;
  measured: string;
  /** true: met, false: missed; null: not measured in this run, or inconclusive. */
  met: boolean | null;
  /** What the report prints: a ratio goal is judged on its interval and may be inconclusive. */
  verdict: Verdict | "not run";
}

/** A goal as each area states it; one judged on a yes/no figure gets its verdict from `met`. */
type GoalDraft = Omit<Goal, "verdict"> & { verdict?: Goal["verdict"] };

function judged(goal: GoalDraft): Goal {
  if (goal.verdict) return goal as Goal;
  return { ...goal, verdict: goal.met === null ? "not run" : goal.met ? "met" : "missed" };
}

/** A p99-ratio goal, judged on the ratio's bootstrap interval (see `verdictWithin`). */
function judgedOnInterval(
  goal: Omit<Goal, "verdict" | "met">,
  interval: { low: number; high: number },
  limit: number,
): Goal {
  const verdict = verdictWithin(interval, limit);
  return { ...goal, verdict, met: verdict === "inconclusive" ? null : verdict === "met" };
}

export interface Skipped {
  skipped: string;
}

export interface BenchReport {
  generated_at: string;
  duration_seconds: number;
  quick: boolean;
  /** The sections measured, when `--only` limited the run (the others are empty or skipped). */
  only?: string[];
  machine: Machine;
  settings: Record<string, number>;
  goals: Goal[];
  latency: LatencyResult[];
  cold_start: ColdStartResult[];
  memory: MemoryResult[];
  end_to_end: EndToEndResult | Skipped;
  /** Lifecycle events through the local path (issue #14). */
  event_path: EventPathResult | Skipped;
  /** The migration's password verifiers at the cost limits (issue #15). */
  password_costs: PasswordCostResult | Skipped;
  admin_listing: AdminScaleResult | Skipped;
  reconcile: ReconcileResult | Skipped;
  recommendation: Recommendation;
  cost: CostModel;
  notes: string[];
}

export function isSkipped(value: object): value is Skipped {
  return "skipped" in value;
}

/** Every goal the issue sets, judged against this run's figures. */
export function judgeGoals(report: Omit<BenchReport, "goals" | "duration_seconds">): Goal[] {
  return [
    ...latencyGoals(report.latency),
    ...coldStartGoals(report.cold_start),
    ...memoryGoals(report.memory),
    endToEndGoal(report.end_to_end),
    eventPathGoal(report.event_path),
    passwordGoal(report.password_costs),
    ...adminGoals(report.admin_listing, report.reconcile),
  ].map(judged);
}

/** The issue's goal for a trigger's warm p99 against its floor. */
const warmRatioLimit = 1.2;

function latencyGoals(latency: readonly LatencyResult[]): GoalDraft[] {
  return latency.flatMap((result): GoalDraft[] => [
    result.p99_ratio !== null && result.p99_ratio_interval
      ? judgedOnInterval(
          {
            area: "warm latency",
            goal: `${result.scenario}: p99 ratio to floor <= ${warmRatioLimit} (on its 95% interval)`,
            measured: `${result.p99_ratio} [${result.p99_ratio_interval.low}, ${result.p99_ratio_interval.high}] (p99 ${result.trigger_ms.p99} ms vs ${result.floor_ms.p99} ms; p50 ratio ${result.p50_ratio})`,
          },
          result.p99_ratio_interval,
          warmRatioLimit,
        )
      : // No call to make: the floor is an empty handler, so a ratio says nothing. What matters
        // is the handler's own work, measured as CPU time (wall-clock tails here are scheduling noise).
        {
          area: "warm latency",
          goal: `${result.scenario}: no call to make, so no ratio; CPU per invocation < 1 ms`,
          measured: `${result.trigger_cpu_ms} ms CPU (p50 ${result.trigger_ms.p50} ms, p99 ${result.trigger_ms.p99} ms wall)`,
          met: result.trigger_cpu_ms < 1,
        },
    {
      area: "round trips",
      goal: `${result.scenario}: ${result.budget}`,
      measured: describeTrips(result.round_trips),
      met: result.within_budget,
    },
  ]);
}

function coldStartGoals(coldStart: readonly ColdStartResult[]): GoalDraft[] {
  return coldStart.flatMap((result): GoalDraft[] => [
    {
      area: "cold start",
      goal: `${result.function}: worst cold path (process start, import, first invocation) inside Cognito's 5 s`,
      measured: `${result.worst_cold_path_ms} ms (${Math.round(result.worst_cold_path_share * 100)}% of 5 s)`,
      met: result.worst_cold_path_share < 1,
    },
    result.floor === "empty handler"
      ? {
          area: "cold start",
          goal: `${result.function}: needs no SDK client, so its floor is an empty module and a ratio says nothing; import + first invocation < 100 ms CPU`,
          measured: `${result.cold_cpu_ms} ms CPU (${result.import_ms} ms import wall, ${result.kb} KB)`,
          met: result.cold_cpu_ms < 100,
        }
      : judgedOnInterval(
          {
            area: "cold start",
            goal: `${result.function}: import ratio to floor <= 1.3`,
            measured: `${result.import_ratio} [${result.import_ratio_low}, ${result.import_ratio_high}] (${result.import_ms} ms vs ${result.floor_import_ms} ms; ${result.kb} KB vs ${result.floor_kb} KB)`,
          },
          { low: result.import_ratio_low, high: result.import_ratio_high },
          1.3,
        ),
  ]);
}

function memoryGoals(memory: readonly MemoryResult[]): GoalDraft[] {
  return memory.map((result) => ({
    area: "memory",
    goal: `${result.trigger}: no heap growth from ${result.at_first_sample.invocations.toLocaleString("en")} to ${result.invocations.toLocaleString("en")} invocations (<= 2 MB after GC)`,
    measured: `${result.heap_growth_mb} MB heap, ${result.rss_growth_mb} MB RSS; peak RSS ${result.peak_rss_mb} MB`,
    met: result.heap_growth_mb <= 2,
  }));
}

function endToEndGoal(e2e: EndToEndResult | Skipped): GoalDraft {
  if (isSkipped(e2e)) {
    return {
      area: "end to end",
      goal: "0 lost records, 0 duplicate welcome emails",
      measured: e2e.skipped,
      met: null,
    };
  }
  return {
    area: "end to end",
    goal: "0 lost records, 0 duplicate welcome emails, every lifecycle completes",
    measured: `${e2e.lost_records} lost, ${e2e.duplicate_welcome_emails} duplicates, ${e2e.completed}/${e2e.lifecycles} completed`,
    met: e2e.lost_records === 0 && e2e.duplicate_welcome_emails === 0 && e2e.failed === 0,
  };
}

function eventPathGoal(events: EventPathResult | Skipped): GoalDraft {
  const goal = "every committed event reaches a local webhook endpoint exactly once, with a valid signature";
  if (isSkipped(events)) return { area: "events", goal, measured: events.skipped, met: null };
  const commits = events.latency.events + events.throughput.events;
  return {
    area: "events",
    goal,
    measured: `${events.lost} lost, ${events.duplicates} duplicated, ${events.invalid_signatures} invalid of ${commits} commits; commit to receipt p99 ${events.latency.commit_to_receipt_ms.p99} ms (floor ${events.latency.floor_ms.p99} ms), ${events.throughput.events_per_second} events/s (floor ${events.throughput.floor_events_per_second})`,
    met: events.lost === 0 && events.duplicates === 0 && events.invalid_signatures === 0,
  };
}

function passwordGoal(costs: PasswordCostResult | Skipped): GoalDraft {
  const goal = "the costliest password verification the cost limits allow fits Cognito's 5 s";
  if (isSkipped(costs)) return { area: "migration", goal, measured: costs.skipped, met: null };
  const { worst } = costs;
  return {
    area: "migration",
    goal: `the costliest password verification the cost limits allow fits Cognito's ${costs.budget_ms / 1000} s at ${costs.memory_mb} MB`,
    measured: `${worst.verifier}: ${worst.lambda_ms} ms estimated on Lambda (${worst.budget_ratio}x the budget)`,
    met: worst.fits,
  };
}

function adminGoals(admin: AdminScaleResult | Skipped, reconcile: ReconcileResult | Skipped): GoalDraft[] {
  const goals: GoalDraft[] = isSkipped(admin)
    ? [
        {
          area: "admin",
          goal: "listing pages: 1 query, capacity <= 2x items",
          measured: admin.skipped,
          met: null,
        },
      ]
    : admin.listings.map((listing) => ({
        area: "admin",
        goal: `${listing.listing} at ${admin.users.toLocaleString("en")} users: 1 query, read units <= 2x items`,
        measured: `${listing.queries_per_page} query, ${listing.read_units_per_page} units for ${listing.items} items`,
        met: listing.within_2x && listing.queries_per_page === 1,
      }));
  if (!isSkipped(admin)) {
    for (const search of admin.searches ?? []) {
      goals.push({
        area: "admin",
        goal: `search: ${search.search} at ${admin.users.toLocaleString("en")} users: at most ${searchReadBudget.toLocaleString("en")} entries read per page, <= 0.125 read units per entry`,
        measured: `${search.queries_per_page} queries, ${search.entries_read_per_page} entries, ${search.read_units_per_page} units for ${search.items} items`,
        met: search.within_budget,
      });
    }
  }
  if (!isSkipped(reconcile)) {
    goals.push({
      area: "admin",
      goal: `reconcile of ${reconcile.cognito_users.toLocaleString("en")} users restores every missing record and pending welcome email`,
      measured: `${reconcile.created}/${reconcile.missing_records} records created, ${reconcile.welcome_emails_sent}/${reconcile.pending_welcome} pending emails sent, ${reconcile.users_per_second} users/s, ${reconcile.cognito_calls_per_user} Cognito calls/user`,
      met:
        reconcile.created === reconcile.missing_records &&
        reconcile.welcome_emails_sent === reconcile.pending_welcome,
    });
  }
  return goals;
}

function describeTrips(trips: Record<string, number>): string {
  const entries = Object.entries(trips);
  return entries.length === 0 ? "0 calls" : entries.map(([key, count]) => `${count} ${key}`).join(", ");
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)];
}

function markdownTable(headers: string[], rows: (string | number)[][]): string[] {
  const cell = (value: string | number) => String(value).replace(/\|/g, "\\|");
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
}

const marks: Record<Goal["verdict"], string> = {
  met: "met",
  missed: "MISSED",
  inconclusive: "inconclusive",
  "not run": "not run",
};

interface Section {
  title: string;
  intro?: string;
  headers: string[];
  rows: (string | number)[][];
}

/** The report's tables, in the order they are printed. */
function sections(report: BenchReport): Section[] {
  return [
    goalsSection(report.goals),
    latencySection(report.latency),
    ...sameCallsSection(report.latency),
    coldStartSection(report.cold_start),
    memorySection(report.memory),
    endToEndSection(report.end_to_end),
    ...eventPathSections(report.event_path),
    passwordSection(report.password_costs),
    adminSection(report.admin_listing),
    searchSection(report.admin_listing),
    reconcileSection(report.reconcile),
    recommendationSection(report.recommendation),
    costSection(report.cost),
  ];
}

function goalsSection(goals: readonly Goal[]): Section {
  return {
    title: "Goals",
    headers: ["area", "goal", "measured", ""],
    rows: goals.map((goal) => [goal.area, goal.goal, goal.measured, marks[goal.verdict]]),
  };
}

/** How every ratio interval in the report is made, said once. */
const intervalMethod =
  "The interval after a ratio resamples the batch pairs (a trigger batch with the floor batch run next to it; for cold starts, one import with the floor's import beside it) with replacement 1,000 times and takes the 2.5th and 97.5th percentiles of the resampled ratios; a ratio goal is met when the upper bound is within its limit, missed when the lower bound is over it, and otherwise inconclusive.";

function latencySection(latency: readonly LatencyResult[]): Section {
  const batchSize = latency[0]?.batch_size;
  return {
    title: "Warm latency and round trips (per invocation)",
    intro: `Each scenario runs in interleaved batches${batchSize ? ` of ${batchSize}` : ""}: a batch of the trigger, then a batch of its floor (the raw SDK calls the trigger must make, issued directly with the same client setup), the order alternating, against DynamoDB Local. ${intervalMethod}`,
    headers: [
      "scenario",
      "p50 ms",
      "p99 ms",
      "floor p50",
      "floor p99",
      "p99 ratio [95% interval]",
      "CPU ms (floor)",
      "round trips",
      "budget",
      "capacity R/W",
    ],
    rows: latency.map((result) => [
      result.scenario,
      result.trigger_ms.p50,
      result.trigger_ms.p99,
      result.floor_ms.p50,
      result.floor_ms.p99,
      result.p99_ratio_interval
        ? `${result.p99_ratio} [${result.p99_ratio_interval.low}, ${result.p99_ratio_interval.high}]`
        : "n/a",
      `${result.trigger_cpu_ms} (${result.floor_cpu_ms})`,
      describeTrips(result.round_trips),
      result.budget,
      `${result.capacity.read}/${result.capacity.write}`,
    ]),
  };
}

/** Only when some scenario has a same-calls floor. */
function sameCallsSection(latency: readonly LatencyResult[]): Section[] {
  const sameCalls = latency.filter((result) => result.same_calls_floor);
  if (sameCalls.length === 0) return [];
  return [
    {
      title: "Against a floor that makes every call the trigger makes",
      headers: ["scenario", "floor", "floor p50", "floor p99", "p50 ratio", "p99 ratio"],
      rows: sameCalls.map((result) => {
        const floor = result.same_calls_floor as NonNullable<LatencyResult["same_calls_floor"]>;
        return [
          result.scenario,
          floor.floor,
          floor.floor_ms.p50,
          floor.floor_ms.p99,
          floor.p50_ratio,
          floor.p99_ratio,
        ];
      }),
    },
  ];
}

function coldStartSection(coldStart: readonly ColdStartResult[]): Section {
  return {
    title: "Cold start (bundled with esbuild, AWS SDK included; medians of fresh Node processes)",
    headers: [
      "function",
      "KB",
      "KB, ESM-first",
      "floor KB",
      "import ms",
      "floor ms",
      "import ratio [95%]",
      "first response ms",
      "floor",
      "ratio",
      "cold CPU ms (floor)",
      "worst cold path ms (of 5 s)",
      "largest packages (KB)",
    ],
    rows: coldStart.map((result) => [
      result.function,
      result.kb,
      result.kb_esm_first,
      result.floor_kb,
      result.import_ms,
      result.floor_import_ms,
      `${result.import_ratio} [${result.import_ratio_low}, ${result.import_ratio_high}]`,
      result.first_response_ms,
      result.floor_first_response_ms,
      result.first_response_ratio,
      `${result.cold_cpu_ms} (${result.floor_cold_cpu_ms})`,
      `${result.worst_cold_path_ms} (${Math.round(result.worst_cold_path_share * 100)}%)`,
      result.largest_packages.map((entry) => `${entry.package} ${entry.kb}`).join(", "),
    ]),
  };
}

function memorySection(memory: readonly MemoryResult[]): Section {
  return {
    title: "Memory (one trigger per fresh process, samples after a full GC)",
    headers: [
      "trigger",
      "invocations",
      "RSS at first sample MB",
      "RSS at end MB",
      "heap growth MB",
      "peak RSS MB",
    ],
    rows: memory.map((result) => [
      result.trigger,
      `${result.at_first_sample.invocations} -> ${result.invocations}`,
      result.at_first_sample.rss_mb,
      result.at_end.rss_mb,
      result.heap_growth_mb,
      result.peak_rss_mb,
    ]),
  };
}

function endToEndSection(e2e: EndToEndResult | Skipped): Section {
  if (isSkipped(e2e)) return { title: "End to end", headers: ["skipped"], rows: [[e2e.skipped]] };
  return {
    title: "End to end (local stack: cognito-local -> real triggers -> DynamoDB Local + local SES)",
    headers: [
      "lifecycles",
      "concurrency",
      "completed",
      "lifecycles/s",
      "p50 ms",
      "p99 ms",
      "lost records",
      "duplicate welcome emails",
      "failures",
    ],
    rows: [
      [
        e2e.lifecycles,
        e2e.concurrency,
        e2e.completed,
        e2e.lifecycles_per_second,
        e2e.lifecycle_ms.p50,
        e2e.lifecycle_ms.p99,
        e2e.lost_records,
        e2e.duplicate_welcome_emails,
        e2e.failures.join("; ") || "none",
      ],
    ],
  };
}

function eventPathSections(events: EventPathResult | Skipped): Section[] {
  const title =
    "Lifecycle events (local path: commit -> stream poller -> events function -> dispatcher -> webhook)";
  if (isSkipped(events)) return [{ title, headers: ["skipped"], rows: [[events.skipped]] }];
  const { latency, throughput } = events;
  const row = (figure: string, value: Distribution, floor?: Distribution, ratio = "") => [
    figure,
    value.n,
    value.p50,
    value.p99,
    floor?.p50 ?? "",
    floor?.p99 ?? "",
    ratio,
  ];
  return [
    {
      title,
      intro: `Post confirmations commit one at a time after random pauses (so each lands at a random moment of the poller's ${events.poll_interval_ms} ms and the dispatcher's ${events.dispatch_interval_ms} ms cycles; \`npm start\` dispatches every 5 s, AWS every minute), and the signed delivery is timed to its receipt on 127.0.0.1. The floor is what the path must wait: U(0, poll interval) + U(0, dispatch interval) + one signed POST to the same receiver, timed next to each commit. The ratio's interval resamples both sides' samples (1,000 times).`,
      headers: ["figure", "n", "p50 ms", "p99 ms", "floor p50", "floor p99", "p99 ratio [95% interval]"],
      rows: [
        row(
          "commit -> webhook receipt",
          latency.commit_to_receipt_ms,
          latency.floor_ms,
          `${latency.p99_ratio} [${latency.p99_ratio_interval.low}, ${latency.p99_ratio_interval.high}]`,
        ),
        row("commit -> events function", latency.commit_to_events_function_ms),
        row("signed POST (the floor's round trip)", latency.http_round_trip_ms),
      ],
    },
    {
      title: "Lifecycle events per second (local path)",
      intro:
        "A burst of post confirmations, a fixed number in flight; seconds from the first commit to the last receipt. The floor does the same commits (one TransactWriteItems each, on another table) and one signed POST each, directly, at the same concurrency, after the burst.",
      headers: ["events", "in flight", "seconds", "events/s", "floor events/s", "floor / path"],
      rows: [
        [
          throughput.events,
          throughput.concurrency,
          throughput.seconds,
          throughput.events_per_second,
          throughput.floor_events_per_second,
          throughput.ratio,
        ],
      ],
    },
  ];
}

function passwordSection(costs: PasswordCostResult | Skipped): Section {
  const title = "Password verifiers at the cost limits (lazy migration)";
  if (isSkipped(costs)) return { title, headers: ["skipped"], rows: [[costs.skipped]] };
  return {
    title: `${title}: worst ${costs.worst.verifier}, ${costs.worst.budget_ratio}x the ${costs.budget_ms / 1000} s budget at ${costs.memory_mb} MB`,
    intro: `One verification each at the largest work factors \`defaultCostLimits\` (packages/core/src/passwords/cost.ts) let an imported hash ask for, CPU time median of ${costs.runs} run(s). Model: ${costs.model}`,
    headers: [
      "verifier",
      "work factors",
      "CPU ms",
      "wall ms",
      `Lambda ms at ${costs.memory_mb} MB (est.)`,
      "of the budget",
      "fits",
    ],
    rows: costs.verifiers.map((entry) => [
      entry.verifier,
      entry.work_factors,
      entry.cpu_ms,
      entry.wall_ms,
      entry.lambda_ms,
      `${entry.budget_ratio}x`,
      entry.fits ? "yes" : "no",
    ]),
  };
}

function adminSection(admin: AdminScaleResult | Skipped): Section {
  if (isSkipped(admin))
    return { title: "Admin listing at scale", headers: ["skipped"], rows: [[admin.skipped]] };
  return {
    title: `Admin listing at scale (${admin.users.toLocaleString("en")} users, ${admin.items_written.toLocaleString("en")} items written in ${admin.seed_seconds} s; ${admin.via})`,
    headers: ["listing (page of 50)", "items", "queries", "read units", "units/item", "p50 ms", "p99 ms"],
    rows: admin.listings.map((listing) => [
      listing.listing,
      listing.items,
      listing.queries_per_page,
      listing.read_units_per_page,
      listing.units_per_item,
      listing.latency_ms.p50,
      listing.latency_ms.p99,
    ]),
  };
}

function searchSection(admin: AdminScaleResult | Skipped): Section {
  if (isSkipped(admin) || !admin.searches)
    return { title: "User search at scale", headers: ["skipped"], rows: [["no search measured"]] };
  return {
    title: `User search and email order at scale (${admin.users.toLocaleString("en")} users; a filtered page reads at most ${searchReadBudget.toLocaleString("en")} index entries)`,
    headers: ["search (page of 50)", "items", "queries", "entries read", "read units", "p50 ms", "p99 ms"],
    rows: admin.searches.map((search) => [
      search.search,
      search.items,
      search.queries_per_page,
      search.entries_read_per_page,
      search.read_units_per_page,
      search.latency_ms.p50,
      search.latency_ms.p99,
    ]),
  };
}

function reconcileSection(reconcile: ReconcileResult | Skipped): Section {
  if (isSkipped(reconcile)) return { title: "Reconcile", headers: ["skipped"], rows: [[reconcile.skipped]] };
  return {
    title: "Reconcile (packages/admin, fake Cognito, DynamoDB Local, local SES)",
    headers: [
      "Cognito users",
      "missing",
      "created",
      "pending welcome",
      "welcome sent",
      "seconds",
      "users/s",
      "Cognito calls/user",
      "DynamoDB calls/user",
      "Cognito calls",
    ],
    rows: [
      [
        reconcile.cognito_users,
        reconcile.missing_records,
        reconcile.created,
        reconcile.pending_welcome,
        reconcile.welcome_emails_sent,
        reconcile.seconds,
        reconcile.users_per_second,
        reconcile.cognito_calls_per_user,
        reconcile.dynamodb_round_trips_per_user,
        Object.entries(reconcile.cognito_calls_by_operation)
          .map(([operation, count]) => `${operation} ${count}`)
          .join(", "),
      ],
    ],
  };
}

function recommendationSection(recommendation: Recommendation): Section {
  return {
    title: `Lambda memory (recommended: ${recommendation.memory_mb} MB arm64)`,
    intro: `${recommendation.reason}. Model: ${recommendation.model}`,
    headers: [
      "memory MB",
      "vCPU share",
      "worst cold first response ms (est.)",
      "pre token warm ms (est.)",
      "pre token $/1M (duration)",
      "fits RSS",
    ],
    rows: recommendation.options.map((option) => [
      option.memory_mb,
      option.vcpu_share,
      `${option.worst_cold_ms} (${option.worst_cold_trigger})`,
      option.pre_token_warm_ms,
      option.pre_token_usd_per_million,
      option.fits_memory ? "yes" : "no",
    ]),
  };
}

function costSection(cost: CostModel): Section {
  const prices = cost.prices;
  return {
    title: `Cost model (${cost.memory_mb} MB arm64, ${prices.region} list prices)`,
    intro: `Unit prices: Lambda arm64 $${prices.lambdaArm64PerGbSecond}/GB-s and $${prices.lambdaPerMillionRequests}/1M requests; DynamoDB on-demand $${prices.dynamoPerMillionWriteUnits}/1M write units and $${prices.dynamoPerMillionReadUnits}/1M read units; SES $${prices.sesPerThousandEmails}/1,000 emails. List prices for ${prices.region}, looked up for this model (${prices.sources.join(", ")}), not fetched at run time. Durations are the measured p50s, billed per ms; capacity units are what DynamoDB Local reported for each call. Cold-start init time (billed too) and Cognito's own charges are not included.`,
    headers: ["workload", "Lambda $", "DynamoDB $", "SES $", "total $", "assumptions"],
    rows: cost.lines.map((line) => [
      line.workload,
      line.lambda_usd,
      line.dynamodb_usd,
      line.ses_usd,
      line.total_usd,
      line.assumptions,
    ]),
  };
}

export function renderText(report: BenchReport): string {
  const lines: string[] = [
    `cognito-lifecycle bench: ${report.generated_at}, ${report.duration_seconds} s${report.quick ? " (quick run: not written to docs/benchmarks.md)" : ""}`,
    `machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memory_gb} GB, ${report.machine.os}, Node ${report.machine.node}; load ${report.machine.load_average_at_start.join(" ")}`,
  ];
  for (const section of sections(report)) {
    lines.push("", `== ${section.title}`);
    if (section.intro) lines.push(section.intro);
    lines.push(...table(section.headers, section.rows));
  }
  if (report.notes.length > 0) lines.push("", "Notes:", ...report.notes.map((note) => `- ${note}`));
  return `${lines.join("\n")}\n`;
}

export function renderMarkdown(report: BenchReport): string {
  const machine = report.machine;
  const settings = Object.entries(report.settings)
    .map(([key, value]) => `${key} ${value.toLocaleString("en")}`)
    .join(", ");
  const lines: string[] = [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench` (packages/bench). Do not edit by hand: run the command again. -->",
    "",
    `Generated ${report.generated_at} in ${report.duration_seconds} s. Settings: ${settings}.`,
    "",
    "Machine:",
    "",
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memory_gb} GB (${machine.free_memory_gb} GB free at start)`,
    `- OS: ${machine.os}; Node ${machine.node}; ${machine.java}`,
    `- Load average (1, 5, 15 min) at start: ${machine.load_average_at_start.join(", ")}${machine.load_average_at_end ? `; at end: ${machine.load_average_at_end.join(", ")}` : ""}`,
    "",
    "Every figure is measured in the same run as its floor and reported as a ratio; absolute",
    "numbers depend on this machine and on the local emulators, which are slower than the AWS services.",
  ];
  for (const section of sections(report)) {
    lines.push("", `## ${section.title}`, "");
    if (section.intro) lines.push(section.intro, "");
    lines.push(...markdownTable(section.headers, section.rows));
  }
  if (report.notes.length > 0) lines.push("", "## Notes", "", ...report.notes.map((note) => `- ${note}`));
  return `${lines.join("\n")}\n`;
}
