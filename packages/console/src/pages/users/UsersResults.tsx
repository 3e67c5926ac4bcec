import { useEffect, useRef } from "react";
import { ErrorNotice, Loading } from "../../components/Notice.tsx";
import { Pager, type UrlPosition } from "../../components/Pager.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { Loaded } from "../../load.ts";
import { href } from "../../route.ts";
import { type Page, type UserSummary, userStatuses } from "../../types.ts";
import type { BulkSelection } from "./bulk-selection.ts";
import type { UserColumnId } from "./columns.tsx";
import { show, type UserFilters } from "./filters.ts";
import { UserTable } from "./UserTable.tsx";

type UsersPage = Page<UserSummary> & { searched?: number };

/**
 * The rows, their counts and the pager. A failed load shows the error in place of the rows (never
 * the previous filter's rows), with Retry; a retry that succeeds moves focus to the new counts.
 */
export function UsersResults({
  users,
  columns,
  selection,
  filters,
  position,
  previousLabel,
  onNext,
  onPrevious,
}: {
  users: Loaded<UsersPage> & { reload: () => void };
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
    const retry = () => {
      retried.current = true;
      users.reload();
    };
    return (
      <LoadError message={users.message} onRetry={retry} fromFirstPage={!position.cursor} filters={filters} />
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

/** The load's error with Retry, and past the first page a way back to it. */
function LoadError({
  message,
  onRetry,
  fromFirstPage,
  filters,
}: {
  message: string;
  onRetry: () => void;
  fromFirstPage: boolean;
  filters: UserFilters;
}) {
  const { t } = useI18n();
  return (
    <div className="load-error">
      <ErrorNotice title={t("users.loadFailed")}>{message}</ErrorNotice>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onRetry}>
          {t("users.retry")}
        </button>
        {fromFirstPage ? null : (
          <button type="button" className="button" onClick={() => show(filters)}>
            {t("users.toFirstPage")}
          </button>
        )}
      </div>
    </div>
  );
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
