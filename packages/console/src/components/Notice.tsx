import type { ReactNode } from "react";

/** An error in words; `role="alert"` so screen readers announce it at once. */
export function ErrorNotice({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {children}
    </div>
  );
}

/** The outcome of an action, announced politely. Always rendered so the live region exists. */
export function StatusNotice({ message }: { message: string | undefined }) {
  return (
    <div className={message ? "notice notice-success" : "visually-hidden"} role="status">
      {message}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
