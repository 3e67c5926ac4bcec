import { useI18n } from "../../i18n/useI18n.ts";
import type { WebhookEndpointView } from "./model.ts";

/** Active or disabled (with why), and a run of failures. */
export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpointView }) {
  const { t } = useI18n();
  const failing = endpoint.failures.consecutive;
  return (
    <>
      <span className={`badge ${endpoint.disabled ? "badge-disabled" : "badge-active"}`}>
        {endpoint.disabled ? t("status.disabled") : t("status.active")}
      </span>
      {endpoint.disabled ? <span className="block">{endpoint.disabled.reason}</span> : null}
      {failing > 0 ? <span className="block">{t("webhooks.failing", { count: failing })}</span> : null}
    </>
  );
}
