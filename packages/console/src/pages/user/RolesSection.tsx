import { type FormEvent, useId, useState } from "react";
import { useApp } from "../../context.tsx";
import type { UserRecord } from "../../types.ts";

/**
 * Role checkboxes from `GET /roles`. The selection is a draft: it survives a 409 so the admin can
 * re-apply it to the current version, and follows the record again once saved.
 */
export function RolesSection({
  user,
  busy,
  fieldErrors,
  onSave,
}: {
  user: UserRecord;
  busy: boolean;
  fieldErrors: Record<string, string>;
  onSave: (roles: string[], reason: string, expectedVersion: number) => Promise<boolean>;
}) {
  const { roles } = useApp();
  const [draft, setDraft] = useState<string[]>();
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const selected = draft ?? user.roles;
  const known = new Set(roles.map((role) => role.name));
  const unknown = user.roles.filter((role) => !known.has(role));
  const changed = [...selected].sort().join() !== [...user.roles].sort().join();
  const rolesError = Object.entries(fieldErrors).find(([field]) => field.startsWith("roles"))?.[1];
  const reasonError = fieldErrors.reason;
  const deleted = user.status === "deleted";
  // Not `disabled` while saving: a focused button that turns disabled drops focus to the page.
  const canSave = changed && reason.trim() !== "" && !busy;

  const toggle = (name: string, on: boolean) => {
    setDraft(on ? [...new Set([...selected, name])].sort() : selected.filter((role) => role !== name));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    if (await onSave(selected, reason.trim(), user.version)) {
      setDraft(undefined);
      setReason("");
    }
  };

  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset
          disabled={deleted}
          aria-busy={busy}
          aria-describedby={rolesError ? "roles-error" : undefined}
        >
          <legend className="visually-hidden">Roles of this user</legend>
          {roles.map((role) => (
            <label key={role.name} className="check">
              <input
                type="checkbox"
                name="roles"
                value={role.name}
                checked={selected.includes(role.name)}
                onChange={(event) => toggle(role.name, event.target.checked)}
              />
              <span>
                <strong>{role.name}</strong>
                <span className="muted block">{role.description}</span>
              </span>
            </label>
          ))}
          {unknown.length > 0 ? (
            <p className="muted">Also has roles no longer in the configuration: {unknown.join(", ")}.</p>
          ) : null}
          {rolesError ? (
            <p id="roles-error" className="field-error">
              {rolesError}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={reasonId}>Reason (recorded in the audit log)</label>
            <input
              id={reasonId}
              type="text"
              required
              maxLength={500}
              value={reason}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${reasonId}-error` : undefined}
              onChange={(event) => setReason(event.target.value)}
            />
            {reasonError ? (
              <p id={`${reasonId}-error`} className="field-error">
                {reasonError}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" aria-disabled={!canSave}>
              Save roles
            </button>
            {draft ? (
              <button type="button" className="button button-link" onClick={() => setDraft(undefined)}>
                Undo changes
              </button>
            ) : null}
          </div>
        </fieldset>
      </form>
      {deleted ? <p className="muted">Roles of a deleted user cannot change.</p> : null}
    </section>
  );
}
