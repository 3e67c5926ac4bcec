import { type FormEvent, useId, useState } from "react";

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
        <label htmlFor={fromId}>From (your local time)</label>
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
        <label htmlFor={toId}>To</label>
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
        Replay range
      </button>
    </form>
  );
}
