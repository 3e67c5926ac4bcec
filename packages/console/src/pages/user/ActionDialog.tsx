import { useId, useState } from "react";
import { ConfirmDialog } from "../../components/Dialog.tsx";
import { useI18n } from "../../i18n/useI18n.ts";

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
  const { t, rich } = useI18n();
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const reasonId = useId();
  const typedId = useId();
  const copy = {
    disable: {
      title: t("action.disableTitle"),
      text: t("action.disableText"),
      confirm: t("action.disableConfirm"),
    },
    enable: {
      title: t("action.enableTitle"),
      text: t("action.enableText"),
      confirm: t("action.enableConfirm"),
    },
    delete: {
      title: t("action.deleteTitle"),
      text: t("action.deleteText"),
      confirm: t("action.deleteConfirm"),
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
          <p>{t("action.selfWarning")}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={selfConfirmed}
              onChange={(e) => setSelfConfirmed(e.target.checked)}
            />
            <span>{t(`action.${kind}Self`)}</span>
          </label>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={reasonId}>
          {t(reasonRequired ? "action.reasonRequired" : "action.reasonOptional")}
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
            {rich("action.typeToConfirm", { text: <strong className="mono">{confirmText}</strong> })}
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
