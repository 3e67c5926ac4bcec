import { useI18n } from "../i18n/useI18n.ts";
import { TextField } from "./TextField.tsx";

/** The 6-digit authenticator code input, shared by the sign-in challenge and the MFA setup. */
export function TotpCodeField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <TextField
      id="totp-code"
      label={t("totp.label")}
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      value={value}
      onChange={(typed) => onChange(typed.replace(/\D/g, ""))}
    />
  );
}
