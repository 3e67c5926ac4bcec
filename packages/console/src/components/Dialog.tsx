import { type FormEvent, type ReactNode, useEffect, useId, useRef } from "react";
import { useI18n } from "../i18n/useI18n.ts";

/**
 * A modal confirmation built on `<dialog>`: the browser keeps focus inside and Escape cancels.
 * Closing returns focus to the button that opened it, or to the page when that button is gone
 * (a confirmed Disable turns into Enable).
 */
export function ConfirmDialog({
  title,
  subject,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  canConfirm = true,
  onConfirm,
  onCancel,
}: {
  title: string;
  /** Who or what the action concerns, under the title and in the dialog's description. */
  subject?: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  canConfirm?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const subjectId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
      else document.getElementById("main")?.focus();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canConfirm && !busy) onConfirm();
  };
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={subject ? subjectId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        {subject ? (
          <p id={subjectId} className="dialog-subject">
            {subject}
          </p>
        ) : null}
        {children}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            {t("common.cancel")}
          </button>
          <button
            type="submit"
            className={danger ? "button button-danger" : "button button-primary"}
            disabled={!canConfirm || busy}
          >
            {busy ? t("common.working") : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
