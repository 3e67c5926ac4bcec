/** The part of the Lambda context we use; absent when a handler is called directly. */
export interface InvocationContext {
  getRemainingTimeInMillis?: () => number;
}

/** Cognito waits this long for a trigger, init of a cold start included; not configurable. */
export const cognitoTimeoutMs = 5000;

/** What a process knows about its own start. */
export interface ColdStart {
  /** When the process started (epoch ms): a cold start's init runs from here. */
  processStartedAt: number;
  /** When the trigger code was loaded (epoch ms), near the end of init. */
  loadedAt: number;
  /** Whether init happens on the request's path: on-demand Lambda; not provisioned concurrency, SnapStart or tests. */
  countsInit: boolean;
}

/** This process's cold start, read from Lambda's environment (`AWS_LAMBDA_INITIALIZATION_TYPE`). */
export function processColdStart(env: Record<string, string | undefined> = process.env): ColdStart {
  return {
    processStartedAt: performance.timeOrigin,
    loadedAt: Date.now(),
    countsInit: env.AWS_LAMBDA_INITIALIZATION_TYPE === "on-demand",
  };
}

/**
 * When each invocation's work began. The first invocation of an on-demand Lambda process starts
 * at the process start, because Cognito's 5 s clock was already running during init; later ones
 * start when they arrive. If the first request arrives longer than Cognito's timeout after init,
 * Lambda initialised the container ahead of it (proactive init), so its init was on no request's clock.
 */
export class InvocationClock {
  private first = true;

  constructor(private readonly coldStart: ColdStart) {}

  start(now: number = Date.now()): number {
    const first = this.first;
    this.first = false;
    const { countsInit, processStartedAt, loadedAt } = this.coldStart;
    if (!first || !countsInit || now - loadedAt > cognitoTimeoutMs) return now;
    return Math.min(processStartedAt, now);
  }
}

/** The clock every trigger in this process shares (one Lambda process runs one function). */
export const processClock = new InvocationClock(processColdStart());

/** Time left for our own work: the configured budget from `startedAt`, or less if Lambda has less left. */
export function timeLeft(budgetMs: number, startedAt: number, context?: InvocationContext): number {
  const fromBudget = budgetMs - (Date.now() - startedAt);
  const fromLambda = context?.getRemainingTimeInMillis
    ? context.getRemainingTimeInMillis() - 250
    : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(fromBudget, fromLambda));
}

/** An AbortSignal that fires after `ms`; the SDK abandons the call with an `AbortError`. */
export function deadlineSignal(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.floor(ms)));
}
