import { useState } from "react";
import { StatusNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { allows } from "../../permissions.ts";
import { BulkDialog, type BulkKind } from "./BulkDialog.tsx";
import type { BulkSelection } from "./bulk-selection.ts";

/** The filter's fields that are set: the API takes a JSON filter as given, where "" is not "any". */
const appliedFilter = (filter: Record<string, string>) =>
  Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ""));

/**
 * What is selected, "Select all matching the filter", and the bulk actions: role changes,
 * disable and enable for `users:write`, export for everyone who reads users.
 */
export function BulkToolbar({
  selection,
  filter,
  onDone,
}: {
  selection: BulkSelection;
  filter: Record<string, string>;
  onDone: () => void;
}) {
  const { me } = useApp();
  const { t } = useI18n();
  const [open, setOpen] = useState<BulkKind>();
  const [message, setMessage] = useState<string>();
  const writes = allows(me, "users:write");
  const chosen = selection.allMatching
    ? t("bulk.allSelected")
    : t("bulk.selected", { count: selection.subs.length });
  const none = !selection.allMatching && selection.subs.length === 0;
  const action = (kind: BulkKind, label: string) => (
    <button type="button" className="button" disabled={none} onClick={() => setOpen(kind)}>
      {label}
    </button>
  );
  return (
    <section className="bulk-toolbar" aria-label={t("bulk.label")}>
      <p className="bulk-chosen">{chosen}</p>
      {selection.allMatching ? (
        <button type="button" className="button button-link" onClick={selection.clear}>
          {t("bulk.clearSelection")}
        </button>
      ) : (
        <button type="button" className="button button-link" onClick={selection.selectAllMatching}>
          {t("bulk.selectAllMatching")}
        </button>
      )}
      {writes ? action("roles", t("bulk.changeRoles")) : null}
      {writes ? action("disable", t("common.disable")) : null}
      {writes ? action("enable", t("common.enable")) : null}
      {action("export", t("bulk.exportSelected"))}
      <StatusNotice message={message} />
      {open ? (
        <BulkDialog
          kind={open}
          target={selection.allMatching ? { filter: appliedFilter(filter) } : { subs: selection.subs }}
          onClose={(summary) => {
            setOpen(undefined);
            if (summary) {
              setMessage(summary);
              selection.clear();
              onDone();
            }
          }}
        />
      ) : null}
    </section>
  );
}
