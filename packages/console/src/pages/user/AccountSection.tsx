import { type ReactNode, useState } from "react";
import { useApp } from "../../context.tsx";
import type { PlainKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";
import { type Loaded, useLoad } from "../../load.ts";
import type { UserRecord } from "../../types.ts";
import { type AccountAction, AccountActionDialog } from "./AccountActionDialog.tsx";
import type { ActionResult, Outcome } from "./useUserActions.ts";

/** `GET /users/<sub>/mfa`: the factors Cognito has turned on for the user. */
interface MfaState {
  enabled: string[];
  preferred?: string;
}

const factorNames: Record<string, PlainKey> = {
  SOFTWARE_TOKEN_MFA: "account.factorApp",
  SMS_MFA: "account.factorSms",
  EMAIL_OTP: "account.factorEmail",
};

type Translate = ReturnType<typeof useI18n>["t"];

function outcomeMessage(t: Translate, action: AccountAction, user: UserRecord, already: boolean): string {
  if (action === "sign-out") return t("account.signedOut");
  if (action === "reset-password")
    return t("account.passwordReset", { email: user.email ?? t("account.theirAddress") });
  if (action === "verify-email") return t(already ? "account.alreadyVerified" : "account.markedVerified");
  return t(already ? "account.noMfa" : "account.mfaReset");
}

/** The attempted change in words, for the conflict notice. */
const attemptedKeys: Record<AccountAction, PlainKey> = {
  "sign-out": "account.attemptSignOut",
  "reset-password": "account.attemptResetPassword",
  "verify-email": "account.attemptVerify",
  "mfa/reset": "account.attemptResetMfa",
};

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
 * The section's data and calls: the user's MFA factors (read again after a reset), the action
 * being confirmed, and running it with the page's version and outcome handling.
 */
function useAccountActions(
  user: UserRecord,
  self: boolean,
  perform: (action: () => Promise<Outcome>, attempted: string) => Promise<ActionResult>,
) {
  const { api } = useApp();
  const { t } = useI18n();
  const path = `/users/${encodeURIComponent(user.sub)}`;
  const [asking, setAsking] = useState<AccountAction>();
  const [checked, setChecked] = useState(0);
  const mfa = useLoad(`${user.sub}|${checked}`, () => api.get<MfaState>(`${path}/mfa`));
  const run = (action: AccountAction, reason: string) =>
    perform(async () => {
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
      return { user: answer.user, message: outcomeMessage(t, action, answer.user, answer.already === true) };
    }, t(attemptedKeys[action])).then((result) => {
      setAsking(undefined);
      if (action === "mfa/reset") setChecked((value) => value + 1);
      return result;
    });
  return { mfa, asking, setAsking, run };
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
  const { t } = useI18n();
  const { mfa, asking, setAsking, run } = useAccountActions(user, self, perform);
  const deleted = user.status === "deleted";
  const canReset = user.source !== "federated" && user.email !== undefined && user.emailVerified;
  const button = (action: AccountAction, label: string) =>
    deleted || !canWrite ? undefined : (
      <button type="button" className="button button-small" disabled={busy} onClick={() => setAsking(action)}>
        {label}
      </button>
    );

  const factors = mfa.status === "ready" ? mfa.data.enabled : [];
  return (
    <section className="card account-card" aria-labelledby="account-title">
      <h2 id="account-title">{t("account.title")}</h2>
      <dl className="account-rows">
        <Row label={t("account.sessions")} action={button("sign-out", t("account.signOut"))}>
          {t("account.sessionsText")}
        </Row>
        <Row
          label={t("account.password")}
          action={canReset ? button("reset-password", t("account.resetPassword")) : undefined}
        >
          {t(
            canReset
              ? "account.passwordText"
              : user.source === "federated"
                ? "account.passwordFederated"
                : "account.passwordNeedsEmail",
          )}
        </Row>
        <Row
          label={t("users.email")}
          action={
            user.email && !user.emailVerified ? button("verify-email", t("account.markVerified")) : undefined
          }
        >
          {emailState(t, user)}
        </Row>
        <Row
          label={t("account.mfa")}
          action={factors.length > 0 ? button("mfa/reset", t("account.resetMfa")) : undefined}
        >
          {mfaState(t, mfa)}
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

/** The factors Cognito has on for the user, in words (or why they cannot be read). */
function mfaState(t: Translate, mfa: Loaded<MfaState>): string {
  if (mfa.status === "error") return t("account.mfaUnreadable", { message: mfa.message });
  if (mfa.status === "loading") return t("common.checking");
  const factors = mfa.data.enabled;
  if (factors.length === 0) return t("account.mfaOff");
  return t("account.mfaOn", {
    factors: factors.map((factor) => (factorNames[factor] ? t(factorNames[factor]) : factor)).join(", "),
  });
}

/** The email's state: verified (by whom), not verified, or none. */
function emailState(t: Translate, user: UserRecord): string {
  if (!user.email) return t("account.noEmail");
  if (!user.emailVerified) return t("account.notVerified");
  if (!user.emailVerifiedBy) return t("account.verified");
  return user.emailVerifiedBy === "admin"
    ? t("account.verifiedByAdmin")
    : t("account.verifiedBy", { by: user.emailVerifiedBy });
}
