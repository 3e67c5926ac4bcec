import { type FormEvent, useState } from "react";
import { DateTime, RoleList, StatusBadge } from "../components/Badges.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { csvRecordCount, describeCount } from "../format.ts";
import { dataOf, messageOf, useLoad } from "../load.ts";
import { href, navigate } from "../route.ts";
import { type Page, type UserSummary, userSources, userStatuses } from "../types.ts";

const pageSizes = [10, 25, 50, 100] as const;
const defaultPageSize = 25;

interface UserFilters {
  emailPrefix: string;
  role: string;
  status: string;
  source: string;
  limit: number;
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

function show(filters: UserFilters): void {
  navigate("/users", { ...filters, limit: filters.limit === defaultPageSize ? undefined : filters.limit });
}

export function UsersPage({ params }: { params: URLSearchParams }) {
  const { api } = useApp();
  const filters = filtersFrom(params);
  const filterKey = JSON.stringify(filters);
  const pager = useCursorStack(filterKey);
  const users = useLoad(`${filterKey}|${pager.cursor ?? ""}`, () =>
    api.get<Page<UserSummary>>("/users", { ...filters, cursor: pager.cursor }),
  );
  const page = dataOf(users);
  const loading = users.status === "loading";
  const first = (pager.page - 1) * filters.limit + 1;
  const shown = page?.items.length ?? 0;

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <h1>Users</h1>
        <ExportButton filters={filters} />
      </div>
      <FilterForm key={filterKey} filters={filters} />
      {users.status === "error" ? (
        <ErrorNotice title="Could not load users.">{users.message}</ErrorNotice>
      ) : null}
      {loading && !page ? <Loading label="Loading users…" /> : null}
      {page ? (
        <>
          <p className="counts" aria-live="polite">
            {/* While the next page loads, the old rows stay (dimmed) but their counts no longer apply. */}
            {loading
              ? "Loading users…"
              : shown === 0
                ? "No users on this page."
                : `Showing ${first}–${first + shown - 1} · ${pageCounts(page.items)}`}
          </p>
          {shown === 0 ? (
            <div className="empty">
              <p>
                <strong>No users match these filters.</strong>
              </p>
              <p className="muted">Try a shorter email prefix or clear the filters.</p>
            </div>
          ) : (
            <UserTable users={page.items} busy={loading} />
          )}
          <Pager
            label="Users pages"
            page={pager.page}
            summary={`Page ${pager.page}`}
            nextCursor={page.cursor}
            busy={loading}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </>
      ) : null}
    </main>
  );
}

function pageCounts(users: UserSummary[]): string {
  const byStatus = userStatuses
    .map((status) => [status, users.filter((user) => user.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  return `${describeCount(users.length, "user")} on this page (${byStatus.join(", ")})`;
}

function FilterForm({ filters }: { filters: UserFilters }) {
  const { roles } = useApp();
  const [emailPrefix, setEmailPrefix] = useState(filters.emailPrefix);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    show({ ...filters, emailPrefix: emailPrefix.trim() });
  };
  const active = filters.emailPrefix || filters.role || filters.status || filters.source;
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
              value={emailPrefix}
              onChange={(event) => setEmailPrefix(event.target.value)}
            />
            <button type="submit" className="button button-primary">
              Search
            </button>
          </div>
        </div>
        <Select
          id="filter-role"
          label="Role"
          value={filters.role}
          options={roles.map((role) => role.name)}
          onChange={(role) => show({ ...filters, emailPrefix, role })}
        />
        <Select
          id="filter-status"
          label="Status"
          value={filters.status}
          options={userStatuses}
          onChange={(status) => show({ ...filters, emailPrefix, status })}
        />
        <Select
          id="filter-source"
          label="Source"
          value={filters.source}
          options={userSources}
          onChange={(source) => show({ ...filters, emailPrefix, source })}
        />
        <div className="field">
          <label htmlFor="filter-limit">Per page</label>
          <select
            id="filter-limit"
            value={filters.limit}
            onChange={(event) => show({ ...filters, emailPrefix, limit: Number(event.target.value) })}
          >
            {[...new Set([...pageSizes, filters.limit])]
              .sort((a, b) => a - b)
              .map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
          </select>
        </div>
        {active ? (
          <div className="field field-end">
            <a className="button button-link" href={href("/users")}>
              Clear filters
            </a>
          </div>
        ) : null}
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
}: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserTable({ users, busy }: { users: UserSummary[]; busy: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">Users, newest first</caption>
        <thead>
          <tr>
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
              <th scope="row" data-label="Email">
                <a href={href(`/users/${encodeURIComponent(user.sub)}`)}>{user.email ?? user.sub}</a>
              </th>
              <td data-label="Name">{user.name ?? <span className="muted">—</span>}</td>
              <td data-label="Roles">
                <RoleList roles={user.roles} />
              </td>
              <td data-label="Status">
                <StatusBadge status={user.status} />
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
function ExportButton({ filters }: { filters: UserFilters }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const exportCsv = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const { limit: _limit, ...query } = filters;
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

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
