import { useId, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";

/** The account actions of the user page's Account section, by their API path under the user. */
export type AccountAction = "sign-out" | "reset-password" | "verify-email" | "mfa/reset";

export const accountActionCopy: Record<AccountAction, { title: string; text: string; confirm: string }> = {
  "sign-out": {
    title: "Sign out everywhere?",
    text: "Every session of this user ends: their refresh tokens are revoked, so each app signs them out within the hour. The account stays enabled and they can sign in again.",
    confirm: "Sign out everywhere",
  },
  "reset-password": {
    title: "Reset this user's password?",
    text: "Their password stops working at once. Cognito emails them a code to choose a new one.",
    confirm: "Reset password",
  },
  "verify-email": {
    title: "Mark this email verified?",
    text: "Only if you have checked that the address is theirs: a verified address receives password reset codes.",
    confirm: "Mark verified",
  },
  "mfa/reset": {
    title: "Reset MFA?",
    text: "Their authenticator app stops being asked for. They set one up again at their next sign-in (admins must, before the console lets them in).",
    confirm: "Reset MFA",
  },
};

/** Confirms an account action: names the user, takes an optional reason, and asks again for your own account. */
export function AccountActionDialog({
  action,
  subject,
  self,
  busy,
  onCancel,
  onConfirm,
}: {
  action: AccountAction;
  /** The user's email (or sub), named in the dialog. */
  subject: string;
  self: boolean;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const reasonId = useId();
  const copy = accountActionCopy[action];
  return (
    <ConfirmDialog
      title={copy.title}
      subject={<span className="mono">{subject}</span>}
      confirmLabel={copy.confirm}
      danger={action !== "verify-email"}
      busy={busy}
      canConfirm={!self || selfConfirmed}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{copy.text}</p>
      {self ? (
        <div className="notice notice-warning">
          <p>This is your own account.</p>
          <label className="check">
            <input
              type="checkbox"
              checked={selfConfirmed}
              onChange={(e) => setSelfConfirmed(e.target.checked)}
            />
            <span>Yes, do this to my own account</span>
          </label>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={reasonId}>Reason (optional, recorded in the audit log)</label>
        <input
          id={reasonId}
          type="text"
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
    </ConfirmDialog>
  );
}
