import { useState } from "react";
import { ConfirmDialog } from "../components/Dialog.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { useApp } from "../context.tsx";
import { formatDateTime } from "../format.ts";
import { dataOf, useLoad } from "../load.ts";
import { href } from "../route.ts";
import { AttemptsSection } from "./webhooks/AttemptsSection.tsx";
import { EndpointSettings } from "./webhooks/EndpointSettings.tsx";
import { EndpointStatus } from "./webhooks/EndpointStatus.tsx";
import {
  type WebhookAttempt,
  type WebhookEndpointView,
  type WebhookWithSecret,
  webhookPath,
} from "./webhooks/model.ts";
import { ReplayRangeForm } from "./webhooks/ReplayRangeForm.tsx";
import { SecretNotice } from "./webhooks/SecretNotice.tsx";
import { useWebhookActions } from "./webhooks/useWebhookActions.ts";

/** `#/webhooks/<id>`: one endpoint, its settings, a test event, its attempts and replay. */
export function WebhookPage({ id }: { id: string }) {
  const { api } = useApp();
  const path = webhookPath(id);
  const detail = useLoad(`webhook|${id}`, () =>
    api.get<{ endpoint: WebhookEndpointView; pending: number }>(path),
  );
  const attempts = useLoad(`attempts|${id}`, () =>
    api.get<{ items: WebhookAttempt[] }>(`${path}/attempts`, { limit: 50 }),
  );
  const actions = useWebhookActions(id, () => {
    detail.reload();
    attempts.reload();
  });
  const [disabling, setDisabling] = useState(false);
  const loaded = dataOf(detail);

  if (!loaded) {
    return (
      <main id="main" className="page webhook-page" tabIndex={-1}>
        <BackLink />
        {detail.status === "error" ? (
          <ErrorNotice title="Could not load this endpoint.">{detail.message}</ErrorNotice>
        ) : (
          <Loading label="Loading endpoint…" />
        )}
      </main>
    );
  }
  const { endpoint, pending } = loaded;
  return (
    <main id="main" className="page webhook-page" tabIndex={-1}>
      <title>{`Webhook ${endpoint.url} · User admin`}</title>
      <BackLink />
      <WebhookHeader
        endpoint={endpoint}
        pending={pending}
        busy={actions.busy}
        onTest={() => void actions.test()}
        onEnable={() => void actions.enable()}
        onDisable={() => setDisabling(true)}
      />
      <StatusNotice message={actions.result} />
      {actions.failure ? (
        <ErrorNotice title="That did not work.">{actions.failure.message}</ErrorNotice>
      ) : null}
      {actions.rotated ? <RotatedSecret rotated={actions.rotated} onDismiss={actions.dismissSecret} /> : null}
      <EndpointSettings
        key={endpoint.version}
        endpoint={endpoint}
        busy={actions.busy}
        onSaveTypes={(types) => void actions.saveEventTypes(types)}
        onRotate={(hours) => void actions.rotate(hours)}
      />
      <AttemptsSection
        attempts={attempts}
        busy={actions.busy}
        onReplay={(eventId) => void actions.replay({ eventId })}
      />
      <section className="card" aria-labelledby="replay-title">
        <h2 id="replay-title">Replay a time range</h2>
        <p className="muted">
          Every event of this endpoint's types committed in the range is sent again. To replay one event, use
          Replay on its row above.
        </p>
        <ReplayRangeForm
          busy={actions.busy}
          fieldErrors={actions.failure?.fields ?? {}}
          onReplay={(range) => void actions.replay(range)}
        />
      </section>
      {disabling ? (
        <DisableDialog
          url={endpoint.url}
          busy={actions.busy}
          onCancel={() => setDisabling(false)}
          onConfirm={(reason) => void actions.disable(reason).then(() => setDisabling(false))}
        />
      ) : null}
    </main>
  );
}

function DisableDialog({
  url,
  busy,
  onCancel,
  onConfirm,
}: {
  url: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  return (
    <ConfirmDialog
      title="Disable this endpoint?"
      subject={<span className="mono">{url}</span>}
      confirmLabel="Disable endpoint"
      danger
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>Nothing is sent to it while disabled; its deliveries wait and go out when it is enabled again.</p>
      <div className="field">
        <label htmlFor="webhook-disable-reason">Reason (optional, recorded in the audit log)</label>
        <input
          id="webhook-disable-reason"
          type="text"
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
    </ConfirmDialog>
  );
}

function BackLink() {
  return (
    <p className="back">
      <a href={href("/webhooks")}>
        <span aria-hidden="true">←</span> All webhooks
      </a>
    </p>
  );
}

function WebhookHeader({
  endpoint,
  pending,
  busy,
  onTest,
  onEnable,
  onDisable,
}: {
  endpoint: WebhookEndpointView;
  pending: number;
  busy: boolean;
  onTest: () => void;
  onEnable: () => void;
  onDisable: () => void;
}) {
  return (
    <div className="page-header">
      <div>
        <h1 className="user-title">{endpoint.url}</h1>
        <p className="muted">
          <EndpointStatus endpoint={endpoint} /> · {pending} pending ·{" "}
          <span className="mono">{endpoint.id}</span>
          {endpoint.description ? ` · ${endpoint.description}` : ""}
        </p>
      </div>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={onTest}>
          Send test event
        </button>
        {endpoint.disabled ? (
          <button type="button" className="button" disabled={busy} onClick={onEnable}>
            Enable
          </button>
        ) : (
          <button type="button" className="button" disabled={busy} onClick={onDisable}>
            Disable
          </button>
        )}
      </div>
    </div>
  );
}

/** The rotated secret, once, with how long the old one keeps verifying. */
function RotatedSecret({ rotated, onDismiss }: { rotated: WebhookWithSecret; onDismiss: () => void }) {
  const overlapUntil = rotated.endpoint.secrets.find((secret) => secret.expiresAt)?.expiresAt;
  return (
    <SecretNotice title="New signing secret:" secret={rotated.secret} onDismiss={onDismiss}>
      <p>
        Both the old and the new secret are valid
        {overlapUntil ? ` until ${formatDateTime(overlapUntil)}` : " (no overlap was asked for)"}: each
        delivery carries a signature from each, so switch the receiver to the new one within that time.
      </p>
    </SecretNotice>
  );
}
