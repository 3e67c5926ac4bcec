import type { LatencyResult } from "./latency.ts";
import type { TriggerName } from "./runtime.ts";
import { round } from "./stats.ts";

/**
 * List prices, US East (N. Virginia), looked up for this model (not fetched at run time):
 * - Lambda: https://aws.amazon.com/lambda/pricing/ (arm64 duration, first pricing tier; requests)
 * - DynamoDB on-demand: https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the
 *   November 2024 on-demand price cut)
 * - SES: https://aws.amazon.com/ses/pricing/ (pay-as-you-go outbound; accounts new since
 *   July 2026 default to the Essentials plan at $0.16 per 1,000)
 * Cognito's own MAU charge is not included: it does not depend on this code.
 */
export const unitPrices = {
  region: "us-east-1",
  lambdaArm64PerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  sesPerThousandEmails: 0.1,
  sources: [
    "https://aws.amazon.com/lambda/pricing/",
    "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "https://aws.amazon.com/ses/pricing/",
  ],
} as const;

export interface InvocationCost {
  /** Billed duration per invocation (ms, rounded up as Lambda bills). */
  billed_ms: number;
  read_units: number;
  write_units: number;
  emails: number;
}

/** One step of a workload: `count` invocations of a measured path. */
interface Step {
  what: string;
  scenario: string;
  count: number;
}

export interface CostLine {
  workload: string;
  assumptions: string;
  lambda_usd: number;
  dynamodb_usd: number;
  ses_usd: number;
  total_usd: number;
}

export interface CostModel {
  memory_mb: number;
  prices: typeof unitPrices;
  per_invocation: Record<string, InvocationCost>;
  lines: CostLine[];
}

/** What one invocation of each measured path costs: its billed p50, capacity units and emails. */
function perInvocationCosts(latency: readonly LatencyResult[]): Record<string, InvocationCost> {
  const perInvocation: Record<string, InvocationCost> = {};
  for (const result of latency) {
    perInvocation[result.scenario] = {
      billed_ms: Math.ceil(result.trigger_ms.p50),
      read_units: result.capacity.read,
      write_units: result.capacity.write,
      // Cognito sends the code email the custom message trigger writes through the app's own SES
      // identity (EmailSendingAccount DEVELOPER), so SES bills it like the welcome email.
      emails: (result.round_trips["ses:SendEmail"] ?? 0) + (result.trigger === "custom-message" ? 1 : 0),
    };
  }
  return perInvocation;
}

/** Dollars per service for `steps`, at `memoryMb` and the list prices. */
function priceSteps(perInvocation: Record<string, InvocationCost>, memoryMb: number, steps: Step[]) {
  let gbSeconds = 0;
  let requests = 0;
  let reads = 0;
  let writes = 0;
  let emails = 0;
  for (const step of steps) {
    const cost = perInvocation[step.scenario];
    if (!cost) continue;
    requests += step.count;
    gbSeconds += step.count * (memoryMb / 1024) * (cost.billed_ms / 1000);
    reads += step.count * cost.read_units;
    writes += step.count * cost.write_units;
    emails += step.count * cost.emails;
  }
  const lambda =
    gbSeconds * unitPrices.lambdaArm64PerGbSecond + (requests / 1e6) * unitPrices.lambdaPerMillionRequests;
  const dynamodb =
    (reads / 1e6) * unitPrices.dynamoPerMillionReadUnits +
    (writes / 1e6) * unitPrices.dynamoPerMillionWriteUnits;
  const ses = (emails / 1000) * unitPrices.sesPerThousandEmails;
  return { lambda, dynamodb, ses };
}

/**
 * Prices each path from what the bench measured: the p50 duration (as Lambda would bill it,
 * against DynamoDB Local, which is slower than DynamoDB itself, so this errs high), the
 * capacity units DynamoDB reported and the emails sent.
 */
export function costModel(latency: readonly LatencyResult[], memoryMb: number): CostModel {
  const perInvocation = perInvocationCosts(latency);
  const find = (trigger: TriggerName, contains: string) =>
    latency.find((result) => result.trigger === trigger && result.scenario.includes(contains))?.scenario ??
    "";
  const preToken = find("pre-token-generation", "existing");
  const signUp = find("pre-sign-up", "");
  const message = find("custom-message", "");
  const confirm = find("post-confirmation", "new user");
  const signIn = find("post-authentication", "");

  const line = (workload: string, assumptions: string, steps: Step[]): CostLine => {
    const { lambda, dynamodb, ses } = priceSteps(perInvocation, memoryMb, steps);
    return {
      workload,
      assumptions,
      lambda_usd: round(lambda, 4),
      dynamodb_usd: round(dynamodb, 4),
      ses_usd: round(ses, 4),
      total_usd: round(lambda + dynamodb + ses, 4),
    };
  };
  const signUps = (count: number): Step[] => [
    { what: "pre sign-up", scenario: signUp, count },
    { what: "custom message (code)", scenario: message, count },
    { what: "post confirmation", scenario: confirm, count },
    { what: "first sign-in: post authentication", scenario: signIn, count },
    { what: "first sign-in: pre token", scenario: preToken, count },
  ];
  const mau = 100_000;
  return {
    memory_mb: memoryMb,
    prices: unitPrices,
    per_invocation: perInvocation,
    lines: [
      line(
        "1,000 sign-ups",
        "each: pre sign-up, one code message, post confirmation (record + welcome email), first sign-in (post authentication + pre token)",
        signUps(1000),
      ),
      line("1,000,000 token refreshes", "pre token generation only, one read each", [
        { what: "pre token", scenario: preToken, count: 1_000_000 },
      ]),
      line(
        "100,000 MAU",
        "per user and month: 4 sign-ins (post authentication + pre token), 120 token refreshes (30 per sign-in session), 1 code message; plus 5% new users (5,000 sign-ups)",
        [
          { what: "sign-ins: post authentication", scenario: signIn, count: mau * 4 },
          { what: "sign-ins and refreshes: pre token", scenario: preToken, count: mau * (4 + 120) },
          { what: "code messages", scenario: message, count: mau },
          ...signUps(mau * 0.05),
        ],
      ),
    ],
  };
}
