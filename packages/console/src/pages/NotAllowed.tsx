import { useState } from "react";
import { ErrorNotice } from "../components/Notice.tsx";
import { messageOf } from "../load.ts";
import type { Session } from "../session.ts";

/** A signed-in account without the admin role (or a disabled admin): explain, offer a way out. */
export function NotAllowed({
  session,
  email,
  reason,
  onRetry,
}: {
  session: Session;
  email: string;
  reason: string;
  onRetry: () => void;
}) {
  const [error, setError] = useState<string>();
  const retry = () => {
    setError(undefined);
    // Role changes reach the token at the next refresh, so refresh before asking again.
    session.refresh().then(onRetry, (caught: unknown) => setError(messageOf(caught)));
  };
  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <p className="brand">User admin</p>
        <h1>Not allowed</h1>
        <p>
          You are signed in as <strong>{email || "this account"}</strong>, but this account may not use the
          admin console.
        </p>
        <p className="muted">{reason}</p>
        <p>
          Ask an administrator to give you the admin role. It takes effect the next time your session
          refreshes.
        </p>
        {error ? <ErrorNotice>{error}</ErrorNotice> : null}
        <div className="actions">
          <button type="button" className="button" onClick={retry}>
            Check again
          </button>
          <button type="button" className="button button-primary" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}
