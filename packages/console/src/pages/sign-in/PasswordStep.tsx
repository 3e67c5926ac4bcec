import { type FormEvent, useState } from "react";
import type { CognitoClient, SignInResult } from "../../cognito.ts";
import { ErrorNotice, StatusNotice } from "../../components/Notice.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { useAttempt } from "../../load.ts";
import { StepButtons } from "./StepButtons.tsx";

/** Email and password (`InitiateAuth`); the answer is signed in or a challenge. */
export function PasswordStep({
  cognito,
  notice,
  email,
  onEmail,
  onResult,
}: {
  cognito: CognitoClient;
  /** Why the admin is here again (signed out, session expired), unless an error says more. */
  notice: string | undefined;
  email: string;
  onEmail: (email: string) => void;
  onResult: (result: SignInResult) => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState("");
  const { busy, error, attempt } = useAttempt();
  const signIn = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const result = await cognito.signIn(email.trim(), password);
      setPassword("");
      onResult(result);
    });
  };
  return (
    <form onSubmit={signIn} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t("signIn.title")}</h1>
      <StatusNotice message={error ? undefined : notice} />
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <TextField
        id="email"
        label={t("signIn.email")}
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={onEmail}
      />
      <TextField
        id="password"
        label={t("signIn.password")}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={setPassword}
      />
      <StepButtons busy={busy} label={t("signIn.title")} busyLabel={t("signIn.busy")} />
    </form>
  );
}
