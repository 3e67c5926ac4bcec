import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../../api.ts";
import { ErrorNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { messageOf } from "../../load.ts";
import type { LifecycleEventType } from "../../types.ts";
import { EventTypeChecks } from "./EventTypeChecks.tsx";
import type { WebhookWithSecret } from "./model.ts";

/**
 * `POST /webhooks`. The API checks the URL (https, public addresses); its refusal is shown next
 * to the field and what was typed stays, so the admin can correct it.
 */
export function AddEndpointForm({ onAdded }: { onAdded: (added: WebhookWithSecret) => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [eventTypes, setEventTypes] = useState<LifecycleEventType[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; fields: Record<string, string> }>();
  const urlId = useId();
  const urlErrorId = useId();
  const descriptionId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const body = {
        url: url.trim(),
        eventTypes,
        ...(description.trim() ? { description: description.trim() } : {}),
      };
      const added = await api.send<WebhookWithSecret>("POST", "/webhooks", body);
      setUrl("");
      setDescription("");
      setEventTypes([]);
      onAdded(added);
    } catch (error) {
      setFailure({ message: messageOf(error), fields: error instanceof ApiError ? error.fields : {} });
    } finally {
      setBusy(false);
    }
  };

  const urlError = failure?.fields.url;
  return (
    <section className="card" aria-labelledby="add-webhook-title">
      <h2 id="add-webhook-title">{t("webhook.addTitle")}</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={urlId}>{t("webhook.urlLabel")}</label>
          <input
            id={urlId}
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            required
            value={url}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? urlErrorId : undefined}
            onChange={(e) => setUrl(e.target.value)}
          />
          {urlError ? (
            <p id={urlErrorId} className="field-error">
              {urlError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={descriptionId}>{t("webhook.description")}</label>
          <input
            id={descriptionId}
            type="text"
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <EventTypeChecks legend={t("webhooks.eventTypes")} selected={eventTypes} onChange={setEventTypes} />
        {failure && !urlError ? (
          <ErrorNotice title={t("webhook.notAdded")}>{failure.message}</ErrorNotice>
        ) : null}
        <div className="actions">
          <button type="submit" className="button button-primary" aria-disabled={busy || url.trim() === ""}>
            {busy ? t("webhook.adding") : t("webhook.add")}
          </button>
        </div>
      </form>
    </section>
  );
}
