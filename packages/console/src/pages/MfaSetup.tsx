import { type FormEvent, useEffect, useState } from "react";
import type { CognitoClient } from "../cognito.ts";
import { ErrorNotice, Loading } from "../components/Notice.tsx";
import { TotpCodeField } from "../components/TotpCodeField.tsx";
import { messageOf } from "../load.ts";
import type { Session } from "../session.ts";

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
        () => session.signOut("Your authenticator app is set up. Sign in again with a code from it."),
        (caught: unknown) => {
          setError(messageOf(caught));
          setBusy(false);
        },
      );
  };

  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <p className="brand">User admin</p>
        <form onSubmit={verify} aria-labelledby="mfa-setup-title">
          <h1 id="mfa-setup-title">Set up your authenticator app</h1>
          <p>
            Administrators sign in with a password and a code from an authenticator app. Add an account for{" "}
            <strong>{email || "this user"}</strong> to your app with this key, then enter the code it shows.
          </p>
          {error ? <ErrorNotice>{error}</ErrorNotice> : null}
          {secret ? (
            <>
              <p className="field">
                <span className="label">Setup key</span>
                <code className="secret" data-testid="totp-secret">
                  {secret.replace(/(.{4})/g, "$1 ").trim()}
                </code>
              </p>
              <p>
                <a href={otpauthUri(secret, email)}>Open in an authenticator app on this device</a>
              </p>
              <TotpCodeField value={code} onChange={setCode} />
              <button type="submit" className="button button-primary button-block" disabled={busy}>
                {busy ? "Checking…" : "Turn on and sign in again"}
              </button>
            </>
          ) : error ? null : (
            <Loading label="Preparing your key…" />
          )}
          <button type="button" className="button button-link" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </form>
      </div>
    </main>
  );
}

/** The key-URI format authenticator apps accept (otpauth://totp/<label>?secret=&issuer=). */
function otpauthUri(secret: string, email: string): string {
  const issuer = "User admin";
  const label = encodeURIComponent(`${issuer}:${email}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}
