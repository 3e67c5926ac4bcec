import { useState } from "react";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { positionFrom, previousOf, rememberPrevious } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { saveBlob } from "../download.ts";
import { csvRecordCount } from "../format.ts";
import { useI18n } from "../i18n/useI18n.ts";
import { type Loaded, messageOf, useLoad } from "../load.ts";
import { allows } from "../permissions.ts";
import type { Page, UserSummary } from "../types.ts";
import { BulkToolbar } from "./users/BulkToolbar.tsx";
import { useBulkSelection } from "./users/bulk-selection.ts";
import { useUserColumns } from "./users/columns.tsx";
import { FilterForm } from "./users/FilterForm.tsx";
import { apiFilter, filtersFrom, show } from "./users/filters.ts";
import { InviteButton } from "./users/InviteButton.tsx";
import { UsersResults } from "./users/UsersResults.tsx";

/** A count from `GET /users/count`; not exact means "at least". */
interface UserCount {
  count: number;
  exact: boolean;
}

export function UsersPage({ params }: { params: URLSearchParams }) {
  const { api, me } = useApp();
  const { t } = useI18n();
  const filters = filtersFrom(params);
  const position = positionFrom(params);
  const query = apiFilter(filters);
  const queryKey = JSON.stringify(query);
  const users = useLoad(`${queryKey}|${filters.limit}|${position.cursor ?? ""}`, () =>
    api.get<Page<UserSummary>>("/users", { ...query, limit: filters.limit, cursor: position.cursor }),
  );
  // One count per filter, not per page: it reads up to the API's count budget.
  const total = useLoad(`count|${queryKey}`, () => api.get<UserCount>("/users/count", query));
  const previous = previousOf(position);
  const [columns, toggleColumn] = useUserColumns();
  const selection = useBulkSelection(queryKey);

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <div className="title-with-total">
          <h1>{t("nav.users")}</h1>
          <p className="total">{totalText(total, t)}</p>
        </div>
        <div className="actions">
          {allows(me, "users:write") ? <InviteButton onInvited={users.reload} /> : null}
          <ExportButton query={query} />
        </div>
      </div>
      <FilterForm filters={filters} columns={columns} onToggleColumn={toggleColumn} />
      <BulkToolbar selection={selection} filter={query} onDone={users.reload} />
      <UsersResults
        users={users}
        columns={columns}
        selection={selection}
        filters={filters}
        position={position}
        previousLabel={previous ? t("pager.previous") : t("users.firstPage")}
        onNext={(cursor) => {
          rememberPrevious(cursor, position.cursor);
          show(filters, { cursor, page: position.page + 1 });
        }}
        onPrevious={() => show(filters, previous)}
      />
    </main>
  );
}

function totalText(total: Loaded<UserCount>, t: ReturnType<typeof useI18n>["t"]): string {
  if (total.status === "error") return t("users.totalUnavailable");
  if (total.status === "loading") return t("users.counting");
  const { count, exact } = total.data;
  // "1,234 users in all"; past the count's read budget a lower bound, "1,000+ users in all".
  return exact ? t("users.total", { count }) : t("users.totalAtLeast", { count });
}

/** Downloads `GET /users.csv` for the current filters: fetched with the token, then saved as a file. */
function ExportButton({ query }: { query: Record<string, string> }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const exportCsv = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const blob = await api.download("/users.csv", query);
      const name = `users-${new Date().toISOString().slice(0, 10)}.csv`;
      const rows = Math.max(0, csvRecordCount(await blob.text()) - 1);
      saveBlob(blob, name);
      setResult({ ok: true, message: t("users.exported", { count: rows, name }) });
    } catch (error) {
      setResult({ ok: false, message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" className="button" onClick={() => void exportCsv()} disabled={busy}>
        {busy ? t("users.exporting") : t("users.exportCsv")}
      </button>
      {result && !result.ok ? (
        <ErrorNotice title={t("users.exportFailed")}>{result.message}</ErrorNotice>
      ) : null}
      <StatusNotice message={result?.ok ? result.message : undefined} />
    </div>
  );
}
