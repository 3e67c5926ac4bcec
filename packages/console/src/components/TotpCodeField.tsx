import { useI18n } from "../i18n/useI18n.ts";

/** The 6-digit authenticator code input, shared by the sign-in challenge and the MFA setup. */
export function TotpCodeField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor="totp-code">{t("totp.label")}</label>
      <input
        id="totp-code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        value={value}
        onChange={(event) => onChange(event.target.value.replace(/\D/g, ""))}
      />
    </div>
  );
}
