import { t } from "../../i18n/locale.ts";
import type { LifecycleEventType } from "../../types.ts";

/** An endpoint as `GET /webhooks` shows it: never a secret, only when each was made and expires. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  /** Empty: every type. */
  eventTypes: LifecycleEventType[];
  secrets: { createdAt: string; expiresAt?: string }[];
  description?: string;
  disabled?: { at: string; reason: string };
  failures: { consecutive: number; since?: string };
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One delivery attempt as the API logs it (status, latency and a short excerpt; never the payload). */
export interface WebhookAttempt {
  endpointId: string;
  eventId: string;
  attempt: number;
  at: string;
  outcome: "response" | "timeout" | "refused" | "network";
  status?: number;
  latencyMs: number;
  excerpt?: string;
  error?: string;
}

/** The answer of add and rotate: the only time the API shows a secret. */
export interface WebhookWithSecret {
  endpoint: WebhookEndpointView;
  secret: string;
}

export interface ReplayReport {
  queued: number;
  filtered: number;
  alreadyPending: number;
  truncated?: boolean;
  lastAt?: string;
}

export const webhookPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

/** Test events are sent outside the queue: there is no stored delivery to replay. */
export const isTestEvent = (eventId: string) => eventId.startsWith("evt_test_");

export function delivered(attempt: WebhookAttempt): boolean {
  return attempt.outcome === "response" && (attempt.status ?? 0) >= 200 && (attempt.status ?? 0) < 300;
}

/** An attempt's outcome in words: "delivered (204)", "failed (500)", "timed out", … */
export function describeAttempt(attempt: WebhookAttempt): string {
  if (attempt.outcome === "response") {
    const status = String(attempt.status);
    return delivered(attempt) ? t("webhook.delivered", { status }) : t("webhook.deliveryFailed", { status });
  }
  const words = {
    timeout: t("webhook.timedOut"),
    refused: t("webhook.refused"),
    network: t("webhook.networkError"),
  }[attempt.outcome];
  return attempt.error ? t("webhook.attemptError", { outcome: words, error: attempt.error }) : words;
}

export function describeEventTypes(types: readonly string[]): string {
  return types.length === 0 ? t("webhooks.everyType") : types.join(", ");
}
