import { type FormEvent, useState } from "react";
import { DateTime } from "../../components/Badges.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { LifecycleEventType } from "../../types.ts";
import { EventTypeChecks } from "./EventTypeChecks.tsx";
import type { WebhookEndpointView } from "./model.ts";

/** The endpoint's type filter (a draft until saved) and its secrets, with rotation. */
export function EndpointSettings({
  endpoint,
  busy,
  onSaveTypes,
  onRotate,
}: {
  endpoint: WebhookEndpointView;
  busy: boolean;
  onSaveTypes: (types: LifecycleEventType[]) => void;
  onRotate: (overlapHours: number) => void;
}) {
  const { t, rich } = useI18n();
  const [types, setTypes] = useState<LifecycleEventType[]>(endpoint.eventTypes);
  const [overlap, setOverlap] = useState("24");
  const changed = [...types].sort().join() !== [...endpoint.eventTypes].sort().join();
  const hours = Number(overlap);
  const validOverlap = Number.isInteger(hours) && hours >= 0 && hours <= 168;
  const saveTypes = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && changed) onSaveTypes(types);
  };
  const rotate = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && validOverlap) onRotate(hours);
  };
  return (
    <div className="columns">
      <section className="card" aria-labelledby="types-title">
        <h2 id="types-title">{t("webhooks.eventTypes")}</h2>
        <form onSubmit={saveTypes}>
          <EventTypeChecks
            legend={t("webhook.sendTypes")}
            selected={types}
            disabled={busy}
            onChange={setTypes}
          />
          <button type="submit" className="button button-primary" aria-disabled={busy || !changed}>
            {t("webhook.saveTypes")}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="secrets-title">
        <h2 id="secrets-title">{t("webhook.secrets")}</h2>
        <ul className="plain-list">
          {endpoint.secrets.map((secret) => (
            <li key={secret.createdAt}>
              {rich("webhook.secretCreated", { time: <DateTime value={secret.createdAt} /> })}
              {secret.expiresAt
                ? rich("webhook.secretUntil", { time: <DateTime value={secret.expiresAt} /> })
                : t("webhook.secretCurrent")}
            </li>
          ))}
        </ul>
        <form onSubmit={rotate}>
          <TextField
            label={t("webhook.overlapHours")}
            type="text"
            inputMode="numeric"
            value={overlap}
            invalid={!validOverlap}
            onChange={setOverlap}
          />
          <button type="submit" className="button" aria-disabled={busy || !validOverlap}>
            {t("webhook.rotate")}
          </button>
        </form>
      </section>
    </div>
  );
}
