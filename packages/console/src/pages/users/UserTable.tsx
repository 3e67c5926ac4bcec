import { useI18n } from "../../i18n/useI18n.ts";
import { href } from "../../route.ts";
import type { UserSummary } from "../../types.ts";
import { PageCheckbox, RowCheckbox } from "./BulkCheckbox.tsx";
import type { BulkSelection } from "./bulk-selection.ts";
import { type UserColumnId, userColumns } from "./columns.tsx";

const captions = {
  "": "users.captionNewest",
  oldest: "users.captionOldest",
  email: "users.captionEmail",
} as const;

/** The page of users, one row each: the email links to the user, then the chosen columns. */
export function UserTable({
  users,
  busy,
  columns,
  sort,
  selection,
}: {
  users: UserSummary[];
  busy: boolean;
  columns: readonly UserColumnId[];
  sort: string;
  selection: BulkSelection;
}) {
  const { t } = useI18n();
  const shown = userColumns.filter((column) => columns.includes(column.id));
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">
          {t(captions[sort as keyof typeof captions] ?? captions[""])}
        </caption>
        <thead>
          <tr>
            <td className="select-cell">
              <PageCheckbox users={users} selection={selection} />
            </td>
            <th scope="col">{t("users.email")}</th>
            {shown.map((column) => (
              <th scope="col" key={column.id}>
                {t(column.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.sub}>
              <td className="select-cell" data-label={t("users.select")}>
                <RowCheckbox user={user} selection={selection} />
              </td>
              <th scope="row" data-label={t("users.email")}>
                <a href={href(`/users/${encodeURIComponent(user.sub)}`)}>{user.email ?? user.sub}</a>
              </th>
              {shown.map((column) => (
                <td data-label={t(column.label)} key={column.id}>
                  {column.cell(user)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
