import { useApp } from "../context.tsx";
import { formatDetails } from "../format.ts";
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
  const nameOf = (sub: string) => people[sub]?.email ?? people[sub]?.name;
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            {showUser ? <th scope="col">User</th> : null}
            <th scope="col">Actor</th>
            <th scope="col">Reason</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={`${event.sub}/${event.id}`}>
              <td data-label="When">
                <DateTime value={event.at} />
              </td>
              <td data-label="Action">
                <code>{event.action}</code>
              </td>
              {showUser ? (
                <td data-label="User">
                  <a
                    href={href(`/users/${encodeURIComponent(event.sub)}`)}
                    className={nameOf(event.sub) ? undefined : "mono"}
                    title={event.sub}
                  >
                    {nameOf(event.sub) ?? event.sub}
                  </a>
                </td>
              ) : null}
              <td data-label="Actor">
                {event.actor === me.sub ? (
                  <span title={event.actor}>you</span>
                ) : nameOf(event.actor) ? (
                  <span title={event.actor}>{nameOf(event.actor)}</span>
                ) : (
                  <span className="mono">{event.actor}</span>
                )}
              </td>
              <td data-label="Reason">{event.reason ?? <span className="muted">—</span>}</td>
              <td data-label="Details" className="details">
                {formatDetails(event.details) || <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
