import { useState } from "react";

/**
 * Who a bulk action is for: rows checked on the current page (kept across pages of the same
 * filter), or every user the filter matches. A new filter starts a new selection.
 */
export interface BulkSelection {
  subs: string[];
  allMatching: boolean;
  has(sub: string): boolean;
  toggle(sub: string, on: boolean): void;
  setPage(subs: string[], on: boolean): void;
  selectAllMatching(): void;
  clear(): void;
}

export function useBulkSelection(filterKey: string): BulkSelection {
  const [state, setState] = useState({ filterKey, subs: [] as string[], allMatching: false });
  const current = state.filterKey === filterKey ? state : { filterKey, subs: [], allMatching: false };
  if (current !== state) setState(current);
  const update = (subs: string[], allMatching = false) => setState({ filterKey, subs, allMatching });
  return {
    subs: current.subs,
    allMatching: current.allMatching,
    has: (sub) => current.allMatching || current.subs.includes(sub),
    toggle: (sub, on) =>
      update(on ? [...new Set([...current.subs, sub])] : current.subs.filter((item) => item !== sub)),
    setPage: (subs, on) =>
      update(
        on ? [...new Set([...current.subs, ...subs])] : current.subs.filter((item) => !subs.includes(item)),
      ),
    selectAllMatching: () => update([], true),
    clear: () => update([]),
  };
}
