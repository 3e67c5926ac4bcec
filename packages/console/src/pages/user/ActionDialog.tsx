import { useId, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";

export type DialogKind = "disable" | "enable" | "delete";

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
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const reasonId = useId();
  const typedId = useId();
  const copy = {
    disable: {
      title: "Disable this user?",
      text: "They cannot sign in until enabled again, and are signed out everywhere; each step's result is shown.",
      confirm: "Disable user",
    },
    enable: { title: "Enable this user?", text: "They can sign in again.", confirm: "Enable user" },
    delete: {
      title: "Delete this user?",
      text: "The user is deleted from Cognito and cannot sign in; this cannot be undone. The record stays here with status deleted, for the audit trail.",
      confirm: "Delete user",
    },
  }[kind];
  // Deleting cannot be undone, so like a role change it needs a reason.
  const reasonRequired = kind === "delete";
  const matches = kind !== "delete" || typed.trim().toLowerCase() === confirmText.toLowerCase();
  return (
    <ConfirmDialog
      title={copy.title}
      subject={
        <>
          {name ? <strong>{name}</strong> : null}
          {name ? " · " : null}
          <span className="mono">{confirmText}</span>
        </>
      }
      confirmLabel={copy.confirm}
      danger={kind !== "enable"}
      busy={busy}
      canConfirm={matches && (!reasonRequired || reason.trim() !== "") && (!self || selfConfirmed)}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <p>{copy.text}</p>
      {self ? (
        <div className="notice notice-warning">
          <p>This is your own account: you would lose access to this console.</p>
          <label className="check">
            <input
              type="checkbox"
              checked={selfConfirmed}
              onChange={(e) => setSelfConfirmed(e.target.checked)}
            />
            <span>Yes, {kind} my own account</span>
          </label>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={reasonId}>
          Reason ({reasonRequired ? "required" : "optional"}, recorded in the audit log)
        </label>
        <input
          id={reasonId}
          type="text"
          required={reasonRequired}
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
