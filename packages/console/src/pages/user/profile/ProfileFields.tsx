import { useI18n } from "../../../i18n/useI18n.ts";

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
