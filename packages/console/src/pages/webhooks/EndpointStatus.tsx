import type { WebhookEndpointView } from "./model.ts";

/** Active or disabled (with why), and a run of failures. */
export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpointView }) {
  const failing = endpoint.failures.consecutive;
  return (
    <>
      <span className={`badge ${endpoint.disabled ? "badge-disabled" : "badge-active"}`}>
        {endpoint.disabled ? "disabled" : "active"}
      </span>
      {endpoint.disabled ? <span className="block">{endpoint.disabled.reason}</span> : null}
      {failing > 0 ? <span className="block">{failing} failed in a row</span> : null}
    </>
  );
}
