import { RoleCheckbox } from "../../components/RoleCheckbox.tsx";
import { SelfConfirm } from "../../components/SelfConfirm.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";
import { type SaveRoles, useRoleDraft } from "./useRoleDraft.ts";
import { describeDelta, type RoleDelta } from "./useUserActions.ts";

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
  onSave: SaveRoles;
}) {
  const { me } = useApp();
  const { t } = useI18n();
  const self = user.sub === me.sub;
  const form = useRoleDraft(user, self, busy, onSave);
  const rolesError = Object.entries(fieldErrors).find(([field]) => field.startsWith("roles"))?.[1];
  const deleted = user.status === "deleted";

  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("roles.label")}</h2>
      <form onSubmit={(event) => void form.submit(event)}>
        <fieldset
          disabled={deleted}
          aria-busy={busy}
          aria-describedby={rolesError ? "roles-error" : undefined}
        >
          <legend className="visually-hidden">{t("roles.ofUser")}</legend>
          <RoleChoices selected={form.selected} held={user.roles} onToggle={form.toggle} />
          {rolesError ? (
            <p id="roles-error" className="field-error">
              {rolesError}
            </p>
          ) : null}
          <TextField
            label={t("roles.reason")}
            type="text"
            required
            maxLength={500}
            value={form.reason}
            error={fieldErrors.reason}
            onChange={form.setReason}
          />
          {self ? (
            <SelfConfirm
              warning={t("roles.selfWarning")}
              label={t("roles.selfConfirm")}
              checked={form.selfConfirmed}
              onChange={form.setSelfConfirmed}
            />
          ) : null}
          {form.rejected ? <RejectedChange change={form.rejected} onReapply={form.reapply} /> : null}
          <div className="actions">
            <button
              ref={form.saveButton}
              type="submit"
              className="button button-primary"
              aria-disabled={!form.canSave}
            >
              {t("roles.save")}
            </button>
            {form.changed ? (
              <button type="button" className="button button-link" onClick={form.undo}>
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

/** A checkbox per configured role, and the roles the user holds that the configuration no longer has. */
function RoleChoices({
  selected,
  held,
  onToggle,
}: {
  selected: readonly string[];
  held: readonly string[];
  onToggle: (role: string, on: boolean) => void;
}) {
  const { roles } = useApp();
  const { t } = useI18n();
  const known = new Set(roles.map((role) => role.name));
  const unknown = held.filter((role) => !known.has(role));
  return (
    <>
      {roles.map((role) => (
        <RoleCheckbox
          key={role.name}
          role={role}
          name="roles"
          value={role.name}
          checked={selected.includes(role.name)}
          onChange={(on) => onToggle(role.name, on)}
        />
      ))}
      {unknown.length > 0 ? (
        <p className="muted">{t("roles.unknown", { roles: unknown.join(", ") })}</p>
      ) : null}
    </>
  );
}

/** The admin's change that a 409 set aside, and the button that puts it back on the current roles. */
function RejectedChange({ change, onReapply }: { change: RoleDelta; onReapply: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-warning">
      <p>{t("roles.notSaved", { change: describeDelta(t, change) })}</p>
      <button type="button" className="button" onClick={onReapply}>
        {t("roles.reapply")}
      </button>
    </div>
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
