import { type ReactNode, useId, useState } from "react";

/**
 * The less-used filters of a form: in one row on wide screens, folded behind a "Filters" toggle on
 * narrow ones (`.filters-more` in styles.css), so the first result starts near the top on a phone.
 */
export function FilterFold({ active, children }: { active: number; children: ReactNode }) {
  const [expanded, setExpanded] = useState(false);
  const moreId = useId();
  return (
    <>
      <button
        type="button"
        className="button filters-toggle"
        aria-expanded={expanded}
        aria-controls={moreId}
        onClick={() => setExpanded(!expanded)}
      >
        Filters{active > 0 ? ` (${active} active)` : ""}
      </button>
      <div id={moreId} className="filters-more" data-collapsed={expanded ? undefined : ""}>
        {children}
      </div>
    </>
  );
}
