import { InviteBadge, StatusBadge } from "../../components/Badges.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";
import type { DialogKind } from "./ActionDialog.tsx";

/** The user's name, status and version, and the account actions that apply to that status. */
export function UserHeader({
  user,
  busy,
  canWrite,
  onResync,
  onResendInvite,
  onAsk,
}: {
  user: UserRecord;
  busy: boolean;
  /** The caller's roles grant `users:write`; without it the header has no actions. */
  canWrite: boolean;
  onResync: () => void;
  onResendInvite: () => void;
  onAsk: (kind: DialogKind) => void;
}) {
  const { t } = useI18n();
  const deleted = user.status === "deleted";
  return (
    <div className="page-header">
      <div>
        <h1 className="user-title">{user.email ?? user.username}</h1>
        <p className="muted">
          {user.name ? `${user.name} · ` : ""}
          <StatusBadge status={user.status} /> <InviteBadge pending={user.invitePending} /> ·{" "}
          {t("user.version", { version: user.version })}
        </p>
      </div>
      {canWrite ? (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={onResync}>
            {t("user.resync")}
          </button>
          {user.invitePending && !deleted ? (
            <button type="button" className="button" disabled={busy} onClick={onResendInvite}>
              {t("user.resendInvite")}
            </button>
          ) : null}
          {deleted ? null : user.status === "active" ? (
            <button type="button" className="button" disabled={busy} onClick={() => onAsk("disable")}>
              {t("common.disable")}
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => onAsk("enable")}>
              {t("common.enable")}
            </button>
          )}
          {deleted ? null : (
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => onAsk("delete")}
            >
              {t("user.delete")}
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
