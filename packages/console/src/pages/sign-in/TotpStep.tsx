import { type FormEvent, useState } from "react";
import type { CognitoClient, Tokens } from "../../cognito.ts";
import { ErrorNotice } from "../../components/Notice.tsx";
import { TotpCodeField } from "../../components/TotpCodeField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { useAttempt } from "../../load.ts";
import type { Challenge } from "./NewPasswordStep.tsx";
import { StepButtons } from "./StepButtons.tsx";

/** Cognito's `SOFTWARE_TOKEN_MFA` challenge: the code from the authenticator app. */
export function TotpStep({
  cognito,
  challenge,
  onSignedIn,
  onBack,
}: {
  cognito: CognitoClient;
  challenge: Challenge;
  onSignedIn: (tokens: Tokens) => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const { busy, error, attempt } = useAttempt();
  const enterCode = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const tokens = await cognito.answerTotp(challenge.username, challenge.challenge, code.trim());
      setCode("");
      onSignedIn(tokens);
    });
  };
  return (
    <form onSubmit={enterCode} aria-labelledby="totp-title">
      <h1 id="totp-title">{t("totp.title")}</h1>
      <p>{t("totp.intro")}</p>
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <TotpCodeField value={code} onChange={setCode} />
      <StepButtons busy={busy} label={t("totp.submit")} busyLabel={t("common.checking")} onBack={onBack} />
    </form>
  );
}
