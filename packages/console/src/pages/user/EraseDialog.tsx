import { useId, useState } from "react";
import { ApiError } from "../../api.ts";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { ErrorNotice } from "../../components/Notice.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { messageOf } from "../../load.ts";
import type { UserRecord } from "../../types.ts";

/** What `POST /users/{sub}/erase` answers (`ErasureResult` in packages/admin). */
export interface Erasure {
  sub: string;
  already: boolean;
  cognitoUser: string;
  auditEntries: number;
  user: UserRecord;
}

/**
 * Erasure cannot be undone, so the dialog names the user, needs a reason (kept on the tombstone's
 * audit entry) and, on the admin's own account, one more confirmation. A refusal (the last admin,
 * a reason naming the user) stays in the dialog with what was typed.
 */
export function EraseDialog({
  user,
  self,
  onCancel,
  onErased,
}: {
  user: UserRecord;
  self: boolean;
  onCancel: () => void;
  onErased: (erasure: Erasure) => void;
}) {
  const { api } = useApp();
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; reason?: string }>();
  const reasonId = useId();
  const reasonErrorId = useId();

  const erase = async () => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const body = { reason: reason.trim(), ...(self ? { confirmSelf: true } : {}) };
      onErased(await api.send<Erasure>("POST", `/users/${encodeURIComponent(user.sub)}/erase`, body));
    } catch (error) {
      const field = error instanceof ApiError ? error.fields.reason : undefined;
      setRefusal({ message: messageOf(error), ...(field ? { reason: field } : {}) });
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("erase.title")}
      subject={
        <>
          {user.name ? <strong>{user.name}</strong> : null}
          {user.name ? " · " : null}
          <span className="mono">{user.email ?? user.sub}</span>
        </>
      }
      confirmLabel={t("erase.confirm")}
      danger
      busy={busy}
      canConfirm={reason.trim() !== "" && (!self || selfConfirmed)}
      onCancel={onCancel}
      onConfirm={() => void erase()}
    >
      <p>{t("erase.text")}</p>
      {self ? (
        <div className="notice notice-warning">
          <p>{t("action.selfWarning")}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={selfConfirmed}
              onChange={(e) => setSelfConfirmed(e.target.checked)}
            />
            <span>{t("erase.self")}</span>
          </label>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={reasonId}>{t("erase.reason")}</label>
        <input
          id={reasonId}
          type="text"
          required
          maxLength={500}
          value={reason}
          aria-invalid={refusal?.reason ? true : undefined}
          aria-describedby={refusal?.reason ? reasonErrorId : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        {refusal?.reason ? (
          <p id={reasonErrorId} className="field-error">
            {refusal.reason}
          </p>
        ) : null}
      </div>
      {refusal ? <ErrorNotice title={t("erase.failed")}>{refusal.message}</ErrorNotice> : null}
    </ConfirmDialog>
  );
}
