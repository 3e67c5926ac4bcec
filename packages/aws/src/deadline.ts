/** The part of the Lambda context we use; absent when a handler is called directly. */
export interface InvocationContext {
  getRemainingTimeInMillis?: () => number;
}

/** Time left for our own work: the configured budget, or less if Lambda has less left. */
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
