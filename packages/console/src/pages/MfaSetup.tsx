import { type FormEvent, useEffect, useState } from "react";
import type { CognitoClient } from "../cognito.ts";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { TotpCodeField } from "../components/TotpCodeField.tsx";
import { useI18n } from "../i18n/useI18n.ts";
import { messageOf } from "../load.ts";
import type { Session } from "../session.ts";
import { StepButtons } from "./sign-in/StepButtons.tsx";

/**
 * First sign-in of an account without an authenticator app: AssociateSoftwareToken gives a secret,
 * VerifySoftwareToken checks a code from the app, SetUserMFAPreference turns TOTP on. Then the admin
 * signs in again, so the session they work in comes from a sign-in with a code.
 */
export function MfaSetup({
  cognito,
  session,
  email,
}: {
  cognito: CognitoClient;
  session: Session;
  email: string;
}) {
  const { t, rich } = useI18n();
  const [secret, setSecret] = useState<string>();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    session
      .accessToken()
      .then((token) => cognito.startTotpSetup(token))
      .then(
        (value) => current && setSecret(value),
        (caught: unknown) => current && setError(messageOf(caught)),
      );
    return () => {
      current = false;
    };
  }, [cognito, session]);

  const verify = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    session
      .accessToken()
      .then((token) => cognito.completeTotpSetup(token, code.trim()))
      .then(
        () => session.signOut(t("mfa.done")),
        (caught: unknown) => {
          setError(messageOf(caught));
          setBusy(false);
        },
      );
  };

  return (
    <AuthCard>
      <form onSubmit={verify} aria-labelledby="mfa-setup-title">
        <h1 id="mfa-setup-title">{t("mfa.title")}</h1>
        <p>{rich("mfa.intro", { email: <strong>{email || t("mfa.thisUser")}</strong> })}</p>
        {error ? <ErrorNotice>{error}</ErrorNotice> : null}
        {secret ? (
          <>
            <p className="field">
              <span className="label">{t("mfa.key")}</span>
              <code className="secret" data-testid="totp-secret">
                {secret.replace(/(.{4})/g, "$1 ").trim()}
              </code>
            </p>
            <p>
              <a href={otpauthUri(secret, email)}>{t("mfa.openApp")}</a>
            </p>
            <TotpCodeField value={code} onChange={setCode} />
            <StepButtons busy={busy} label={t("mfa.submit")} busyLabel={t("common.checking")} />
          </>
        ) : error ? null : (
          <Loading label={t("mfa.preparing")} />
        )}
        <button type="button" className="button button-link" onClick={() => void session.signOut()}>
          {t("common.signOut")}
        </button>
      </form>
    </AuthCard>
  );
}

/** The key-URI format authenticator apps accept (otpauth://totp/<label>?secret=&issuer=). */
function otpauthUri(secret: string, email: string): string {
  // The entry's name in the app: one name, whatever language the console was in at setup.
  const issuer = "User admin";
  const label = encodeURIComponent(`${issuer}:${email}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}
