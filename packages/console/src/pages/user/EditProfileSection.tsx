import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { useLoad } from "../../load.ts";
import type { UserRecord } from "../../types.ts";
import type { ActionResult, Outcome } from "./useUserActions.ts";

/** What `GET /roles` says the profile form may offer. */
interface ProfileFields {
  locales: string[];
  editableAttributes: string[];
}

/** The form's values: name, locale and each editable attribute, as text. */
type Draft = Record<string, string>;

const valuesOf = (user: UserRecord, attributes: readonly string[]): Draft => ({
  name: user.name ?? "",
  locale: user.locale ?? "",
  ...Object.fromEntries(attributes.map((name) => [name, user.customAttributes?.[name] ?? ""])),
});

/** The fields whose value differs from the record's, as `PATCH /users/{sub}/profile` takes them. */
function editOf(draft: Draft, base: Draft, attributes: readonly string[]) {
  const differs = (field: string) => (draft[field] ?? "").trim() !== (base[field] ?? "");
  const changed = attributes.filter(differs);
  return {
    ...(differs("name") ? { name: draft.name ?? "" } : {}),
    ...(differs("locale") ? { locale: draft.locale ?? "" } : {}),
    ...(changed.length > 0
      ? { attributes: Object.fromEntries(changed.map((name) => [name, draft[name] ?? ""])) }
      : {}),
  };
}

/**
 * Name, locale and the custom attributes the config makes editable, written to Cognito and the
 * record. Only the fields the admin changed are sent, with the version shown: after a 409 the
 * fields show the current values and the admin's edit waits to be re-applied; a 400 keeps what
 * they typed, with each field's message beside it.
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
  const { api, me } = useApp();
  const { t } = useI18n();
  const fields = useLoad("profile-fields", () =>
    api.get<{ profileFields: ProfileFields }>("/roles").then((body) => body.profileFields),
  );
  const options = fields.status === "ready" ? fields.data : undefined;
  const attributes = options?.editableAttributes ?? [];
  const base = valuesOf(user, attributes);
  const [draft, setDraft] = useState<Draft>(base);
  const [rejected, setRejected] = useState<Draft>();
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const saveButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const self = user.sub === me.sub;
  const who = user.name ?? user.email ?? user.sub;
  // A new version (saved, resynced, another admin) resets the fields to the record.
  const baseKey = `${user.version}|${attributes.join(",")}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields follow the record's version only.
  useEffect(() => setDraft(valuesOf(user, attributes)), [baseKey]);
  const edit = editOf(draft, base, attributes);
  const changed = Object.keys(edit).length > 0;
  const canSave = changed && !busy && user.status !== "deleted" && (!self || selfConfirmed);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    const kept = draft;
    const result = await perform(
      async () => {
        const body = { ...edit, expectedVersion: user.version, ...(self ? { confirmSelf: true } : {}) };
        const answer = await api.send<{ user: UserRecord; changes: string[] }>(
          "PATCH",
          `/users/${encodeURIComponent(user.sub)}/profile`,
          body,
        );
        const message =
          answer.changes.length > 0
            ? t("profile.saved", { changes: answer.changes.join(", ") })
            : t("profile.nothingToSave");
        return { user: answer.user, message };
      },
      t("profile.attempt", { fields: Object.keys(edit).join(", ") }),
    );
    if (result === "conflict") setRejected(kept);
    if (result === "done") setSelfConfirmed(false);
    saveButton.current?.focus();
  };
  const reapply = () => {
    if (rejected) setDraft(rejected);
    setRejected(undefined);
    saveButton.current?.focus();
  };
  const errorOf = (field: string) =>
    fieldErrors[field === "name" || field === "locale" ? field : `attributes.${field}`];
  const input = (field: string, label: string, maxLength: number) => {
    const error = errorOf(field);
    return (
      <div className="field" key={field}>
        <label htmlFor={`${id}-${field}`}>{label}</label>
        <input
          id={`${id}-${field}`}
          type="text"
          maxLength={maxLength}
          value={draft[field] ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${field}-error` : undefined}
          onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
        />
        {error ? (
          <p id={`${id}-${field}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("profile.title", { who })}</h2>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset disabled={user.status === "deleted"} aria-busy={busy}>
          <legend className="visually-hidden">{t("profile.fields", { who })}</legend>
          {input("name", t("users.colName"), 256)}
          <div className="field">
            <label htmlFor={`${id}-locale`}>{t("profile.locale")}</label>
            <select
              id={`${id}-locale`}
              value={draft.locale ?? ""}
              aria-invalid={fieldErrors.locale ? true : undefined}
              onChange={(event) => setDraft({ ...draft, locale: event.target.value })}
            >
              {draft.locale ? null : <option value="">{t("profile.notSet")}</option>}
              {(options?.locales ?? []).map((locale) => (
                <option key={locale} value={locale}>
                  {locale}
                </option>
              ))}
            </select>
            {fieldErrors.locale ? <p className="field-error">{fieldErrors.locale}</p> : null}
          </div>
          {attributes.map((name) => input(name, name, 2048))}
          {self ? (
            <div className="notice notice-warning">
              <p>{t("profile.selfWarning")}</p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={selfConfirmed}
                  onChange={(event) => setSelfConfirmed(event.target.checked)}
                />
                <span>{t("profile.selfConfirm")}</span>
              </label>
            </div>
          ) : null}
          {rejected ? (
            <div className="notice notice-warning">
              <p>{t("profile.notSaved")}</p>
              <button type="button" className="button" onClick={reapply}>
                {t("profile.reapply")}
              </button>
            </div>
          ) : null}
          <div className="actions">
            <button ref={saveButton} type="submit" className="button button-primary" aria-disabled={!canSave}>
              {t("profile.save")}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
