import { useI18n } from "../../i18n/useI18n.ts";

/** A sign-in step's submit button (its busy label while Cognito answers) and, after the first step, Back. */
export function StepButtons({
  busy,
  label,
  busyLabel,
  onBack,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  onBack?: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {onBack ? (
        <button type="button" className="button button-link" onClick={onBack}>
          {t("signIn.back")}
        </button>
      ) : null}
    </>
  );
}
