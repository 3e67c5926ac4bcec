import type { ColdStartResult } from "../../packages/bench/src/cold-start.ts";
import { costModel } from "../../packages/bench/src/cost.ts";
import type { LatencyResult } from "../../packages/bench/src/latency.ts";
import type { BenchReport } from "../../packages/bench/src/report.ts";

/** A report with every section filled, as `npm run bench` builds it (figures made up). */
const distribution = (p50: number, p99: number) => ({ n: 500, p50, p99, mean: (p50 + p99) / 2 });

function latency(
  scenario: string,
  trigger: LatencyResult["trigger"],
  floor: boolean,
  trips: Record<string, number>,
): LatencyResult {
  return {
    scenario,
    trigger,
    floor: floor ? "GetItem of the profile" : "none (an empty async handler)",
    trigger_ms: distribution(3.2, 9.9),
    floor_ms: distribution(2.9, 8.1),
    p99_ratio: floor ? 1.22 : null,
    p99_ratio_interval: floor ? { low: 1.05, high: 1.41, resamples: 1000, batches: 20 } : null,
    batch_size: 25,
    p50_ratio: floor ? 1.1 : null,
    trigger_cpu_ms: 1.5,
    floor_cpu_ms: 1.1,
    round_trips: trips,
    round_trips_total: Object.values(trips).reduce((sum, count) => sum + count, 0),
    budget: floor ? "1 read" : "0 calls",
    within_budget: true,
    capacity: { read: 1, write: 0 },
  };
}

function coldStart(name: string, floor: string): ColdStartResult {
  return {
    function: name,
    floor,
    kb: 410.5,
    kb_esm_first: 300.1,
    floor_kb: 330,
    size_ratio: 1.24,
    import_ms: 110,
    floor_import_ms: 90,
    import_ratio: 1.22,
    import_ratio_low: 1.1,
    import_ratio_high: 1.28,
    first_response_ms: 150,
    floor_first_response_ms: 120,
    first_response_ratio: 1.25,
    worst_cold_path_ms: 900,
    worst_cold_path_share: 0.18,
    cold_cpu_ms: 160,
    floor_cold_cpu_ms: 120,
    largest_packages: [
      { package: "@smithy/core", kb: 130.7 },
      { package: "zod", kb: 33.4 },
    ],
    sdk_clients: [{ package: "@aws-sdk/client-dynamodb", imported_by: ["packages/aws/src/user-store.ts"] }],
    runs: 11,
  };
}

export function fixtureLatency(): LatencyResult[] {
  return [
    latency("pre token generation (V2, existing user)", "pre-token-generation", true, {
      "dynamodb:GetItem": 1,
    }),
    {
      ...latency("post confirmation (new user)", "post-confirmation", true, {
        "dynamodb:TransactWriteItems": 1,
      }),
      capacity: { read: 0, write: 12 },
      same_calls_floor: {
        floor: "TransactWriteItems + SendEmail",
        floor_ms: distribution(9, 20),
        p99_ratio: 1.05,
        p50_ratio: 1.01,
      },
    },
    latency("post authentication", "post-authentication", true, { "dynamodb:UpdateItem": 1 }),
    latency("pre sign-up (self sign-up, linking off)", "pre-sign-up", false, {}),
    latency("custom message (sign-up code)", "custom-message", false, {}),
  ];
}

