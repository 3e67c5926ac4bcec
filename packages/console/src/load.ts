import { useCallback, useEffect, useState } from "react";
import { ApiError } from "./api.ts";
import { t } from "./i18n/locale.ts";

export type Loaded<T> =
  /** `afterError`: the previous data belong to a load before the one that failed. */
  | { status: "loading"; previous?: T; afterError?: boolean }
  | { status: "error"; message: string; previous?: T }
  | { status: "ready"; data: T };

/** What a state becomes when a new load starts: its data kept as `previous`. */
function loadingFrom<T>(previous: Loaded<T>): Loaded<T> {
  return {
    status: "loading",
    previous: dataOf(previous),
    ...(previous.status === "error" || (previous.status === "loading" && previous.afterError)
      ? { afterError: true }
      : {}),
  };
}

/**
 * Runs `load` whenever `key` changes (and on `reload()`), ignoring answers to superseded calls.
 * While a new load runs, the previous data stays available so the view does not jump. Data of
 * another key are never reported as ready, not even for the render before the new load starts.
 */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> }>({
    key,
    loaded: { status: "loading" },
  });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` depends on.
  useEffect(() => {
    let current = true;
    setState((previous) => ({ key, loaded: loadingFrom(previous.loaded) }));
    load().then(
      (data) => current && setState({ key, loaded: { status: "ready", data } }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          key,
          loaded: { status: "error", message: messageOf(error), previous: dataOf(previous.loaded) },
        })),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const loaded = state.key === key ? state.loaded : loadingFrom(state.loaded);
  return { ...loaded, reload };
}

export function dataOf<T>(state: Loaded<T>): T | undefined {
  return state.status === "ready" ? state.data : state.previous;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof Error) return error.message;
  return t("common.somethingWrong");
}

/**
 * One action at a time from a form: `busy` while it runs, and its failure in words after (cleared
 * when the next attempt starts). A form that checks its own input sets `error` itself.
 */
export function useAttempt() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const attempt = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, attempt };
}
