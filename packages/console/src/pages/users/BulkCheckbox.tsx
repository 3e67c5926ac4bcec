import { useI18n } from "../../i18n/useI18n.ts";
import type { UserSummary } from "../../types.ts";
import type { BulkSelection } from "./bulk-selection.ts";

/** A row's checkbox, named by the user it selects. */
export function RowCheckbox({ user, selection }: { user: UserSummary; selection: BulkSelection }) {
  const { t } = useI18n();
  return (
    <input
      type="checkbox"
      className="row-select"
      aria-label={t("bulk.selectUser", { user: user.email ?? user.sub })}
      checked={selection.has(user.sub)}
      disabled={selection.allMatching}
      onChange={(event) => selection.toggle(user.sub, event.target.checked)}
    />
  );
}

/** The header checkbox: every row on this page. */
export function PageCheckbox({ users, selection }: { users: UserSummary[]; selection: BulkSelection }) {
  const { t } = useI18n();
  const subs = users.map((user) => user.sub);
  const all = subs.length > 0 && subs.every((sub) => selection.has(sub));
  return (
    <input
      type="checkbox"
      className="row-select"
      aria-label={t("bulk.selectPage")}
      checked={all}
      disabled={selection.allMatching}
      onChange={(event) => selection.setPage(subs, event.target.checked)}
    />
  );
}
