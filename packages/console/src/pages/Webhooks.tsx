import { useState } from "react";
import { DateTime } from "../components/Badges.tsx";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { useApp } from "../context.tsx";
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
  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>Webhooks</h1>
      <ErrorNotice>
        Managing webhooks needs the webhooks:manage permission, which your roles do not grant.
      </ErrorNotice>
    </main>
  );
}

/** `#/webhooks`: every endpoint with its status and last attempt, and the form to add one. */
export function WebhooksPage() {
  const { api } = useApp();
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
        <h1>Webhooks</h1>
      </div>
      <p className="muted">
        Endpoints receive every lifecycle event of their types as a signed POST (Standard Webhooks), retried
        for about three and a half days, in version order per user.
      </p>
      {added ? (
        <SecretNotice
          title={`Endpoint added. Signing secret for ${added.endpoint.url}:`}
          secret={added.secret}
          onDismiss={() => setAdded(undefined)}
        />
      ) : null}
      <section className="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        {list.status === "error" ? (
          <ErrorNotice title="Could not load the endpoints.">{list.message}</ErrorNotice>
        ) : null}
        {!rows && list.status === "loading" ? <Loading label="Loading endpoints…" /> : null}
        {rows && rows.length === 0 ? <p className="empty">No endpoints yet.</p> : null}
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
  return (
    <div className="table-wrap">
      <table className="table table-cards" aria-busy={busy}>
        <caption className="visually-hidden">Webhook endpoints</caption>
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Event types</th>
            <th scope="col">Status</th>
            <th scope="col">Last attempt</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ endpoint, lastAttempt }) => (
            <tr key={endpoint.id}>
              <th scope="row" data-label="URL">
                <a href={href(webhookPath(endpoint.id))} className="mono">
                  {endpoint.url}
                </a>
                {endpoint.description ? <span className="block muted">{endpoint.description}</span> : null}
              </th>
              <td data-label="Event types">{describeEventTypes(endpoint.eventTypes)}</td>
              <td data-label="Status">
                <EndpointStatus endpoint={endpoint} />
              </td>
              <td data-label="Last attempt">
                {lastAttempt ? (
                  <>
                    {describeAttempt(lastAttempt)} <DateTime value={lastAttempt.at} />
                  </>
                ) : (
                  <span className="muted">none yet</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
