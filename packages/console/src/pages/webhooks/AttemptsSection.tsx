import { DateTime } from "../../components/Badges.tsx";
import { ErrorNotice, Loading } from "../../components/Notice.tsx";
import type { Loaded } from "../../load.ts";
import { dataOf } from "../../load.ts";
import { describeAttempt, isTestEvent, type WebhookAttempt } from "./model.ts";

/** The endpoint's attempt log, newest first; each real event can be replayed from its row. */
export function AttemptsSection({
  attempts,
  busy,
  onReplay,
}: {
  attempts: Loaded<{ items: WebhookAttempt[] }>;
  busy: boolean;
  onReplay: (eventId: string) => void;
}) {
  const items = dataOf(attempts)?.items;
  return (
    <section className="card" aria-labelledby="attempts-title">
      <h2 id="attempts-title">Attempts</h2>
      {attempts.status === "error" ? (
        <ErrorNotice title="Could not load the attempts.">{attempts.message}</ErrorNotice>
      ) : null}
      {!items && attempts.status === "loading" ? <Loading label="Loading attempts…" /> : null}
      {items && items.length === 0 ? <p className="empty">No attempts yet.</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-cards" aria-busy={attempts.status === "loading"}>
            <caption className="visually-hidden">Delivery attempts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Result</th>
                <th scope="col">Latency</th>
                <th scope="col">Response excerpt</th>
                <th scope="col">
                  <span className="visually-hidden">Replay</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((attempt) => (
                <tr key={`${attempt.eventId}/${attempt.at}/${attempt.attempt}`}>
                  <td data-label="When">
                    <DateTime value={attempt.at} />
                  </td>
                  <td data-label="Event">
                    <span className="mono">{attempt.eventId}</span>
                    {attempt.attempt > 1 ? (
                      <span className="block muted">attempt {attempt.attempt}</span>
                    ) : null}
                  </td>
                  <td data-label="Result">{describeAttempt(attempt)}</td>
                  <td data-label="Latency">{attempt.latencyMs} ms</td>
                  <td data-label="Excerpt" className="details">
                    {attempt.excerpt ? (
                      <span className="mono">{attempt.excerpt}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label="Replay">
                    {isTestEvent(attempt.eventId) ? (
                      <span className="muted">test event</span>
                    ) : (
                      <button
                        type="button"
                        className="button button-small"
                        aria-disabled={busy}
                        aria-label={`Replay ${attempt.eventId}`}
                        onClick={() => !busy && onReplay(attempt.eventId)}
                      >
                        Replay
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
