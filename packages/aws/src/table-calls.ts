import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { StoreUnavailableError } from "@cognito-lifecycle/core";

export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");
  }
  return (error as { name?: string })?.name === "ConditionalCheckFailedException";
}

/** Wraps SDK failures that mean "the store is not there right now". */
export async function reachTable<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailure(error)) throw error;
    throw new StoreUnavailableError(`User store ${operation} failed: ${(error as Error)?.name ?? "error"}`, {
      cause: error,
    });
  }
}
