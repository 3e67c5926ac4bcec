import { type FormEvent, useState } from "react";
import { AuditTable } from "../components/AuditTable.tsx";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { useApp } from "../context.tsx";
import { describeCount } from "../format.ts";
import { dataOf, useLoad } from "../load.ts";
import { href, navigate } from "../route.ts";
import { type AuditEvent, auditActions, type Page } from "../types.ts";

const pageSize = 25;

export function AuditPage({ params }: { params: URLSearchParams }) {
  const { api } = useApp();
  const filters = { actor: params.get("actor") ?? "", action: params.get("action") ?? "" };
  const filterKey = JSON.stringify(filters);
  const pager = useCursorStack(filterKey);
  const events = useLoad(`${filterKey}|${pager.cursor ?? ""}`, () =>
    api.get<Page<AuditEvent>>("/audit", { ...filters, limit: pageSize, cursor: pager.cursor }),
  );
  const page = dataOf(events);
  const loading = events.status === "loading";

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <h1>Audit log</h1>
      </div>
      <AuditFilters actor={filters.actor} action={filters.action} />
      {events.status === "error" ? (
        <ErrorNotice title="Could not load the audit log.">{events.message}</ErrorNotice>
      ) : null}
      {loading && !page ? <Loading label="Loading audit events…" /> : null}
      {page ? (
        <>
          <p className="counts" aria-live="polite">
            {loading
              ? "Loading audit events…"
              : `${describeCount(page.items.length, "event")} on this page, newest first`}
          </p>
          {page.items.length === 0 ? (
            <div className="empty">
              <p>
                <strong>No audit events match these filters.</strong>
              </p>
            </div>
          ) : (
            <AuditTable events={page.items} caption="Audit events, newest first" showUser busy={loading} />
          )}
          <Pager
            label="Audit pages"
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

/** Never re-mounted on a new filter, so focus stays on the field or button the admin used. */
function AuditFilters({ actor: initialActor, action: initialAction }: { actor: string; action: string }) {
  const { me } = useApp();
  const [actor, setActor] = useState(initialActor);
  const [action, setAction] = useState(initialAction);
  const [shown, setShown] = useState({ actor: initialActor, action: initialAction });
  // Back, a reload or a link changed the URL: the fields follow it.
  if (shown.actor !== initialActor || shown.action !== initialAction) {
    setShown({ actor: initialActor, action: initialAction });
    setActor(initialActor);
    setAction(initialAction);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate("/audit", { actor: actor.trim(), action: action.trim() });
  };
  return (
    <search aria-label="Filter audit events">
      <form className="filters" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor="filter-actor">Actor (a user's sub, or system:&lt;trigger&gt;)</label>
          <input
            id="filter-actor"
            type="search"
            autoComplete="off"
            spellCheck={false}
            value={actor}
            onChange={(event) => setActor(event.target.value)}
          />
        </div>
        <div className="field field-grow">
          <label htmlFor="filter-action">Action</label>
          <input
            id="filter-action"
            type="search"
            list="known-actions"
            autoComplete="off"
            spellCheck={false}
            value={action}
            onChange={(event) => setAction(event.target.value)}
          />
          <datalist id="known-actions">
            {auditActions.map((known) => (
              <option key={known} value={known} />
            ))}
          </datalist>
        </div>
        <div className="field field-end">
          <button type="submit" className="button button-primary">
            Filter
          </button>
        </div>
        <div className="field field-end">
          <button
            type="button"
            className="button"
            onClick={() => navigate("/audit", { actor: me.sub, action: action.trim() })}
          >
            My actions
          </button>
        </div>
        {initialActor || initialAction ? (
          <div className="field field-end">
            <a className="button button-link" href={href("/audit")}>
              Clear filters
            </a>
          </div>
        ) : null}
      </form>
    </search>
  );
}
