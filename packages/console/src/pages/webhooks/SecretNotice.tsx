import { type ReactNode, useEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n/useI18n.ts";

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
  const { t } = useI18n();
  const [copied, setCopied] = useState<string>();
  const ref = useRef<HTMLElement>(null);
  // The secret appears away from the button that asked for it: take focus (and the view) to it.
  useEffect(() => ref.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(t("webhook.copied"));
    } catch {
      setCopied(t("webhook.copyFailed"));
    }
  };
  return (
    <section ref={ref} tabIndex={-1} className="notice notice-warning secret-notice" aria-label={title}>
      <p>
        <strong>{title}</strong> {t("webhook.storeNow")}
      </p>
      {children}
      <code className="secret" data-testid="webhook-secret">
        {secret}
      </code>
      <div className="actions">
        <button type="button" className="button button-small" onClick={() => void copy()}>
          {t("webhook.copy")}
        </button>
        <button type="button" className="button button-small" onClick={onDismiss}>
          {t("webhook.stored")}
        </button>
        <span role="status">{copied}</span>
      </div>
    </section>
  );
}
