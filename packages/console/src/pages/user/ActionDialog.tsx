import { useId, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";

export type DialogKind = "disable" | "enable" | "delete";

export function ActionDialog({
  kind,
  confirmText,
  busy,
  onCancel,
  onConfirm,
}: {
  kind: DialogKind;
  confirmText: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const reasonId = useId();
  const typedId = useId();
  const copy = {
    disable: {
      title: "Disable this user?",
      text: "They are signed out everywhere and cannot sign in until enabled again.",
      confirm: "Disable user",
    },
    enable: { title: "Enable this user?", text: "They can sign in again.", confirm: "Enable user" },
    delete: {
      title: "Delete this user?",
      text: "The user is deleted from Cognito and cannot sign in; this cannot be undone. The record stays here with status deleted, for the audit trail.",
      confirm: "Delete user",
    },
  }[kind];
  const matches = kind !== "delete" || typed.trim().toLowerCase() === confirmText.toLowerCase();
  return (
    <ConfirmDialog
      title={copy.title}
      confirmLabel={copy.confirm}
      danger={kind !== "enable"}
      busy={busy}
      canConfirm={matches}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{copy.text}</p>
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
      {kind === "delete" ? (
        <div className="field">
          <label htmlFor={typedId}>
            Type <strong className="mono">{confirmText}</strong> to confirm
          </label>
          <input
            id={typedId}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      ) : null}
    </ConfirmDialog>
  );
}
