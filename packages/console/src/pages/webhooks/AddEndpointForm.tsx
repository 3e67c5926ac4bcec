import { type FormEvent, useState } from "react";
import { ApiError } from "../../api.ts";
import { ErrorNotice } from "../../components/Notice.tsx";
import { TextField } from "../../components/TextField.tsx";
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
        <TextField
          label={t("webhook.urlLabel")}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          required
          value={url}
          error={urlError}
          onChange={setUrl}
        />
        <TextField
          label={t("webhook.description")}
          type="text"
          maxLength={200}
          value={description}
          onChange={setDescription}
        />
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
