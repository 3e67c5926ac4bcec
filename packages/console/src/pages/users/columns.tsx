import { type ReactNode, useId, useState } from "react";
import { DateTime, InviteBadge, RoleList, StatusBadge } from "../../components/Badges.tsx";
import type { MessageKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserSummary } from "../../types.ts";

/** The users table's optional columns (labels are message keys); the email (the link to the user) is always shown. */
export const userColumns = [
  {
    id: "name",
    label: "users.colName",
    cell: (user: UserSummary) => user.name ?? <span className="muted">—</span>,
  },
  { id: "roles", label: "users.colRoles", cell: (user: UserSummary) => <RoleList roles={user.roles} /> },
  {
    id: "status",
    label: "users.colStatus",
    cell: (user: UserSummary) => (
      <>
        <StatusBadge status={user.status} /> <InviteBadge pending={user.invitePending} />
      </>
    ),
  },
  { id: "source", label: "users.colSource", cell: (user: UserSummary) => user.source },
  {
    id: "createdAt",
    label: "users.colCreated",
    cell: (user: UserSummary) => <DateTime value={user.createdAt} />,
  },
  {
    id: "lastSignInAt",
    label: "users.colLastSignIn",
    cell: (user: UserSummary) => <DateTime value={user.lastSignInAt} />,
  },
] as const satisfies readonly { id: string; label: MessageKey; cell: (user: UserSummary) => ReactNode }[];

export type UserColumnId = (typeof userColumns)[number]["id"];

const storageKey = "cognito-lifecycle.console.user-columns";
const everyColumn = userColumns.map((column) => column.id);

function storedColumns(): UserColumnId[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey) ?? "null");
    if (!Array.isArray(stored)) return everyColumn;
    return everyColumn.filter((id) => stored.includes(id));
  } catch {
    return everyColumn;
  }
}

/** The columns shown, kept in localStorage so the choice outlives the tab (it holds no personal data). */
export function useUserColumns(): [UserColumnId[], (id: UserColumnId, shown: boolean) => void] {
  const [shown, setShown] = useState(storedColumns);
  const toggle = (id: UserColumnId, on: boolean) => {
    const next = everyColumn.filter((column) => (column === id ? on : shown.includes(column)));
    setShown(next);
    try {
      localStorage.setItem(storageKey, JSON.stringify(next));
    } catch {
      // Storage blocked: the choice lasts until the page is left.
    }
  };
  return [shown, toggle];
}

/**
 * "Columns": a toggle that shows a checkbox per optional column; a change shows or hides the column
 * at once and loads nothing. The checkboxes exist only while open, so their names ("Status") do not
 * double the filters' labels for assistive technology.
 */
export function ColumnChooser({
  shown,
  onToggle,
}: {
  shown: readonly UserColumnId[];
  onToggle: (id: UserColumnId, shown: boolean) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <div className="field column-chooser">
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        {t("users.columns", { shown: shown.length + 1, all: userColumns.length + 1 })}
      </button>
      <fieldset id={listId} hidden={!open}>
        <legend className="visually-hidden">{t("users.columnsShown")}</legend>
        {open
          ? userColumns.map((column) => (
              <label key={column.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={shown.includes(column.id)}
                  onChange={(event) => onToggle(column.id, event.target.checked)}
                />{" "}
                {t(column.label)}
              </label>
            ))
          : null}
      </fieldset>
    </div>
  );
}
