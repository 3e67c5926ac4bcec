import { useApp } from "../context.tsx";
import { formatDetails } from "../format.ts";
import { useI18n } from "../i18n/useI18n.ts";
import { href } from "../route.ts";
import type { AuditEvent } from "../types.ts";
import { DateTime } from "./Badges.tsx";

/** Audit events newest first; with `showUser`, each row links to the user it concerns. */
export function AuditTable({
  events,
  caption,
  showUser = false,
  busy = false,
  people = {},
}: {
  events: AuditEvent[];
  caption: string;
  showUser?: boolean;
  busy?: boolean;
  /** Email and name by sub (`people` of `GET /audit`); a sub without an entry is shown as is. */
  people?: Record<string, { email?: string; name?: string }>;
}) {
  const { me } = useApp();
  const { t } = useI18n();
  const nameOf = (sub: string) => people[sub]?.email ?? people[sub]?.name;
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("common.when")}</th>
            <th scope="col">{t("audit.action")}</th>
            {showUser ? <th scope="col">{t("common.user")}</th> : null}
            <th scope="col">{t("audit.actor")}</th>
            <th scope="col">{t("common.reason")}</th>
            <th scope="col">{t("audit.details")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={`${event.sub}/${event.id}`}>
              <td data-label={t("common.when")}>
                <DateTime value={event.at} />
              </td>
              <td data-label={t("audit.action")}>
                <code>{event.action}</code>
              </td>
              {showUser ? (
                <td data-label={t("common.user")}>
                  <a
                    href={href(`/users/${encodeURIComponent(event.sub)}`)}
                    className={nameOf(event.sub) ? undefined : "mono"}
                    title={event.sub}
                  >
                    {nameOf(event.sub) ?? event.sub}
                  </a>
                </td>
              ) : null}
              <td data-label={t("audit.actor")}>
                {event.actor === me.sub ? (
                  <span title={event.actor}>{t("common.you")}</span>
                ) : nameOf(event.actor) ? (
                  <span title={event.actor}>{nameOf(event.actor)}</span>
                ) : (
                  <span className="mono">{event.actor}</span>
                )}
              </td>
              <td data-label={t("common.reason")}>{event.reason ?? <span className="muted">—</span>}</td>
              <td data-label={t("audit.details")} className="details">
                {formatDetails(event.details) || <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
