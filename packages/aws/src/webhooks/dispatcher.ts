import type { LifecycleEvent } from "@cognito-lifecycle/core";
import { type DeliveryOptions, type DeliveryOutcome, deliverWebhook } from "./deliver.ts";
import { activeSecrets, type WebhookEndpoint, wantsEvent } from "./endpoints.ts";
import { dueDeliveries } from "./planner.ts";
import { afterAttempt, type DisablePolicy, nextRetryDelay, parseRetryAfter, verdictOf } from "./schedule.ts";
import { signWebhook } from "./signing.ts";
import type { WebhookAttempt, WebhookDelivery, WebhookStore } from "./store.ts";

export interface DispatcherDependencies {
  store: WebhookStore;
  now: () => Date;
  /** In [0, 1): the retry jitter. */
  random?: () => number;
  delivery?: DeliveryOptions;
  disablePolicy?: DisablePolicy;
  deliver?: typeof deliverWebhook;
  /** Asked before each attempt: true stops the pass (a scheduled run near its timeout). */
  shouldStop?: () => boolean;
}

/** The delivery of `event` to `endpoint`, due at `now`; `payload` is the exact bytes to send. */
export function deliveryOf(
  endpointId: string,
  event: LifecycleEvent,
  now: Date,
  payload: string = JSON.stringify(event),
): WebhookDelivery {
  const at = now.toISOString();
  return {
    endpointId,
    eventId: event.id,
    eventType: event.type,
    sub: event.data.sub,
    version: event.data.version,
    eventAt: event.timestamp,
    payload,
    status: "pending",
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
  };
}

/**
 * Queues `event` for every enabled endpoint that wants its type. Safe to repeat: a stream
 * record processed twice queues nothing new. The payload is serialised once, here, so every
 * attempt and every replay sends (and signs) the same bytes.
 */
export async function fanOutEvent(store: WebhookStore, event: LifecycleEvent, now: Date): Promise<number> {
  const payload = JSON.stringify(event);
  let queued = 0;
  for (const endpoint of await store.listEndpoints()) {
    if (!wantsEvent(endpoint, event.type)) continue;
    if (await store.enqueue(deliveryOf(endpoint.id, event, now, payload))) queued += 1;
  }
  return queued;
}

export interface DispatchReport {
  attempted: number;
  delivered: number;
  failed: number;
  disabledEndpoints: string[];
  /** True when `shouldStop` ended the pass with due deliveries left for the next one. */
  stopped: boolean;
}

function attemptLog(delivery: WebhookDelivery, outcome: DeliveryOutcome, at: Date): WebhookAttempt {
  const common = {
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    attempt: delivery.attempts + 1,
    at: at.toISOString(),
    outcome: outcome.kind,
    latencyMs: outcome.latencyMs,
  };
  return outcome.kind === "response"
    ? { ...common, status: outcome.status, excerpt: outcome.excerpt }
    : { ...common, error: outcome.error };
}

/** The delivery after an attempt: delivered, waiting for its next try, or given up. */
function afterDeliveryAttempt(
  delivery: WebhookDelivery,
  outcome: DeliveryOutcome,
  now: Date,
  random: (() => number) | undefined,
): WebhookDelivery {
  const attempts = delivery.attempts + 1;
  const verdict = verdictOf(outcome);
  if (verdict === "delivered") return { ...delivery, attempts, status: "delivered" };
  // 410 disables the endpoint; the delivery waits for it to be enabled again.
  if (verdict === "gone") return { ...delivery, attempts, nextAttemptAt: now.toISOString() };
  const retryAfterMs = outcome.kind === "response" ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  const delay = nextRetryDelay(attempts, { ...(random ? { random } : {}), retryAfterMs });
  if (delay === undefined) return { ...delivery, attempts, status: "failed" };
  return { ...delivery, attempts, nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
}

/** Writes the endpoint's new failure state; on a lost race, re-reads and applies the attempt once more. */
async function recordOnEndpoint(
  deps: DispatcherDependencies,
  endpoint: WebhookEndpoint,
  outcome: DeliveryOutcome,
  now: Date,
): Promise<WebhookEndpoint> {
  const verdict = verdictOf(outcome);
  const next = afterAttempt(endpoint, verdict, now, deps.disablePolicy);
  if (await deps.store.putEndpoint(next, endpoint.version)) return next;
  const current = await deps.store.getEndpoint(endpoint.id);
  if (!current) return next;
  const retried = afterAttempt(current, verdict, now, deps.disablePolicy);
  return (await deps.store.putEndpoint(retried, current.version)) ? retried : current;
}

/** Sends one endpoint's due deliveries in order; stops if the endpoint gets disabled. */
async function dispatchToEndpoint(
  deps: DispatcherDependencies,
  start: WebhookEndpoint,
  deliveries: WebhookDelivery[],
  report: DispatchReport,
): Promise<void> {
  const deliver = deps.deliver ?? deliverWebhook;
  let endpoint = start;
  for (const delivery of deliveries) {
    if (endpoint.disabled) return;
    if (deps.shouldStop?.()) {
      report.stopped = true;
      return;
    }
    const now = deps.now();
    const secrets = activeSecrets(endpoint, now).map((entry) => entry.secret);
    const headers = signWebhook(delivery.eventId, delivery.payload, secrets, now);
    const outcome = await deliver(
      { url: endpoint.url, headers: { ...headers }, body: delivery.payload },
      deps.delivery,
    );
    const done = deps.now();
    await deps.store.appendAttempt(attemptLog(delivery, outcome, done));
    const next = afterDeliveryAttempt(delivery, outcome, done, deps.random);
    // Another dispatcher already recorded this attempt: its record stands.
    if (!(await deps.store.updateDelivery(next, delivery.attempts))) continue;
    report.attempted += 1;
    if (next.status === "delivered") report.delivered += 1;
    if (next.status === "failed") report.failed += 1;
    endpoint = await recordOnEndpoint(deps, endpoint, outcome, done);
    if (endpoint.disabled && !start.disabled) report.disabledEndpoints.push(endpoint.id);
  }
}

/**
 * One pass of the delivery loop: every delivery whose turn has come (see `dueDeliveries`) is
 * attempted once. Endpoints are served side by side; one endpoint's deliveries go one by one.
 */
export async function dispatchDueDeliveries(deps: DispatcherDependencies): Promise<DispatchReport> {
  const endpoints = await deps.store.listEndpoints();
  const due = dueDeliveries(await deps.store.pending(), endpoints, deps.now());
  const report: DispatchReport = {
    attempted: 0,
    delivered: 0,
    failed: 0,
    disabledEndpoints: [],
    stopped: false,
  };
  await Promise.all(
    endpoints.map((endpoint) =>
      dispatchToEndpoint(
        deps,
        endpoint,
        due.filter((delivery) => delivery.endpointId === endpoint.id),
        report,
      ),
    ),
  );
  return report;
}
