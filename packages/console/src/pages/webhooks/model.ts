import type { WebhookAttempt } from "@cognito-lifecycle/core";
import { t } from "../../i18n/locale.ts";

export type {
  RangeReplayReport as ReplayReport,
  WebhookAttempt,
  WebhookEndpointView,
  WebhookWithSecret,
} from "@cognito-lifecycle/core";

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
