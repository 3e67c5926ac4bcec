import { type FormEvent, useId, useState } from "react";
import { DateTime } from "../../components/Badges.tsx";
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
  const [types, setTypes] = useState<LifecycleEventType[]>(endpoint.eventTypes);
  const [overlap, setOverlap] = useState("24");
  const overlapId = useId();
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
        <h2 id="types-title">Event types</h2>
        <form onSubmit={saveTypes}>
          <EventTypeChecks legend="Send these types" selected={types} disabled={busy} onChange={setTypes} />
          <button type="submit" className="button button-primary" aria-disabled={busy || !changed}>
            Save event types
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="secrets-title">
        <h2 id="secrets-title">Signing secrets</h2>
        <ul className="plain-list">
          {endpoint.secrets.map((secret) => (
            <li key={secret.createdAt}>
              Created <DateTime value={secret.createdAt} />
              {secret.expiresAt ? (
                <>
                  , valid until <DateTime value={secret.expiresAt} />
                </>
              ) : (
                ", current"
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={rotate}>
          <div className="field">
            <label htmlFor={overlapId}>Hours the old secret stays valid (0–168)</label>
            <input
              id={overlapId}
              type="text"
              inputMode="numeric"
              value={overlap}
              aria-invalid={validOverlap ? undefined : true}
              onChange={(e) => setOverlap(e.target.value)}
            />
          </div>
          <button type="submit" className="button" aria-disabled={busy || !validOverlap}>
            Rotate secret
          </button>
        </form>
      </section>
    </div>
  );
}
