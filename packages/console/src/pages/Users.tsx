import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { FilterFold } from "../components/FilterFold.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { Pager, positionFrom, previousOf, rememberPrevious, type UrlPosition } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { saveBlob } from "../download.ts";
import { csvRecordCount } from "../format.ts";
import { useI18n } from "../i18n/useI18n.ts";
import { type Loaded, messageOf, useLoad } from "../load.ts";
import { allows } from "../permissions.ts";
import { href, navigate } from "../route.ts";
import { type Page, type UserSummary, userSources, userStatuses } from "../types.ts";
import { PageCheckbox, RowCheckbox } from "./users/BulkCheckbox.tsx";
import { BulkToolbar } from "./users/BulkToolbar.tsx";
import { type BulkSelection, useBulkSelection } from "./users/bulk-selection.ts";
import { ColumnChooser, type UserColumnId, userColumns, useUserColumns } from "./users/columns.tsx";
import { InviteButton } from "./users/InviteButton.tsx";

const pageSizes = [10, 25, 50, 100] as const;
const defaultPageSize = 25;
/** The status filter's default (`""`) leaves deleted users out; this value shows everyone. */
const everyStatus = "all";

interface UserFilters {
  emailPrefix: string;
  role: string;
  status: string;
  source: string;
  limit: number;
  /** The search box: a name or part of an email, `@domain`, a whole email or a sub (the API's `q`). */
  q: string;
  /** "" (newest first), "oldest" or "email". */
  sort: string;
  createdFrom: string;
  createdTo: string;
}

const sortOrders = [
  ["", "users.sortNewest"],
  ["oldest", "users.sortOldest"],
  ["email", "users.sortEmail"],
] as const;

/** A count from `GET /users/count`; not exact means "at least". */
interface UserCount {
  count: number;
  exact: boolean;
}

function filtersFrom(params: URLSearchParams): UserFilters {
  const limit = Number(params.get("limit"));
  return {
    emailPrefix: params.get("emailPrefix") ?? "",
    role: params.get("role") ?? "",
    status: params.get("status") ?? "",
    source: params.get("source") ?? "",
    // Any size the API accepts may come from a shared link; the menu offers the usual ones.
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : defaultPageSize,
    q: params.get("q") ?? "",
    sort: params.get("sort") ?? "",
    createdFrom: params.get("createdFrom") ?? "",
    createdTo: params.get("createdTo") ?? "",
  };
}

/** Filters and position go into the URL as a new history entry, so Back and reload return here. */
function show(filters: UserFilters, position?: UrlPosition): void {
  navigate("/users", {
    ...filters,
    emailPrefix: filters.emailPrefix.trim(),
    q: filters.q.trim(),
    limit: filters.limit === defaultPageSize ? undefined : filters.limit,
    page: position?.cursor ? position.page : undefined,
    cursor: position?.cursor,
  });
}

