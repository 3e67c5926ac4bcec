import type { FormEvent } from "react";
import { AuditTable } from "../components/AuditTable.tsx";
import { FilterFold } from "../components/FilterFold.tsx";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { SelectField } from "../components/SelectField.tsx";
import { TextField } from "../components/TextField.tsx";
import { useApp } from "../context.tsx";
import { useI18n } from "../i18n/useI18n.ts";
import { dataOf, useLoad } from "../load.ts";
import { href, navigate, useUrlDraft } from "../route.ts";
import { type AuditEvent, auditActions, type Page } from "../types.ts";

const pageSize = 25;

export function AuditPage({ params }: { params: URLSearchParams }) {
  const { api } = useApp();
  const { t } = useI18n();
  const filters = filtersFrom(params);
  const filterKey = JSON.stringify(filters);
  const pager = useCursorStack(filterKey);
  const events = useLoad(`${filterKey}|${pager.cursor ?? ""}`, () =>
    api.get<AuditPage>("/audit", { ...filters, limit: pageSize, cursor: pager.cursor }),
  );
  const page = dataOf(events);
  const loading = events.status === "loading";

  return (
    <main id="main" className="page" tabIndex={-1}>
      <div className="page-header">
        <h1>{t("audit.title")}</h1>
      </div>
      <AuditFilters filters={filters} />
      {events.status === "error" ? (
        <ErrorNotice title={t("audit.loadFailed")}>{events.message}</ErrorNotice>
      ) : null}
      {loading && !page ? <Loading label={t("audit.loading")} /> : null}
      {page ? (
        <>
          <p className="counts" aria-live="polite">
            {loading ? t("audit.loading") : t("audit.counts", { count: page.items.length })}
          </p>
          {page.items.length === 0 ? (
            <div className="empty">
              <p>
                <strong>{t("audit.empty")}</strong>
              </p>
            </div>
          ) : (
            <AuditTable
              events={page.items}
              caption={t("audit.caption")}
              showUser
              busy={loading}
              people={page.people}
            />
          )}
          <Pager
            label={t("audit.pages")}
            page={pager.page}
            summary={t("pager.page", { page: pager.page })}
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

const sameValues = (a: AuditFilterValues, b: AuditFilterValues) => JSON.stringify(a) === JSON.stringify(b);

/** Never re-mounted on a new filter, so focus stays on the field or button the admin used. */
function AuditFilters({ filters: initial }: { filters: AuditFilterValues }) {
  const { me } = useApp();
  const { t } = useI18n();
  const [draft, setDraft] = useUrlDraft(initial, sameValues);
  const field = (name: keyof AuditFilterValues) => ({
    value: draft[name],
    onChange: (value: string) => setDraft((current) => ({ ...current, [name]: value })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate("/audit", { ...draft, user: draft.user.trim(), actor: draft.actor.trim() });
  };
  const filtered = Object.values(initial).some((value) => value !== "");
  const search = { type: "search", autoComplete: "off", spellCheck: false } as const;
  return (
    <search aria-label={t("audit.filterLabel")}>
      <form className="filters" onSubmit={submit}>
        <TextField
          id="filter-user"
          className="field-grow"
          label={t("audit.filterUser")}
          {...search}
          {...field("user")}
        />
        <FilterFold active={[initial.actor, initial.action, initial.from, initial.to].filter(Boolean).length}>
          <TextField
            id="filter-actor"
            className="field-grow"
            label={t("audit.filterActor")}
            {...search}
            {...field("actor")}
          />
          <SelectField
            id="filter-action"
            label={t("audit.action")}
            options={[["", t("audit.anyAction")], ...auditActions.map((known) => [known, known] as const)]}
            {...field("action")}
          />
          <TextField id="filter-from" label={t("common.from")} type="date" {...field("from")} />
          <TextField id="filter-to" label={t("common.to")} type="date" {...field("to")} />
          <div className="field field-end">
            <button type="submit" className="button button-primary">
              {t("audit.filter")}
            </button>
          </div>
          <div className="field field-end">
            <button
              type="button"
              className="button"
              onClick={() => navigate("/audit", { ...draft, actor: me.sub })}
            >
              {t("audit.mine")}
            </button>
          </div>
          {filtered ? (
            <div className="field field-end">
              <a className="button button-link" href={href("/audit")}>
                {t("filters.clear")}
              </a>
            </div>
          ) : null}
        </FilterFold>
      </form>
    </search>
  );
}

interface AuditFilterValues {
  user: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

/** `GET /audit`'s answer: a page of events and the names of its users and actors. */
interface AuditPage extends Page<AuditEvent> {
  people: Record<string, { email?: string; name?: string }>;
}

function filtersFrom(params: URLSearchParams): AuditFilterValues {
  const get = (name: string) => params.get(name) ?? "";
  return { user: get("user"), actor: get("actor"), action: get("action"), from: get("from"), to: get("to") };
}
