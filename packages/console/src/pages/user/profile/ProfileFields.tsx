import { useI18n } from "../../../i18n/useI18n.ts";

/** One text field of the profile form, its API error beside it; the hint says empty clears. */
export function ProfileInput({
  id,
  label,
  maxLength,
  value,
  error,
  hintId,
  onChange,
}: {
  id: string;
  label: string;
  maxLength: number;
  value: string;
  error: string | undefined;
  hintId: string;
  onChange: (value: string) => void;
}) {
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The locale menu: the configured locales, and "Not set", which clears the user's locale. */
export function LocaleField({
  id,
  value,
  locales,
  error,
  onChange,
}: {
  id: string;
  value: string;
  locales: readonly string[];
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{t("profile.locale")}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{t("profile.notSet")}</option>
        {locales.map((locale) => (
          <option key={locale} value={locale}>
            {locale}
          </option>
        ))}
      </select>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** On your own profile: a warning and the tick that allows saving. */
export function SelfConfirm({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="notice notice-warning">
      <p>{t("profile.selfWarning")}</p>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
        <span>{t("profile.selfConfirm")}</span>
      </label>
    </div>
  );
}

/** After a 409: the fields show the current values; the admin's edit waits to be re-applied. */
export function ReapplyNotice({ onReapply }: { onReapply: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-warning">
      <p>{t("profile.notSaved")}</p>
      <button type="button" className="button" onClick={onReapply}>
        {t("profile.reapply")}
      </button>
    </div>
  );
}
