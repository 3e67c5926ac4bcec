import { useState } from "react";
import { ApiError } from "../../api.ts";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { ErrorNotice } from "../../components/Notice.tsx";
import { SelfConfirm } from "../../components/SelfConfirm.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useApp } from "../../context.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { messageOf } from "../../load.ts";
import type { UserRecord } from "../../types.ts";
import { UserSubject } from "./UserSubject.tsx";

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
      subject={<UserSubject name={user.name} id={user.email ?? user.sub} />}
      confirmLabel={t("erase.confirm")}
      danger
      busy={busy}
      canConfirm={reason.trim() !== "" && (!self || selfConfirmed)}
      onCancel={onCancel}
      onConfirm={() => void erase()}
    >
      <p>{t("erase.text")}</p>
      {self ? (
        <SelfConfirm
          warning={t("action.selfWarning")}
          label={t("erase.self")}
          checked={selfConfirmed}
          onChange={setSelfConfirmed}
        />
      ) : null}
      <TextField
        label={t("erase.reason")}
        type="text"
        required
        maxLength={500}
        value={reason}
        error={refusal?.reason}
        onChange={setReason}
      />
      {refusal ? <ErrorNotice title={t("erase.failed")}>{refusal.message}</ErrorNotice> : null}
    </ConfirmDialog>
  );
}
