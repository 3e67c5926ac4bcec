import type { DeliveryOutcome } from "./deliver.ts";
import type { WebhookEndpoint } from "./endpoints.ts";

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * The Standard Webhooks schedule: the wait before each attempt, the first one immediate. Ten
 * attempts over about three and a half days; after the last failure the delivery is given up.
 */
export const retryDelaysMs = [
  0,
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  14 * hour,
  20 * hour,
  24 * hour,
] as const;

/** Spread of the random jitter around each wait, so retries of many events do not arrive together. */
export const retryJitter = 0.1;

/** A receiver's Retry-After is honoured up to the longest wait of the schedule, no further. */
const maxRetryAfterMs = retryDelaysMs[retryDelaysMs.length - 1] as number;

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when unreadable or in the past. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * second : Date.parse(trimmed) - now.getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, maxRetryAfterMs) : undefined;
}

/**
 * How long to wait after `attemptsMade` failed attempts, or undefined when they are used up.
 * `random` is in [0, 1); the wait is the schedule's, give or take `retryJitter`, but never
 * shorter than the receiver's Retry-After.
 */
export function nextRetryDelay(
  attemptsMade: number,
  options: { random?: () => number; retryAfterMs?: number } = {},
): number | undefined {
  const scheduled = retryDelaysMs[attemptsMade];
  if (scheduled === undefined) return undefined;
  const random = options.random ?? Math.random;
  const jittered = Math.round(scheduled * (1 - retryJitter + 2 * retryJitter * random()));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}

export type AttemptVerdict = "delivered" | "retry" | "gone";

/** 2xx delivers; 410 says the endpoint is gone for good; everything else (3xx included) is retried. */
export function verdictOf(outcome: DeliveryOutcome): AttemptVerdict {
  if (outcome.kind !== "response") return "retry";
  if (outcome.status >= 200 && outcome.status < 300) return "delivered";
  return outcome.status === 410 ? "gone" : "retry";
}

/** When an endpoint that keeps failing is disabled: both a run of failures and its length. */
export interface DisablePolicy {
  consecutiveFailures: number;
  failingForMs: number;
}

/** About the schedule's span: a receiver down for three days straight is switched off. */
export const defaultDisablePolicy: DisablePolicy = { consecutiveFailures: 10, failingForMs: 72 * hour };

/** The endpoint after one attempt: failure counters moved, disabled when the policy says so. */
export function afterAttempt(
  endpoint: WebhookEndpoint,
  verdict: AttemptVerdict,
  now: Date,
  policy: DisablePolicy = defaultDisablePolicy,
): WebhookEndpoint {
  const at = now.toISOString();
  const next = { ...endpoint, updatedAt: at, version: endpoint.version + 1 };
  if (verdict === "delivered") return { ...next, failures: { consecutive: 0 } };
  const failures = { consecutive: endpoint.failures.consecutive + 1, since: endpoint.failures.since ?? at };
  if (verdict === "gone")
    return { ...next, failures, disabled: { at, reason: "the endpoint answered 410 Gone" } };
  const failingFor = now.getTime() - Date.parse(failures.since);
  if (failures.consecutive >= policy.consecutiveFailures && failingFor >= policy.failingForMs) {
    return {
      ...next,
      failures,
      disabled: { at, reason: `${failures.consecutive} failed attempts in a row since ${failures.since}` },
    };
  }
  return { ...next, failures };
}