export function fixtureReport(): Omit<BenchReport, "goals" | "duration_seconds"> {
  return {
    generated_at: "2026-11-30T06:15:51.846Z",
    quick: false,
    machine: {
      cpu: "AMD EPYC",
      cores: 2,
      memory_gb: 23.5,
      free_memory_gb: 22.9,
      os: "linux 6.18.44 x64",
      node: "v20.20.2",
      java: 'openjdk version "17.0.15"',
      load_average_at_start: [1.5, 1.2, 1],
      load_average_at_end: [2, 1.5, 1.1],
    },
    settings: { iterations: 500, warmup: 50 },
    latency: fixtureLatency(),
    cold_start: [coldStart("custom-message", "empty handler"), coldStart("pre-token-generation", "dynamodb")],
    memory: [
      {
        trigger: "pre-token-generation",
        invocations: 10_000,
        peak_rss_mb: 146.5,
        at_first_sample: { invocations: 1000, rss_mb: 145.8, heap_used_mb: 20 },
        at_end: { invocations: 10_000, rss_mb: 133.7, heap_used_mb: 20.3 },
        heap_growth_mb: 0.3,
        rss_growth_mb: -12.1,
      },
    ],
    end_to_end: {
      lifecycles: 200,
      concurrency: 10,
      completed: 200,
      failed: 0,
      failures: [],
      seconds: 17.5,
      lifecycles_per_second: 11.4,
      lifecycle_ms: { n: 200, p50: 839, p99: 1311, mean: 900 },
      lost_records: 0,
      duplicate_welcome_emails: 0,
      welcome_emails: 200,
    },
    event_path: {
      poll_interval_ms: 250,
      dispatch_interval_ms: 250,
      latency: {
        events: 200,
        commit_to_receipt_ms: { n: 200, p50: 320.5, p99: 690.1, mean: 340 },
        commit_to_events_function_ms: { n: 200, p50: 140.2, p99: 300.4, mean: 150 },
        floor_ms: { n: 1000, p50: 252.3, p99: 480.9, mean: 255 },
        http_round_trip_ms: { n: 200, p50: 2.1, p99: 9.8, mean: 3 },
        p50_ratio: 1.27,
        p99_ratio: 1.44,
        p99_ratio_interval: { low: 1.3, high: 1.62, resamples: 1000 },
      },
      throughput: {
        events: 500,
        concurrency: 8,
        seconds: 20.5,
        events_per_second: 24.4,
        floor_events_per_second: 120.3,
        ratio: 4.93,
      },
      lost: 0,
      duplicates: 0,
      invalid_signatures: 0,
    },
    password_costs: {
      memory_mb: 1024,
      vcpu_share: 0.579,
      budget_ms: 5000,
      runs: 3,
      verifiers: [
        {
          verifier: "scrypt",
          work_factors: "N 131,072, r 8, p 16",
          cpu_ms: 6262,
          wall_ms: 6400,
          lambda_ms: 10814,
          budget_ratio: 2.16,
          fits: false,
        },
      ],
      worst: { verifier: "scrypt", lambda_ms: 10814, budget_ratio: 2.16, fits: false },
      model: "CPU time divided by the vCPU share.",
    },
    admin_listing: {
      users: 100_000,
      items_written: 201_000,
      seed_seconds: 115.3,
      via: "UserDirectory.listUsers from packages/admin",
      listings: [
        {
          listing: 'by role "admin"',
          items: 50,
          queries_per_page: 1,
          read_units_per_page: 2.5,
          units_per_item: 0.05,
          within_2x: true,
          latency_ms: { n: 20, p50: 5.25, p99: 8.6, mean: 6 },
        },
      ],
      searches: [
        {
          search: 'domain "@example.org" (nobody matches)',
          items: 0,
          queries_per_page: 4,
          read_units_per_page: 180.5,
          entries_read_per_page: 3000,
          within_budget: true,
          latency_ms: { n: 20, p50: 90.1, p99: 120.4, mean: 95 },
        },
      ],
    },
    reconcile: {
      cognito_users: 5000,
      missing_records: 500,
      pending_welcome: 100,
      seconds: 8.5,
      users_per_second: 586,
      cognito_calls: 86,
      cognito_calls_per_user: 0.017,
      cognito_calls_by_operation: { ListGroups: 1, ListUsers: 84, ListUsersInGroup: 1 },
      created: 500,
      welcome_emails_sent: 100,
      dynamodb_round_trips_per_user: 0.159,
    },
    recommendation: {
      memory_mb: 512,
      reason: "the smallest size where peak RSS 147.2 MB leaves 20% headroom",
      model: "CPU time is divided by the vCPU share.",
      options: [
        {
          memory_mb: 512,
          vcpu_share: 0.289,
          worst_cold_ms: 743,
          worst_cold_trigger: "post-confirmation",
          pre_token_warm_ms: 9,
          pre_token_usd_per_million: 0.07,
          fits_memory: true,
          meets_cold_target: true,
        },
      ],
    },
    cost: costModel(fixtureLatency(), 512),
    notes: ["A note."],
  };
}
