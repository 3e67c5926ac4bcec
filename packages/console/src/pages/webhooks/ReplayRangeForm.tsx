import { type FormEvent, useId, useState } from "react";
import { useI18n } from "../../i18n/useI18n.ts";

/** A local `datetime-local` value as the ISO time the API compares with audit times. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : "");

/** Replays every event of the endpoint's types committed between two times (`{from, to}`). */
export function ReplayRangeForm({
  busy,
  fieldErrors,
  onReplay,
}: {
  busy: boolean;
  fieldErrors: Record<string, string>;
  onReplay: (range: { from: string; to: string }) => void;
}) {
  const { t } = useI18n();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const fromId = useId();
  const toId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && from && to) onReplay({ from: isoOf(from), to: isoOf(to) });
  };
  return (
    <form className="replay-range" onSubmit={submit}>
      <div className="field">
        <label htmlFor={fromId}>{t("webhook.fromLocal")}</label>
        <input
          id={fromId}
          type="datetime-local"
          step={1}
          value={from}
          aria-invalid={fieldErrors.from ? true : undefined}
          onChange={(e) => setFrom(e.target.value)}
        />
        {fieldErrors.from ? <p className="field-error">{fieldErrors.from}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={toId}>{t("common.to")}</label>
        <input
          id={toId}
          type="datetime-local"
          step={1}
          value={to}
          aria-invalid={fieldErrors.to ? true : undefined}
          onChange={(e) => setTo(e.target.value)}
        />
        {fieldErrors.to ? <p className="field-error">{fieldErrors.to}</p> : null}
      </div>
      <button type="submit" className="button" aria-disabled={busy || !from || !to}>
        {t("webhook.replayRange")}
      </button>
    </form>
  );
}
