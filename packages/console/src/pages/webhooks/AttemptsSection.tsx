import { DateTime } from "../../components/Badges.tsx";
import { ErrorNotice, Loading } from "../../components/Notice.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
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
  const { t } = useI18n();
  const items = dataOf(attempts)?.items;
  return (
    <section className="card" aria-labelledby="attempts-title">
      <h2 id="attempts-title">{t("webhook.attempts")}</h2>
      {attempts.status === "error" ? (
        <ErrorNotice title={t("webhook.attemptsFailed")}>{attempts.message}</ErrorNotice>
      ) : null}
      {!items && attempts.status === "loading" ? <Loading label={t("webhook.attemptsLoading")} /> : null}
      {items && items.length === 0 ? <p className="empty">{t("webhook.noAttempts")}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-cards" aria-busy={attempts.status === "loading"}>
            <caption className="visually-hidden">{t("webhook.attemptsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("common.when")}</th>
                <th scope="col">{t("webhook.event")}</th>
                <th scope="col">{t("webhook.result")}</th>
                <th scope="col">{t("webhook.latency")}</th>
                <th scope="col">{t("webhook.excerpt")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("webhook.replay")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((attempt) => (
                <tr key={`${attempt.eventId}/${attempt.at}/${attempt.attempt}`}>
                  <td data-label={t("common.when")}>
                    <DateTime value={attempt.at} />
                  </td>
                  <td data-label={t("webhook.event")}>
                    <span className="mono">{attempt.eventId}</span>
                    {attempt.attempt > 1 ? (
                      <span className="block muted">
                        {t("webhook.attemptNumber", { number: attempt.attempt })}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t("webhook.result")}>{describeAttempt(attempt)}</td>
                  <td data-label={t("webhook.latency")}>
                    {t("webhook.milliseconds", { ms: attempt.latencyMs })}
                  </td>
                  <td data-label={t("webhook.excerptShort")} className="details">
                    {attempt.excerpt ? (
                      <span className="mono">{attempt.excerpt}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label={t("webhook.replay")}>
                    {isTestEvent(attempt.eventId) ? (
                      <span className="muted">{t("webhook.testEvent")}</span>
                    ) : (
                      <button
                        type="button"
                        className="button button-small"
                        aria-disabled={busy}
                        aria-label={t("webhook.replayEvent", { event: attempt.eventId })}
                        onClick={() => !busy && onReplay(attempt.eventId)}
                      >
                        {t("webhook.replay")}
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
