import { type ReactNode, useId, useState } from "react";
import { useI18n } from "../i18n/useI18n.ts";

/**
 * The less-used filters of a form: in one row on wide screens, folded behind a "Filters" toggle on
 * narrow ones (`.filters-more` in styles.css), so the first result starts near the top on a phone.
 */
export function FilterFold({ active, children }: { active: number; children: ReactNode }) {
  const { t } = useI18n();
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
        {active > 0 ? t("filters.toggleActive", { count: active }) : t("filters.toggle")}
      </button>
      <div id={moreId} className="filters-more" data-collapsed={expanded ? undefined : ""}>
        {children}
      </div>
    </>
  );
}
