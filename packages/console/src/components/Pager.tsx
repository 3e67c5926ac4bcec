import { useCallback, useState } from "react";

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

export function Pager({
  label,
  page,
  summary,
  nextCursor,
  busy,
  onNext,
  onPrevious,
}: {
  label: string;
  page: number;
  summary: string;
  nextCursor: string | undefined;
  busy: boolean;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  // One page and nothing after it: no pagination to offer.
  if (page <= 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" disabled={busy || page <= 1} onClick={onPrevious}>
        <span aria-hidden="true">←</span> Previous
      </button>
      <span className="pager-summary">{summary}</span>
      <button
        type="button"
        className="button"
        disabled={busy || !nextCursor}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        Next <span aria-hidden="true">→</span>
      </button>
    </nav>
  );
}
