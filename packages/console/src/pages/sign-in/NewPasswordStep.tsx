import { type FormEvent, useState } from "react";
import type { CognitoClient, SignInResult } from "../../cognito.ts";
import { ErrorNotice } from "../../components/Notice.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { useAttempt } from "../../load.ts";
import { StepButtons } from "./StepButtons.tsx";

/** A challenge of Cognito's sign-in: whom it is for and the session that answers it. */
export interface Challenge {
  username: string;
  challenge: string;
}

/** Cognito's `NEW_PASSWORD_REQUIRED` challenge (an invited user's first sign-in), typed twice. */
export function NewPasswordStep({
  cognito,
  challenge,
  onResult,
  onBack,
}: {
  cognito: CognitoClient;
  challenge: Challenge;
  onResult: (result: SignInResult) => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [newPassword, setNewPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const { busy, error, setError, attempt } = useAttempt();
  const choosePassword = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword !== repeat) {
      setError(t("signIn.passwordsDiffer"));
      return;
    }
    void attempt(async () => {
      onResult(await cognito.completeNewPassword(challenge.username, challenge.challenge, newPassword));
    });
  };
  return (
    <form onSubmit={choosePassword} aria-labelledby="new-password-title">
      <h1 id="new-password-title">{t("newPassword.title")}</h1>
      <p>{t("newPassword.intro")}</p>
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <TextField
        id="new-password"
        label={t("newPassword.new")}
        type="password"
        autoComplete="new-password"
        required
        value={newPassword}
        onChange={setNewPassword}
      />
      <TextField
        id="repeat-password"
        label={t("newPassword.repeat")}
        type="password"
        autoComplete="new-password"
        required
        value={repeat}
        onChange={setRepeat}
      />
      <StepButtons
        busy={busy}
        label={t("newPassword.submit")}
        busyLabel={t("newPassword.busy")}
        onBack={onBack}
      />
    </form>
  );
}