/** The API's filter: by default deleted users are hidden. */
function apiFilter({ limit: _limit, status, ...rest }: UserFilters): Record<string, string> {
  if (status === "") return { ...rest, hideDeleted: "true" };
  return status === everyStatus ? rest : { ...rest, status };
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

/**
 * The rows, their counts and the pager. A failed load shows the error in place of the rows (never
 * the previous filter's rows), with Retry; a retry that succeeds moves focus to the new counts.
 */
function UsersResults({
  users,
  columns,
  selection,
  filters,
  position,
  previousLabel,
  onNext,
  onPrevious,
}: {
  users: Loaded<Page<UserSummary> & { searched?: number }> & { reload: () => void };
  columns: readonly UserColumnId[];
  selection: BulkSelection;
  filters: UserFilters;
  position: UrlPosition;
  previousLabel: string;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  const { t } = useI18n();
  const counts = useRef<HTMLParagraphElement>(null);
  const retried = useRef(false);
  const loading = users.status === "loading";
  const page =
    users.status === "ready" ? users.data : loading && !users.afterError ? users.previous : undefined;
  useEffect(() => {
    if (users.status !== "ready" || !retried.current) return;
    retried.current = false;
    counts.current?.focus();
  }, [users.status]);

  if (users.status === "error") {
    return (
      <div className="load-error">
        <ErrorNotice title={t("users.loadFailed")}>{users.message}</ErrorNotice>
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              retried.current = true;
              users.reload();
            }}
          >
            {t("users.retry")}
          </button>
          {position.cursor ? (
            <button type="button" className="button" onClick={() => show(filters)}>
              {t("users.toFirstPage")}
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  if (!page) return <Loading label={t("users.loading")} />;
  const shown = page.items.length;
  const first = (position.page - 1) * filters.limit + 1;
  const showing = t("users.showing", { first, last: first + shown - 1 });
  return (
    <>
      {shown === 0 && !loading ? (
        <EmptyResults filters={filters} moreToSearch={Boolean(page.cursor)} />
      ) : page.searched !== undefined && page.cursor && shown < filters.limit && !loading ? (
        <p className="counts" aria-live="polite" tabIndex={-1} ref={counts}>
          {`${showing} · ${t("users.searched", { count: page.searched })}`}
        </p>
      ) : (
        <p className="counts" aria-live="polite" tabIndex={-1} ref={counts}>
          {/* While the next page loads, the old rows stay (dimmed) but their counts no longer apply. */}
          {loading ? t("users.loading") : <PageCounts showing={showing} users={page.items} />}
        </p>
      )}
      {shown > 0 ? (
        <UserTable
          users={page.items}
          busy={loading}
          columns={columns}
          sort={filters.sort}
          selection={selection}
        />
      ) : null}
      <Pager
        label={t("users.pages")}
        page={position.page}
        summary={t("pager.page", { page: position.page })}
        nextCursor={page.cursor}
        busy={loading}
        onNext={onNext}
        onPrevious={onPrevious}
        previousLabel={previousLabel}
      />
    </>
  );
}

function totalText(total: Loaded<UserCount>, t: ReturnType<typeof useI18n>["t"]): string {
  if (total.status === "error") return t("users.totalUnavailable");
  if (total.status === "loading") return t("users.counting");
  const { count, exact } = total.data;
  // "1,234 users in all"; past the count's read budget a lower bound, "1,000+ users in all".
  return exact ? t("users.total", { count }) : t("users.totalAtLeast", { count });
}

/** Said once: what matched nothing, and what to try next. */
function EmptyResults({ filters, moreToSearch }: { filters: UserFilters; moreToSearch: boolean }) {
  const { t, rich } = useI18n();
  const filtered =
    filters.emailPrefix ||
    filters.q ||
    filters.role ||
    filters.status ||
    filters.source ||
    filters.createdFrom ||
    filters.createdTo;
  return (
    <div className="empty" role="status">
      {moreToSearch ? (
        <p>
          <strong>{t("users.noneHere")}</strong> {t("users.noneHereHint")}
        </p>
      ) : filtered ? (
        <p>
          <strong>{t("users.noneMatch")}</strong>{" "}
          {rich("users.noneMatchHint", { clear: <a href={href("/users")}>{t("users.clearTheFilters")}</a> })}
        </p>
      ) : (
        <p>
          <strong>{t("users.noneYet")}</strong>
        </p>
      )}
    </div>
  );
}

/**
 * "25 users on this page (20 active, 5 disabled)". The breakdown by status is folded away on
 * narrow screens (styles.css), so the line stays one line above the first row.
 */
function PageCounts({ showing, users }: { showing: string; users: UserSummary[] }) {
  const { t } = useI18n();
  const byStatus = userStatuses
    .map((status) => [status, users.filter((user) => user.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => t("users.statusCount", { count, status: t(`status.${status}`) }));
  return (
    <>
      {`${showing} · ${t("users.onPage", { count: users.length })}`}
      <span className="counts-breakdown">{` (${byStatus.join(", ")})`}</span>
    </>
  );
}

const sameFilters = (a: UserFilters, b: UserFilters) =>
  JSON.stringify({ ...a, emailPrefix: a.emailPrefix.trim(), q: a.q.trim() }) ===
  JSON.stringify({ ...b, emailPrefix: b.emailPrefix.trim(), q: b.q.trim() });

/**
 * The filters are a draft applied by Enter, Search or Apply filters. A menu picked with the
 * pointer applies at once; one changed with the keyboard waits for Enter, so arrowing through
 * options loads nothing (WCAG 3.2.2). The form is never re-mounted, so focus stays put.
 */
function FilterForm({
  filters,
  columns,
  onToggleColumn,
}: {
  filters: UserFilters;
  columns: readonly UserColumnId[];
  onToggleColumn: (id: UserColumnId, shown: boolean) => void;
}) {
  const { roles } = useApp();
  const { t } = useI18n();
  const [draft, setDraft] = useState(filters);
  const [shownFilters, setShownFilters] = useState(filters);
  const fromKeyboard = useRef(false);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  // Back, a reload or a link changed the URL: the draft follows it.
  if (!sameFilters(shownFilters, filters)) {
    setShownFilters(filters);
    setDraft(filters);
  }
  const apply = () => show(draftRef.current);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply();
  };
  const menu = (field: "role" | "status" | "source" | "limit" | "sort") => ({
    value: String(draft[field]),
    onPointerDown: () => {
      fromKeyboard.current = false;
    },
    onKeyDown: (event: KeyboardEvent<HTMLSelectElement>) => {
      if (event.key === "Enter") {
        event.preventDefault();
        apply();
      } else if (event.key !== "Tab" && event.key !== "Shift") fromKeyboard.current = true;
    },
    onChange: (value: string) => {
      const next = { ...draftRef.current, [field]: field === "limit" ? Number(value) : value };
      setDraft(next);
      draftRef.current = next;
      if (!fromKeyboard.current) show(next);
    },
  });
  const active = [
    filters.emailPrefix,
    filters.role,
    filters.status,
    filters.source,
    filters.createdFrom,
    filters.createdTo,
  ].filter(Boolean).length;
  const text = (field: "q" | "emailPrefix" | "createdFrom" | "createdTo") => ({
    value: draft[field],
    onChange: (event: { target: { value: string } }) => {
      const next = { ...draftRef.current, [field]: event.target.value };
      setDraft(next);
      draftRef.current = next;
    },
  });
  const pending = !sameFilters(draft, filters);
  return (
    <search aria-label={t("users.filterLabel")}>
      <form className="filters" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor="filter-q">{t("users.searchLabel")}</label>
          <div className="input-with-button">
            <input
              id="filter-q"
              type="search"
              autoComplete="off"
              spellCheck={false}
              placeholder={t("users.searchPlaceholder")}
              aria-describedby="filter-q-hint"
              {...text("q")}
            />
            <button type="submit" className="button button-primary">
              {t("users.search")}
            </button>
          </div>
          <p id="filter-q-hint" className="visually-hidden">
            {t("users.searchHint")}
          </p>
        </div>
        <FilterFold active={active}>
          <div className="field">
            <label htmlFor="filter-email">{t("users.emailStartsWith")}</label>
            <input
              id="filter-email"
              type="search"
              inputMode="email"
              autoComplete="off"
              spellCheck={false}
              {...text("emailPrefix")}
            />
          </div>
          <Select
            id="filter-role"
            label={t("users.role")}
            options={[["", t("users.any")], ...roles.map((role) => [role.name, role.name] as const)]}
            {...menu("role")}
          />
          <Select
            id="filter-status"
            label={t("users.status")}
            options={[
              ["", t("users.anyButDeleted")],
              [everyStatus, t("users.anyWithDeleted")],
              ...userStatuses.map((status) => [status, t(`status.${status}`)] as const),
            ]}
            {...menu("status")}
          />
          <Select
            id="filter-source"
            label={t("users.source")}
            options={[["", t("users.any")], ...userSources.map((source) => [source, source] as const)]}
            {...menu("source")}
          />
          <div className="field">
            <label htmlFor="filter-created-from">{t("users.createdFrom")}</label>
            <input id="filter-created-from" type="date" {...text("createdFrom")} />
          </div>
          <div className="field">
            <label htmlFor="filter-created-to">{t("users.createdTo")}</label>
            <input id="filter-created-to" type="date" {...text("createdTo")} />
          </div>
          <Select
            id="filter-sort"
            label={t("users.sort")}
            options={sortOrders.map(([order, key]) => [order, t(key)] as const)}
            {...menu("sort")}
          />
          <Select
            id="filter-limit"
            label={t("users.perPage")}
            options={[...new Set([...pageSizes, filters.limit])]
              .sort((a, b) => a - b)
              .map((size) => [String(size), String(size)] as const)}
            {...menu("limit")}
          />
          <div className="field field-end">
            <button type="submit" className="button">
              {t("users.applyFilters")}
            </button>
          </div>
          <ColumnChooser shown={columns} onToggle={onToggleColumn} />
          {active > 0 || filters.q ? (
            <div className="field field-end">
              <a className="button button-link" href={href("/users")}>
                {t("filters.clear")}
              </a>
            </div>
          ) : null}
        </FilterFold>
        <p className={pending ? "filters-pending" : "visually-hidden"} role="status">
          {pending ? t("users.filtersPending") : ""}
        </p>
      </form>
    </search>
  );
}

function Select({
  id,
  label,
  value,
  options,
  onChange,
  onKeyDown,
  onPointerDown,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [value: string, label: string])[];
  onChange: (value: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLSelectElement>) => void;
  onPointerDown: () => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

const captions = {
  "": "users.captionNewest",
  oldest: "users.captionOldest",
  email: "users.captionEmail",
} as const;

function UserTable({
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
