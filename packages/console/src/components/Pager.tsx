import { useCallback, useState } from "react";
import { useI18n } from "../i18n/useI18n.ts";

/**
 * Cursor pagination: the API gives only a cursor to the next page, so the cursors of the pages
 * already seen are kept on a stack to go back. A new `resetKey` (new filters) starts at page 1.
 */
export function useCursorStack(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: resetKey,
    stack: [undefined],
  });
  const stack = state.key === resetKey ? state.stack : [undefined];
  if (state.key !== resetKey) setState({ key: resetKey, stack });
  const next = useCallback(
    (cursor: string) => setState((current) => ({ key: current.key, stack: [...current.stack, cursor] })),
    [],
  );
  const previous = useCallback(
    () =>
      setState((current) => ({
        key: current.key,
        stack: current.stack.length > 1 ? current.stack.slice(0, -1) : current.stack,
      })),
    [],
  );
  return { cursor: stack[stack.length - 1], page: stack.length, next, previous };
}

/** A listing's place in the URL: the cursor of the page shown and its number (1 without a cursor). */
export interface UrlPosition {
  cursor: string | undefined;
  page: number;
}

export function positionFrom(params: URLSearchParams): UrlPosition {
  const cursor = params.get("cursor") || undefined;
  const page = Number(params.get("page"));
  if (!cursor) return { cursor: undefined, page: 1 };
  return { cursor, page: Number.isInteger(page) && page >= 2 ? page : 2 };
}

const previousKey = "cognito-lifecycle.console.previous-cursors";
const rememberedCursors = 500;

function previousCursors(): Record<string, string> {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(previousKey) ?? "{}");
    return typeof stored === "object" && stored !== null ? (stored as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * The API only gives a cursor to the next page. The way back is remembered per tab
 * (sessionStorage survives a reload), so Previous works after Back or a reload too.
 */
export function rememberPrevious(next: string, current: string | undefined): void {
  const entries = Object.entries({ ...previousCursors(), [next]: current ?? "" }).slice(-rememberedCursors);
  try {
    sessionStorage.setItem(previousKey, JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // Storage full or blocked: Previous falls back to the first page.
  }
}

/** The page before `position`: `{}` is the first page; undefined when this tab never saw it (a shared link). */
export function previousOf(position: UrlPosition): UrlPosition | undefined {
  if (!position.cursor || position.page <= 2) return { cursor: undefined, page: 1 };
  const previous = previousCursors()[position.cursor];
  if (previous === undefined) return undefined;
  return previous ? { cursor: previous, page: position.page - 1 } : { cursor: undefined, page: 1 };
}

export function Pager({
  label,
  page,
  summary,
  nextCursor,
  busy,
  onNext,
  onPrevious,
  previousLabel,
}: {
  label: string;
  page: number;
  summary: string;
  nextCursor: string | undefined;
  busy: boolean;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  /** "First page" when the page before is unknown (a shared link). */
  previousLabel?: string;
}) {
  const { t } = useI18n();
  // One page and nothing after it: no pagination to offer.
  if (page <= 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={label}>
      {/* aria-disabled, not disabled: the button a keyboard user just pressed keeps focus while the page loads. */}
      <button
        type="button"
        className="button"
        aria-disabled={busy || page <= 1}
        onClick={() => !busy && page > 1 && onPrevious()}
      >
        <span aria-hidden="true">←</span> {previousLabel ?? t("pager.previous")}
      </button>
      <span className="pager-summary">{summary}</span>
      <button
        type="button"
        className="button"
        aria-disabled={busy || !nextCursor}
        onClick={() => !busy && nextCursor && onNext(nextCursor)}
      >
        {t("pager.next")} <span aria-hidden="true">→</span>
      </button>
    </nav>
  );
}
