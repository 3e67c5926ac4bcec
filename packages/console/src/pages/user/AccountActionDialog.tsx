import { useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { SelfConfirm } from "../../components/SelfConfirm.tsx";
import { TextField } from "../../components/TextField.tsx";
import type { PlainKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";

/** The account actions of the user page's Account section, by their API path under the user. */
export type AccountAction = "sign-out" | "reset-password" | "verify-email" | "mfa/reset";

/** Each action's dialog text, as message keys. */
export const accountActionCopy: Record<
  AccountAction,
  { title: PlainKey; text: PlainKey; confirm: PlainKey }
> = {
  "sign-out": { title: "account.signOutTitle", text: "account.signOutText", confirm: "account.signOut" },
  "reset-password": {
    title: "account.resetPasswordTitle",
    text: "account.resetPasswordText",
    confirm: "account.resetPassword",
  },
  "verify-email": {
    title: "account.verifyTitle",
    text: "account.verifyText",
    confirm: "account.verifyConfirm",
  },
  "mfa/reset": { title: "account.resetMfaTitle", text: "account.resetMfaText", confirm: "account.resetMfa" },
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
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const copy = accountActionCopy[action];
  return (
    <ConfirmDialog
      title={t(copy.title)}
      subject={<span className="mono">{subject}</span>}
      confirmLabel={t(copy.confirm)}
      danger={action !== "verify-email"}
      busy={busy}
      canConfirm={!self || selfConfirmed}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{t(copy.text)}</p>
      {self ? (
        <SelfConfirm
          warning={t("account.selfWarning")}
          label={t("account.selfConfirm")}
          checked={selfConfirmed}
          onChange={setSelfConfirmed}
        />
      ) : null}
      <TextField
        label={t("action.reasonOptional")}
        type="text"
        maxLength={500}
        value={reason}
        onChange={setReason}
      />
    </ConfirmDialog>
  );
}
