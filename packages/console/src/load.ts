import { useCallback, useEffect, useState } from "react";
import { ApiError } from "./api.ts";

export type Loaded<T> =
  /** `afterError`: the previous data belong to a load before the one that failed. */
  | { status: "loading"; previous?: T; afterError?: boolean }
  | { status: "error"; message: string; previous?: T }
  | { status: "ready"; data: T };

/**
 * Runs `load` whenever `key` changes (and on `reload()`), ignoring answers to superseded calls.
 * While a new load runs, the previous data stays available so the view does not jump.
 */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` depends on.
  useEffect(() => {
    let current = true;
    setState((previous) => ({
      status: "loading",
      previous: dataOf(previous),
      ...(previous.status === "error" || (previous.status === "loading" && previous.afterError)
        ? { afterError: true }
        : {}),
    }));
    load().then(
      (data) => current && setState({ status: "ready", data }),
      (error: unknown) =>
        current &&
        setState((previous) => ({ status: "error", message: messageOf(error), previous: dataOf(previous) })),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

export function dataOf<T>(state: Loaded<T>): T | undefined {
  return state.status === "ready" ? state.data : state.previous;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof Error) return error.message;
  return "Something went wrong. Try again.";
}
