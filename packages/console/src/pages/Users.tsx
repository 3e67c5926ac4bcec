import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { DateTime, InviteBadge, RoleList, StatusBadge } from "../components/Badges.tsx";
import { FilterFold } from "../components/FilterFold.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { Pager, positionFrom, previousOf, rememberPrevious, type UrlPosition } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { saveBlob } from "../download.ts";
import { csvRecordCount, describeCount } from "../format.ts";
import { type Loaded, messageOf, useLoad } from "../load.ts";
import { allows } from "../permissions.ts";
import { href, navigate } from "../route.ts";
import { type Page, type UserSummary, userSources, userStatuses } from "../types.ts";
import { PageCheckbox, RowCheckbox } from "./users/BulkCheckbox.tsx";
import { BulkToolbar } from "./users/BulkToolbar.tsx";
import { type BulkSelection, useBulkSelection } from "./users/bulk-selection.ts";
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
}

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
  };
}

/** Filters and position go into the URL as a new history entry, so Back and reload return here. */
function show(filters: UserFilters, position?: UrlPosition): void {
  navigate("/users", {
    ...filters,
    emailPrefix: filters.emailPrefix.trim(),
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
  const selection = useBulkSelection(queryKey);

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <div className="title-with-total">
          <h1>Users</h1>
          <p className="total">{totalText(total)}</p>
        </div>
        <div className="actions">
          {allows(me, "users:write") ? <InviteButton onInvited={users.reload} /> : null}
          <ExportButton query={query} />
        </div>
      </div>
      <FilterForm filters={filters} />
      <BulkToolbar selection={selection} filter={query} onDone={users.reload} />
      <UsersResults
        users={users}
        selection={selection}
        filters={filters}
        position={position}
        previousLabel={previous ? "Previous" : "First page"}
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
  selection,
  filters,
  position,
  previousLabel,
  onNext,
  onPrevious,
}: {
  users: Loaded<Page<UserSummary>> & { reload: () => void };
  selection: BulkSelection;
  filters: UserFilters;
  position: UrlPosition;
  previousLabel: string;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
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
        <ErrorNotice title="Could not load users.">{users.message}</ErrorNotice>
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              retried.current = true;
              users.reload();
            }}
          >
            Retry
          </button>
          {position.cursor ? (
            <button type="button" className="button" onClick={() => show(filters)}>
              Go to the first page
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  if (!page) return <Loading label="Loading users…" />;
  const shown = page.items.length;
  const first = (position.page - 1) * filters.limit + 1;
  return (
    <>
      {shown === 0 && !loading ? (
        <EmptyResults filters={filters} moreToSearch={Boolean(page.cursor)} />
      ) : (
        <p className="counts" aria-live="polite" tabIndex={-1} ref={counts}>
          {/* While the next page loads, the old rows stay (dimmed) but their counts no longer apply. */}
          {loading ? "Loading users…" : `Showing ${first}–${first + shown - 1} · ${pageCounts(page.items)}`}
        </p>
      )}
      {shown > 0 ? <UserTable users={page.items} busy={loading} selection={selection} /> : null}
      <Pager
        label="Users pages"
        page={position.page}
        summary={`Page ${position.page}`}
        nextCursor={page.cursor}
        busy={loading}
        onNext={onNext}
        onPrevious={onPrevious}
        previousLabel={previousLabel}
      />
    </>
  );
}

function totalText(total: Loaded<UserCount>): string {
  if (total.status === "error") return "Total unavailable";
  if (total.status === "loading") return "Counting…";
  const { count, exact } = total.data;
  return exact ? `${describeCount(count, "user")} in all` : `${count}+ users in all`;
}

/** Said once: what matched nothing, and what to try next. */
function EmptyResults({ filters, moreToSearch }: { filters: UserFilters; moreToSearch: boolean }) {
  const filtered = filters.emailPrefix || filters.role || filters.status || filters.source;
  return (
    <div className="empty" role="status">
      {moreToSearch ? (
        <p>
          <strong>No matching users in this part of the list.</strong> Next searches further.
        </p>
      ) : filtered ? (
        <p>
          <strong>No users match these filters.</strong> <a href={href("/users")}>Clear the filters</a> or try
          a shorter email prefix.
        </p>
      ) : (
        <p>
          <strong>No users yet.</strong>
        </p>
      )}
    </div>
  );
}

function pageCounts(users: UserSummary[]): string {
  const byStatus = userStatuses
    .map((status) => [status, users.filter((user) => user.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  return `${describeCount(users.length, "user")} on this page (${byStatus.join(", ")})`;
}

const sameFilters = (a: UserFilters, b: UserFilters) =>
  JSON.stringify({ ...a, emailPrefix: a.emailPrefix.trim() }) ===
  JSON.stringify({ ...b, emailPrefix: b.emailPrefix.trim() });

/**
 * The filters are a draft applied by Enter, Search or Apply filters. A menu picked with the
 * pointer applies at once; one changed with the keyboard waits for Enter, so arrowing through
 * options loads nothing (WCAG 3.2.2). The form is never re-mounted, so focus stays put.
 */
function FilterForm({ filters }: { filters: UserFilters }) {
  const { roles } = useApp();
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
  const menu = (field: "role" | "status" | "source" | "limit") => ({
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
  const active = [filters.role, filters.status, filters.source].filter(Boolean).length;
  const pending = !sameFilters(draft, filters);
  return (
    <search aria-label="Filter users">
      <form className="filters" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor="filter-email">Email starts with</label>
          <div className="input-with-button">
            <input
              id="filter-email"
              type="search"
              inputMode="email"
              autoComplete="off"
              spellCheck={false}
              value={draft.emailPrefix}
              onChange={(event) => setDraft({ ...draft, emailPrefix: event.target.value })}
            />
            <button type="submit" className="button button-primary">
              Search
            </button>
          </div>
        </div>
        <FilterFold active={active}>
          <Select
            id="filter-role"
            label="Role"
            options={[["", "Any"], ...roles.map((role) => [role.name, role.name] as const)]}
            {...menu("role")}
          />
          <Select
            id="filter-status"
            label="Status"
            options={[
              ["", "Any but deleted"],
              [everyStatus, "Any, with deleted"],
              ...userStatuses.map((status) => [status, status] as const),
            ]}
            {...menu("status")}
          />
          <Select
            id="filter-source"
            label="Source"
            options={[["", "Any"], ...userSources.map((source) => [source, source] as const)]}
            {...menu("source")}
          />
          <Select
            id="filter-limit"
            label="Per page"
            options={[...new Set([...pageSizes, filters.limit])]
              .sort((a, b) => a - b)
              .map((size) => [String(size), String(size)] as const)}
            {...menu("limit")}
          />
          <div className="field field-end">
            <button type="submit" className="button">
              Apply filters
            </button>
          </div>
          {active > 0 || filters.emailPrefix ? (
            <div className="field field-end">
              <a className="button button-link" href={href("/users")}>
                Clear filters
              </a>
            </div>
          ) : null}
        </FilterFold>
        <p className={pending ? "filters-pending" : "visually-hidden"} role="status">
          {pending ? "Changed filters are not applied yet: press Enter, Search or Apply filters." : ""}
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

function UserTable({
  users,
  busy,
  selection,
}: {
  users: UserSummary[];
  busy: boolean;
  selection: BulkSelection;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">Users, newest first</caption>
        <thead>
          <tr>
            <td className="select-cell">
              <PageCheckbox users={users} selection={selection} />
            </td>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col">Created</th>
            <th scope="col">Last sign-in</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.sub}>
              <td className="select-cell" data-label="Select">
                <RowCheckbox user={user} selection={selection} />
              </td>
              <th scope="row" data-label="Email">
                <a href={href(`/users/${encodeURIComponent(user.sub)}`)}>{user.email ?? user.sub}</a>
              </th>
              <td data-label="Name">{user.name ?? <span className="muted">—</span>}</td>
              <td data-label="Roles">
                <RoleList roles={user.roles} />
              </td>
              <td data-label="Status">
                <StatusBadge status={user.status} /> <InviteBadge pending={user.invitePending} />
              </td>
              <td data-label="Source">{user.source}</td>
              <td data-label="Created">
                <DateTime value={user.createdAt} />
              </td>
              <td data-label="Last sign-in">
                <DateTime value={user.lastSignInAt} />
              </td>
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
      setResult({ ok: true, message: `Exported ${describeCount(rows, "user")} to ${name}.` });
    } catch (error) {
      setResult({ ok: false, message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" className="button" onClick={() => void exportCsv()} disabled={busy}>
        {busy ? "Exporting…" : "Export CSV"}
      </button>
      {result && !result.ok ? <ErrorNotice title="Export failed.">{result.message}</ErrorNotice> : null}
      <StatusNotice message={result?.ok ? result.message : undefined} />
    </div>
  );
}
