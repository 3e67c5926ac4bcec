import { type ReactNode, useState } from "react";
import { useApp } from "../../context.tsx";
import { useLoad } from "../../load.ts";
import type { UserRecord } from "../../types.ts";
import { type AccountAction, AccountActionDialog } from "./AccountActionDialog.tsx";
import type { ActionResult, Outcome } from "./useUserActions.ts";

/** `GET /users/<sub>/mfa`: the factors Cognito has turned on for the user. */
interface MfaState {
  enabled: string[];
  preferred?: string;
}

const factorNames: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: "authenticator app",
  SMS_MFA: "text message",
  EMAIL_OTP: "email code",
};

function outcomeMessage(action: AccountAction, user: UserRecord, already: boolean): string {
  if (action === "sign-out")
    return "Signed out everywhere: their sessions end within the hour. The account stays enabled.";
  if (action === "reset-password")
    return `Password reset: Cognito emailed a code to ${user.email ?? "their address"} to choose a new one.`;
  if (action === "verify-email")
    return already ? "The email was already verified." : "Email marked verified.";
  return already
    ? "No MFA to reset."
    : "MFA reset: they set up an authenticator again at their next sign-in.";
}

function Row({ label, children, action }: { label: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="account-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
      {action ? <dd className="account-row-action">{action}</dd> : null}
    </div>
  );
}

/**
 * Account actions that leave the user's access as it is: sign out everywhere, reset the password,
 * mark the email verified, see and reset MFA. Each asks first, sends the version the page shows
 * (a stale tab gets the conflict notice) and reports through the page's status line.
 */
export function AccountSection({
  user,
  self,
  busy,
  canWrite,
  perform,
}: {
  user: UserRecord;
  /** The signed-in admin's own account: the dialog asks once more. */
  self: boolean;
  busy: boolean;
  /** The caller's roles grant `users:write`; without it the section only shows the account. */
  canWrite: boolean;
  perform: (action: () => Promise<Outcome>, attempted: string) => Promise<ActionResult>;
}) {
  const { api } = useApp();
  const path = `/users/${encodeURIComponent(user.sub)}`;
  const [asking, setAsking] = useState<AccountAction>();
  const [checked, setChecked] = useState(0);
  const mfa = useLoad(`${user.sub}|${checked}`, () => api.get<MfaState>(`${path}/mfa`));
  const deleted = user.status === "deleted";
  const canReset = user.source !== "federated" && user.email !== undefined && user.emailVerified;

  const run = (action: AccountAction, reason: string) =>
    perform(
      async () => {
        const body = {
          ...(reason ? { reason } : {}),
          expectedVersion: user.version,
          ...(self ? { confirmSelf: true } : {}),
        };
        const answer = await api.send<{ user: UserRecord; already?: boolean }>(
          "POST",
          `${path}/${action}`,
          body,
        );
        return { user: answer.user, message: outcomeMessage(action, answer.user, answer.already === true) };
      },
      `${action.replace("/", " ")} for this user`,
    ).then((result) => {
      setAsking(undefined);
      if (action === "mfa/reset") setChecked((value) => value + 1);
      return result;
    });

  const button = (action: AccountAction, label: string) =>
    deleted || !canWrite ? undefined : (
      <button type="button" className="button button-small" disabled={busy} onClick={() => setAsking(action)}>
        {label}
      </button>
    );

  const factors = mfa.status === "ready" ? mfa.data.enabled : [];
  return (
    <section className="card account-card" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <dl className="account-rows">
        <Row label="Sessions" action={button("sign-out", "Sign out everywhere")}>
          Revoke every refresh token; the account stays enabled.
        </Row>
        <Row label="Password" action={canReset ? button("reset-password", "Reset password") : undefined}>
          {canReset
            ? "Send a reset code to the verified email."
            : user.source === "federated"
              ? "Signs in through an identity provider: no password here."
              : "A reset needs a verified email to send the code to."}
        </Row>
        <Row
          label="Email"
          action={
            user.email && !user.emailVerified ? button("verify-email", "Mark email verified") : undefined
          }
        >
          {user.email
            ? user.emailVerified
              ? `Verified${user.emailVerifiedBy ? ` (${user.emailVerifiedBy === "admin" ? "by an admin" : `by ${user.emailVerifiedBy}`})` : ""}`
              : "Not verified"
            : "No email"}
        </Row>
        <Row label="MFA" action={factors.length > 0 ? button("mfa/reset", "Reset MFA") : undefined}>
          {mfa.status === "error"
            ? `Could not read MFA: ${mfa.message}`
            : mfa.status === "loading"
              ? "Checking…"
              : factors.length > 0
                ? `On: ${factors.map((factor) => factorNames[factor] ?? factor).join(", ")}`
                : "Off"}
        </Row>
      </dl>
      {asking ? (
        <AccountActionDialog
          action={asking}
          subject={user.email ?? user.sub}
          self={self}
          busy={busy}
          onCancel={() => setAsking(undefined)}
          onConfirm={(reason) => void run(asking, reason)}
        />
      ) : null}
    </section>
  );
}
