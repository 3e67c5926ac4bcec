import { useState } from "react";
import { DateTime } from "../components/Badges.tsx";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { useApp } from "../context.tsx";
import { useI18n } from "../i18n/useI18n.ts";
import { dataOf, useLoad } from "../load.ts";
import { href } from "../route.ts";
import { AddEndpointForm } from "./webhooks/AddEndpointForm.tsx";
import { EndpointStatus } from "./webhooks/EndpointStatus.tsx";
import {
  describeAttempt,
  describeEventTypes,
  type WebhookAttempt,
  type WebhookEndpointView,
  type WebhookWithSecret,
  webhookPath,
} from "./webhooks/model.ts";
import { SecretNotice } from "./webhooks/SecretNotice.tsx";

interface EndpointRow {
  endpoint: WebhookEndpointView;
  lastAttempt?: WebhookAttempt;
}

/** Shown instead of a webhooks page to an admin whose roles lack `webhooks:manage`. */
export function WebhooksNotAllowed() {
  const { t } = useI18n();
  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>{t("nav.webhooks")}</h1>
      <ErrorNotice>{t("webhooks.notAllowed", { permission: "webhooks:manage" })}</ErrorNotice>
    </main>
  );
}

/** `#/webhooks`: every endpoint with its status and last attempt, and the form to add one. */
export function WebhooksPage() {
  const { api } = useApp();
  const { t } = useI18n();
  const [added, setAdded] = useState<WebhookWithSecret>();
  const list = useLoad("webhooks", async (): Promise<EndpointRow[]> => {
    const { items } = await api.get<{ items: WebhookEndpointView[] }>("/webhooks");
    // A handful of endpoints: one small attempts read each for the last attempt.
    const last = await Promise.all(
      items.map((endpoint) =>
        api.get<{ items: WebhookAttempt[] }>(`${webhookPath(endpoint.id)}/attempts`, { limit: 1 }),
      ),
    );
    return items.map((endpoint, index) => ({ endpoint, lastAttempt: last[index]?.items[0] }));
  });
  const rows = dataOf(list);

  return (
    <main id="main" className="page webhook-page" tabIndex={-1}>
      <div className="page-header">
        <h1>{t("nav.webhooks")}</h1>
      </div>
      <p className="muted">{t("webhooks.intro")}</p>
      {added ? (
        <SecretNotice
          title={t("webhooks.added", { url: added.endpoint.url })}
          secret={added.secret}
          onDismiss={() => setAdded(undefined)}
        />
      ) : null}
      <section className="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">{t("webhooks.endpoints")}</h2>
        {list.status === "error" ? (
          <ErrorNotice title={t("webhooks.loadFailed")}>{list.message}</ErrorNotice>
        ) : null}
        {!rows && list.status === "loading" ? <Loading label={t("webhooks.loading")} /> : null}
        {rows && rows.length === 0 ? <p className="empty">{t("webhooks.empty")}</p> : null}
        {rows && rows.length > 0 ? <EndpointTable rows={rows} busy={list.status === "loading"} /> : null}
      </section>
      <AddEndpointForm
        onAdded={(result) => {
          setAdded(result);
          list.reload();
        }}
      />
    </main>
  );
}

function EndpointTable({ rows, busy }: { rows: EndpointRow[]; busy: boolean }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">{t("webhooks.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("webhooks.url")}</th>
            <th scope="col">{t("webhooks.eventTypes")}</th>
            <th scope="col">{t("webhooks.status")}</th>
            <th scope="col">{t("webhooks.lastAttempt")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ endpoint, lastAttempt }) => (
            <tr key={endpoint.id}>
              <th scope="row" data-label={t("webhooks.url")}>
                <a href={href(webhookPath(endpoint.id))} className="mono">
                  {endpoint.url}
                </a>
                {endpoint.description ? <span className="block muted">{endpoint.description}</span> : null}
              </th>
              <td data-label={t("webhooks.eventTypes")}>{describeEventTypes(endpoint.eventTypes)}</td>
              <td data-label={t("webhooks.status")}>
                <EndpointStatus endpoint={endpoint} />
              </td>
              <td data-label={t("webhooks.lastAttempt")}>
                {lastAttempt ? (
                  <>
                    {describeAttempt(lastAttempt)} <DateTime value={lastAttempt.at} />
                  </>
                ) : (
                  <span className="muted">{t("webhooks.noneYet")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
