import type { WebhookEndpoint } from "./endpoints.ts";
import type { WebhookDelivery } from "./store.ts";

/** Deliveries of one user to one endpoint, earliest first. */
export function deliveryOrder(a: WebhookDelivery, b: WebhookDelivery): number {
  return a.version - b.version || a.eventAt.localeCompare(b.eventAt) || a.eventId.localeCompare(b.eventId);
}

/**
 * Which pending deliveries may be attempted now. Per endpoint and user only the earliest
 * pending one (by version) may go, and only once its retry time has come: a later event never
 * overtakes an earlier one that is still being retried. Disabled endpoints get nothing; their
 * deliveries wait, so enabling the endpoint again loses nothing.
 */
export function dueDeliveries(
  pending: readonly WebhookDelivery[],
  endpoints: readonly WebhookEndpoint[],
  now: Date,
): WebhookDelivery[] {
  const enabled = new Set(endpoints.filter((endpoint) => !endpoint.disabled).map((endpoint) => endpoint.id));
  const heads = new Map<string, WebhookDelivery>();
  for (const delivery of pending) {
    if (delivery.status !== "pending" || !enabled.has(delivery.endpointId)) continue;
    const key = JSON.stringify([delivery.endpointId, delivery.sub]);
    const head = heads.get(key);
    if (!head || deliveryOrder(delivery, head) < 0) heads.set(key, delivery);
  }
  const at = now.toISOString();
  return [...heads.values()]
    .filter((delivery) => delivery.nextAttemptAt <= at)
    .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || deliveryOrder(a, b));
}
