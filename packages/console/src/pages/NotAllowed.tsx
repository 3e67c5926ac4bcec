import { useEffect, useRef, useState } from "react";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorNotice, StatusNotice } from "../components/Notice.tsx";
import { useI18n } from "../i18n/useI18n.ts";
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
  const { t, rich, dateTime } = useI18n();
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
    ? t("access.checking")
    : checkedAt
      ? t("notAllowed.checked", { time: dateTime(checkedAt.toISOString()) })
      : undefined;
  return (
    <AuthCard>
      <h1>{t("notAllowed.title")}</h1>
      <p>
        {rich("notAllowed.signedInAs", { email: <strong>{email || t("notAllowed.thisAccount")}</strong> })}
      </p>
      <p className="muted">{reason}</p>
      <p>{t("notAllowed.ask")}</p>
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <StatusNotice message={outcome} />
      <div className="actions">
        {/* aria-disabled, not disabled: the focused button must keep focus while it works. */}
        <button type="button" className="button" aria-disabled={busy} onClick={retry}>
          {busy ? t("common.checking") : t("notAllowed.checkAgain")}
        </button>
        <button type="button" className="button button-primary" onClick={() => void session.signOut()}>
          {t("common.signOut")}
        </button>
      </div>
    </AuthCard>
  );
}
