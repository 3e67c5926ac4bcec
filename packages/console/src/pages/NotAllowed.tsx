import { useEffect, useRef, useState } from "react";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { formatDateTime } from "../format.ts";
import { messageOf } from "../load.ts";
import type { Session } from "../session.ts";

/** A signed-in account without the admin role (or a disabled admin): explain, offer a way out. */
export function NotAllowed({
  session,
  email,
  reason,
  checking,
  onRetry,
}: {
  session: Session;
  email: string;
  reason: string;
  /** The access check that "Check again" started is running. */
  checking: boolean;
  onRetry: () => void;
}) {
  const [error, setError] = useState<string>();
  const [refreshing, setRefreshing] = useState(false);
  const [checkedAt, setCheckedAt] = useState<Date>();
  const wasChecking = useRef(false);
  const busy = refreshing || checking;
  useEffect(() => {
    if (wasChecking.current && !checking) setCheckedAt(new Date());
    wasChecking.current = checking;
  }, [checking]);
  const retry = () => {
    if (busy) return;
    setError(undefined);
    setCheckedAt(undefined);
    setRefreshing(true);
    // Role changes reach the token at the next refresh, so refresh before asking again.
    session.refresh().then(
      () => {
        setRefreshing(false);
        onRetry();
      },
      (caught: unknown) => {
        setRefreshing(false);
        setError(messageOf(caught));
      },
    );
  };
  const outcome = busy
    ? "Checking your access…"
    : checkedAt
      ? `Checked again at ${formatDateTime(checkedAt.toISOString())}: this account still may not use the console.`
      : undefined;
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
        <StatusNotice message={outcome} />
        <div className="actions">
          {/* aria-disabled, not disabled: the focused button must keep focus while it works. */}
          <button type="button" className="button" aria-disabled={busy} onClick={retry}>
            {busy ? "Checking…" : "Check again"}
          </button>
          <button type="button" className="button button-primary" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}
