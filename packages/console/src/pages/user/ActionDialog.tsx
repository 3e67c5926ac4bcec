import { useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { SelfConfirm } from "../../components/SelfConfirm.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import { UserSubject } from "./UserSubject.tsx";

export type DialogKind = "disable" | "enable" | "delete";

/** Confirms a disable, enable or delete: names the user, takes the reason, and a delete needs their email typed. */
export function ActionDialog({
  kind,
  confirmText,
  name,
  self,
  busy,
  onCancel,
  onConfirm,
}: {
  kind: DialogKind;
  /** The user's email (or sub): named in the dialog, and typed to confirm a delete. */
  confirmText: string;
  name: string | undefined;
  /** The signed-in admin's own account: a warning and one more confirmation. */
  self: boolean;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t, rich } = useI18n();
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const copy = {
    title: t(`action.${kind}Title`),
    text: t(`action.${kind}Text`),
    confirm: t(`action.${kind}Confirm`),
  };
  // Deleting cannot be undone, so like a role change it needs a reason.
  const reasonRequired = kind === "delete";
  const matches = kind !== "delete" || typed.trim().toLowerCase() === confirmText.toLowerCase();
  return (
    <ConfirmDialog
      title={copy.title}
      subject={<UserSubject name={name} id={confirmText} />}
      confirmLabel={copy.confirm}
      danger={kind !== "enable"}
      busy={busy}
      canConfirm={matches && (!reasonRequired || reason.trim() !== "") && (!self || selfConfirmed)}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{copy.text}</p>
      {self ? (
        <SelfConfirm
          warning={t("action.selfWarning")}
          label={t(`action.${kind}Self`)}
          checked={selfConfirmed}
          onChange={setSelfConfirmed}
        />
      ) : null}
      <TextField
        label={t(reasonRequired ? "action.reasonRequired" : "action.reasonOptional")}
        type="text"
        required={reasonRequired}
        maxLength={500}
        value={reason}
        onChange={setReason}
      />
      {kind === "delete" ? (
        <TextField
          label={rich("action.typeToConfirm", { text: <strong className="mono">{confirmText}</strong> })}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={setTyped}
        />
      ) : null}
    </ConfirmDialog>
  );
}
