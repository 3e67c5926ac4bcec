import { InviteBadge, StatusBadge } from "../../components/Badges.tsx";
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
  const deleted = user.status === "deleted";
  return (
    <div className="page-header">
      <div>
        <h1 className="user-title">{user.email ?? user.username}</h1>
        <p className="muted">
          {user.name ? `${user.name} · ` : ""}
          <StatusBadge status={user.status} /> <InviteBadge pending={user.invitePending} /> · version{" "}
          {user.version}
        </p>
      </div>
      {canWrite ? (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={onResync}>
            Resync from Cognito
          </button>
          {user.invitePending && !deleted ? (
            <button type="button" className="button" disabled={busy} onClick={onResendInvite}>
              Resend invite
            </button>
          ) : null}
          {deleted ? null : user.status === "active" ? (
            <button type="button" className="button" disabled={busy} onClick={() => onAsk("disable")}>
              Disable
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => onAsk("enable")}>
              Enable
            </button>
          )}
          {deleted ? null : (
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => onAsk("delete")}
            >
              Delete
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
