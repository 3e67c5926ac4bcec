import { type FormEvent, useState } from "react";
import type { CognitoClient, SignInResult } from "../cognito.ts";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { TotpCodeField } from "../components/TotpCodeField.tsx";
import { useI18n } from "../i18n/useI18n.ts";
import { messageOf } from "../load.ts";
import type { Session } from "../session.ts";

type Step =
  | { kind: "password" }
  | { kind: "new-password"; username: string; challenge: string }
  | { kind: "totp"; username: string; challenge: string };

export function SignIn({
  cognito,
  session,
  notice,
}: {
  cognito: CognitoClient;
  session: Session;
  notice: string | undefined;
}) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const next = (result: SignInResult) => {
    if (result.kind === "signed-in") session.start(result.tokens);
    else setStep({ kind: result.kind, username: result.username, challenge: result.session });
  };

  const signIn = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await cognito.signIn(email.trim(), password);
      setPassword("");
      next(result);
    });
  };

  const enterCode = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== "totp") return;
    void run(async () => {
      const tokens = await cognito.answerTotp(step.username, step.challenge, code.trim());
      setCode("");
      session.start(tokens);
    });
  };

  const choosePassword = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== "new-password") return;
    if (newPassword !== repeat) {
      setError(t("signIn.passwordsDiffer"));
      return;
    }
    void run(async () => {
      next(await cognito.completeNewPassword(step.username, step.challenge, newPassword));
    });
  };

  return (
    <AuthCard>
      {step.kind === "password" ? (
        <form onSubmit={signIn} aria-labelledby="sign-in-title">
          <h1 id="sign-in-title">{t("signIn.title")}</h1>
          <StatusNotice message={error ? undefined : notice} />
          {error ? <ErrorNotice>{error}</ErrorNotice> : null}
          <div className="field">
            <label htmlFor="email">{t("signIn.email")}</label>
            <input
              id="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="password">{t("signIn.password")}</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t("signIn.busy") : t("signIn.title")}
          </button>
        </form>
      ) : step.kind === "totp" ? (
        <form onSubmit={enterCode} aria-labelledby="totp-title">
          <h1 id="totp-title">{t("totp.title")}</h1>
          <p>{t("totp.intro")}</p>
          {error ? <ErrorNotice>{error}</ErrorNotice> : null}
          <TotpCodeField value={code} onChange={setCode} />
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t("common.checking") : t("totp.submit")}
          </button>
          <button
            type="button"
            className="button button-link"
            onClick={() => {
              setStep({ kind: "password" });
              setError(undefined);
            }}
          >
            {t("signIn.back")}
          </button>
        </form>
      ) : (
        <form onSubmit={choosePassword} aria-labelledby="new-password-title">
          <h1 id="new-password-title">{t("newPassword.title")}</h1>
          <p>{t("newPassword.intro")}</p>
          {error ? <ErrorNotice>{error}</ErrorNotice> : null}
          <div className="field">
            <label htmlFor="new-password">{t("newPassword.new")}</label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(event) => setNewPassword(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="repeat-password">{t("newPassword.repeat")}</label>
            <input
              id="repeat-password"
              type="password"
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
          </div>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t("newPassword.busy") : t("newPassword.submit")}
          </button>
          <button
            type="button"
            className="button button-link"
            onClick={() => {
              setStep({ kind: "password" });
              setError(undefined);
            }}
          >
            {t("signIn.back")}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
