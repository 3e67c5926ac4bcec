import { useId } from "react";
import { SelfConfirm } from "../../components/SelfConfirm.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";
import { errorKeyOf } from "./profile/form.ts";
import { LocaleField, ReapplyNotice } from "./profile/ProfileFields.tsx";
import { useProfileForm } from "./profile/useProfileForm.ts";
import type { ActionResult, Outcome } from "./useUserActions.ts";

/**
 * Name, locale and the custom attributes the config makes editable, written to Cognito and the
 * record. Only the fields the admin changed are sent, with the version shown; an emptied field
 * (or the locale "Not set") is cleared. After a 409 the fields show the current values and the
 * admin's edit waits to be re-applied; a 400 keeps what they typed, with each field's message
 * beside it.
 */
export function EditProfileSection({
  user,
  busy,
  fieldErrors,
  perform,
}: {
  user: UserRecord;
  busy: boolean;
  fieldErrors: Record<string, string>;
  perform: (action: () => Promise<Outcome>, attempted: string) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const form = useProfileForm(user, busy, perform);
  const id = useId();
  const who = user.name ?? user.email ?? user.sub;
  const hintId = `${id}-hint`;
  const input = (field: string, label: string, maxLength: number) => (
    <TextField
      key={field}
      id={`${id}-${field}`}
      type="text"
      label={label}
      maxLength={maxLength}
      value={form.draft[field] ?? ""}
      error={fieldErrors[errorKeyOf(field)]}
      describedBy={hintId}
      onChange={(value) => form.setField(field, value)}
    />
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("profile.title", { who })}</h2>
      <form onSubmit={(event) => void form.submit(event)}>
        <fieldset disabled={user.status === "deleted"} aria-busy={busy}>
          <legend className="visually-hidden">{t("profile.fields", { who })}</legend>
          <p id={hintId} className="muted">
            {t("profile.clearHint")}
          </p>
          {input("name", t("users.colName"), 256)}
          <LocaleField
            id={`${id}-locale`}
            value={form.draft.locale ?? ""}
            locales={form.locales}
            error={fieldErrors.locale}
            onChange={(value) => form.setField("locale", value)}
          />
          {form.attributes.map((name) => input(name, name, 2048))}
          {form.self ? (
            <SelfConfirm
              warning={t("profile.selfWarning")}
              label={t("profile.selfConfirm")}
              checked={form.selfConfirmed}
              onChange={form.setSelfConfirmed}
            />
          ) : null}
          {form.rejected ? <ReapplyNotice onReapply={form.reapply} /> : null}
          <div className="actions">
            <button
              ref={form.saveButton}
              type="submit"
              className="button button-primary"
              aria-disabled={!form.canSave}
            >
              {t("profile.save")}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
