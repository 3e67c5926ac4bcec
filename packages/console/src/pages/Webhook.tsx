import { useState } from "react";
import { ConfirmDialog } from "../components/Dialog.tsx";
import { ErrorNotice, Loading, StatusNotice } from "../components/Notice.tsx";
import { TextField } from "../components/TextField.tsx";
import { useApp } from "../context.tsx";
import { useI18n } from "../i18n/useI18n.ts";
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
  const { t } = useI18n();
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
          <ErrorNotice title={t("webhook.loadFailed")}>{detail.message}</ErrorNotice>
        ) : (
          <Loading label={t("webhook.loading")} />
        )}
      </main>
    );
  }
  const { endpoint, pending } = loaded;
  return (
    <main id="main" className="page webhook-page" tabIndex={-1}>
      <title>{t("app.title", { page: t("webhook.title", { url: endpoint.url }) })}</title>
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
        <ErrorNotice title={t("common.failed")}>{actions.failure.message}</ErrorNotice>
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
        <h2 id="replay-title">{t("webhook.replayTitle")}</h2>
        <p className="muted">{t("webhook.replayIntro")}</p>
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
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  return (
    <ConfirmDialog
      title={t("webhook.disableTitle")}
      subject={<span className="mono">{url}</span>}
      confirmLabel={t("webhook.disableConfirm")}
      danger
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{t("webhook.disableBody")}</p>
      <TextField
        id="webhook-disable-reason"
        label={t("webhook.disableReason")}
        type="text"
        maxLength={500}
        value={reason}
        onChange={setReason}
      />
    </ConfirmDialog>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="back">
      <a href={href("/webhooks")}>
        <span aria-hidden="true">←</span> {t("webhook.back")}
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
  const { t } = useI18n();
  return (
    <div className="page-header">
      <div>
        <h1 className="user-title">{endpoint.url}</h1>
        <p className="muted">
          <EndpointStatus endpoint={endpoint} /> · {t("webhook.pending", { count: pending })} ·{" "}
          <span className="mono">{endpoint.id}</span>
          {endpoint.description ? ` · ${endpoint.description}` : ""}
        </p>
      </div>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={onTest}>
          {t("webhook.sendTest")}
        </button>
        {endpoint.disabled ? (
          <button type="button" className="button" disabled={busy} onClick={onEnable}>
            {t("common.enable")}
          </button>
        ) : (
          <button type="button" className="button" disabled={busy} onClick={onDisable}>
            {t("common.disable")}
          </button>
        )}
      </div>
    </div>
  );
}

/** The rotated secret, once, with how long the old one keeps verifying. */
function RotatedSecret({ rotated, onDismiss }: { rotated: WebhookWithSecret; onDismiss: () => void }) {
  const { t, dateTime } = useI18n();
  const overlapUntil = rotated.endpoint.secrets.find((secret) => secret.expiresAt)?.expiresAt;
  return (
    <SecretNotice title={t("webhook.newSecret")} secret={rotated.secret} onDismiss={onDismiss}>
      <p>
        {overlapUntil ? t("webhook.overlapUntil", { time: dateTime(overlapUntil) }) : t("webhook.noOverlap")}
      </p>
    </SecretNotice>
  );
}
