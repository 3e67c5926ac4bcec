import { type FormEvent, useId, useRef, useState } from "react";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";
import { type ActionResult, describeDelta, type RoleDelta } from "./useUserActions.ts";

const noChange: RoleDelta = { add: [], remove: [] };

/** The part of `draft` that changes `base`: roles to add it lacks, roles to remove it has. */
function effective(draft: RoleDelta, base: readonly string[]): RoleDelta {
  return {
    add: draft.add.filter((role) => !base.includes(role)).sort(),
    remove: draft.remove.filter((role) => base.includes(role)).sort(),
  };
}

/**
 * Role checkboxes from `GET /roles`. The draft is a change (roles to add and remove), sent as
 * such. After a 409 the checkboxes show the current roles, never the stale set: the change is
 * kept aside until the admin re-applies it, so a second Save cannot undo another admin's change.
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
  onSave: (
    change: RoleDelta,
    reason: string,
    expectedVersion: number,
    confirmSelf: boolean,
  ) => Promise<ActionResult>;
}) {
  const { roles, me } = useApp();
  const { t } = useI18n();
  const [draft, setDraft] = useState<RoleDelta>(noChange);
  const [rejected, setRejected] = useState<RoleDelta>();
  const [reason, setReason] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const saveButton = useRef<HTMLButtonElement>(null);
  const reasonId = useId();
  const change = effective(draft, user.roles);
  const selected = [...new Set([...user.roles, ...change.add])].filter(
    (role) => !change.remove.includes(role),
  );
  const known = new Set(roles.map((role) => role.name));
  const unknown = user.roles.filter((role) => !known.has(role));
  const changed = change.add.length > 0 || change.remove.length > 0;
  const self = user.sub === me.sub;
  const rolesError = Object.entries(fieldErrors).find(([field]) => field.startsWith("roles"))?.[1];
  const reasonError = fieldErrors.reason;
  const deleted = user.status === "deleted";
  // Not `disabled` while saving: a focused button that turns disabled drops focus to the page.
  const canSave = changed && reason.trim() !== "" && !busy && (!self || selfConfirmed);

  const toggle = (name: string, on: boolean) => {
    const add = change.add.filter((role) => role !== name);
    const remove = change.remove.filter((role) => role !== name);
    if (on && !user.roles.includes(name)) add.push(name);
    if (!on && user.roles.includes(name)) remove.push(name);
    setDraft({ add, remove });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    const result = await onSave(change, reason.trim(), user.version, self);
    if (result === "failed") return;
    // Saved, or refused as stale: either way the checkboxes now show the record's roles.
    setDraft(noChange);
    setRejected(result === "conflict" ? change : undefined);
    if (result === "done") {
      setReason("");
      setSelfConfirmed(false);
    }
  };
  const reapply = () => {
    if (rejected) setDraft(rejected);
    setRejected(undefined);
    saveButton.current?.focus();
  };

  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("roles.label")}</h2>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset
          disabled={deleted}
          aria-busy={busy}
          aria-describedby={rolesError ? "roles-error" : undefined}
        >
          <legend className="visually-hidden">{t("roles.ofUser")}</legend>
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
            <p className="muted">{t("roles.unknown", { roles: unknown.join(", ") })}</p>
          ) : null}
          {rolesError ? (
            <p id="roles-error" className="field-error">
              {rolesError}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={reasonId}>{t("roles.reason")}</label>
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
          {self ? (
            <div className="notice notice-warning">
              <p>{t("roles.selfWarning")}</p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={selfConfirmed}
                  onChange={(event) => setSelfConfirmed(event.target.checked)}
                />
                <span>{t("roles.selfConfirm")}</span>
              </label>
            </div>
          ) : null}
          {rejected ? (
            <div className="notice notice-warning">
              <p>{t("roles.notSaved", { change: describeDelta(t, rejected) })}</p>
              <button type="button" className="button" onClick={reapply}>
                {t("roles.reapply")}
              </button>
            </div>
          ) : null}
          <div className="actions">
            <button ref={saveButton} type="submit" className="button button-primary" aria-disabled={!canSave}>
              {t("roles.save")}
            </button>
            {changed ? (
              <button type="button" className="button button-link" onClick={() => setDraft(noChange)}>
                {t("roles.undo")}
              </button>
            ) : null}
          </div>
        </fieldset>
      </form>
      {deleted ? <p className="muted">{t("roles.deleted")}</p> : null}
    </section>
  );
}

/** The roles without the form, for a caller whose roles lack `users:write` (e.g. `support`). */
export function RolesView({ user }: { user: UserRecord }) {
  const { roles } = useApp();
  const { t } = useI18n();
  const described = new Map(roles.map((role) => [role.name, role.description]));
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("roles.label")}</h2>
      {user.roles.length === 0 ? (
        <p className="muted">{t("roles.none")}</p>
      ) : (
        <ul className="role-list">
          {user.roles.map((role) => (
            <li key={role}>
              <strong>{role}</strong>
              {described.get(role) ? <span className="muted block">{described.get(role)}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">{t("roles.readOnly")}</p>
    </section>
  );
}
