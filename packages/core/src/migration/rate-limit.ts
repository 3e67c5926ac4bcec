/**
 * Per-user attempt limiting for the migration trigger, as pure rules over one counter item
 * (`attempts`, `windowStart`), so the store can apply them as one conditional update and never
 * read-then-write:
 * - in the current window and under the limit: `ADD attempts 1`, condition
 *   `windowStart >= :windowFloor AND attempts < :maxAttempts`;
 * - no item or an expired window: `SET attempts = 1, windowStart = :now`, condition
 *   `attribute_not_exists(windowStart) OR windowStart < :windowFloor`;
 * - both conditions failing means the user is over the limit.
 * Every verification attempt counts, successful or not: each one spends CPU on the 5 s clock.
 */
export interface RateLimitPolicy {
  maxAttempts: number;
  windowSeconds: number;
}

export interface AttemptCounter {
  attempts: number;
  /** Epoch seconds. */
  windowStart: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The counter after this attempt (unchanged when refused). */
  next: AttemptCounter | undefined;
  /** For the item's TTL: when the counter stops mattering. */
  expiresAt: number | undefined;
}

export const defaultRateLimitPolicy: RateLimitPolicy = { maxAttempts: 5, windowSeconds: 900 };

/** Values for the two conditional updates above. */
export function rateLimitConditions(nowSeconds: number, policy: RateLimitPolicy = defaultRateLimitPolicy) {
  return {
    windowFloor: nowSeconds - policy.windowSeconds,
    maxAttempts: policy.maxAttempts,
    now: nowSeconds,
    expiresAt: nowSeconds + policy.windowSeconds,
  };
}

/** The same rule evaluated over a counter already read: for tests and stores without conditions. */
export function rateLimitDecision(
  counter: AttemptCounter | undefined,
  nowSeconds: number,
  policy: RateLimitPolicy = defaultRateLimitPolicy,
): RateLimitDecision {
  const { windowFloor, maxAttempts, expiresAt } = rateLimitConditions(nowSeconds, policy);
  if (!counter || counter.windowStart < windowFloor) {
    return { allowed: true, next: { attempts: 1, windowStart: nowSeconds }, expiresAt };
  }
  if (counter.attempts < maxAttempts) {
    return {
      allowed: true,
      next: { attempts: counter.attempts + 1, windowStart: counter.windowStart },
      expiresAt: counter.windowStart + policy.windowSeconds,
    };
  }
  return { allowed: false, next: counter, expiresAt: counter.windowStart + policy.windowSeconds };
}
