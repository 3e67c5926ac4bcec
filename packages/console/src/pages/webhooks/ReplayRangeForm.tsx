import { type FormEvent, useState } from "react";
import { TextField } from "../../components/TextField.tsx";
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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && from && to) onReplay({ from: isoOf(from), to: isoOf(to) });
  };
  return (
    <form className="replay-range" onSubmit={submit}>
      <TextField
        label={t("webhook.fromLocal")}
        type="datetime-local"
        step={1}
        value={from}
        error={fieldErrors.from}
        onChange={setFrom}
      />
      <TextField
        label={t("common.to")}
        type="datetime-local"
        step={1}
        value={to}
        error={fieldErrors.to}
        onChange={setTo}
      />
      <button type="submit" className="button" aria-disabled={busy || !from || !to}>
        {t("webhook.replayRange")}
      </button>
    </form>
  );
}
