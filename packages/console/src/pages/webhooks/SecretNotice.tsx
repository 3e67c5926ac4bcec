import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * A signing secret, shown once (the answer to add or rotate): the page keeps it only until the
 * admin dismisses it or leaves, and the API never shows it again.
 */
export function SecretNotice({
  title,
  secret,
  children,
  onDismiss,
}: {
  title: string;
  secret: string;
  children?: ReactNode;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState<string>();
  const ref = useRef<HTMLElement>(null);
  // The secret appears away from the button that asked for it: take focus (and the view) to it.
  useEffect(() => ref.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("Copying failed: select the secret and copy it.");
    }
  };
  return (
    <section ref={ref} tabIndex={-1} className="notice notice-warning secret-notice" aria-label={title}>
      <p>
        <strong>{title}</strong> Store it now in the receiver's configuration: it is shown only this once.
      </p>
      {children}
      <code className="secret" data-testid="webhook-secret">
        {secret}
      </code>
      <div className="actions">
        <button type="button" className="button button-small" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" className="button button-small" onClick={onDismiss}>
          I have stored it
        </button>
        <span role="status">{copied}</span>
      </div>
    </section>
  );
}
