import { Webhook } from "standardwebhooks";

export interface SignedHeaders {
  "content-type": "application/json";
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * Standard Webhooks headers for one attempt: `v1,<HMAC-SHA256>` per secret, space-separated,
 * over `{id}.{timestamp}.{payload}`. The payload must be sent byte for byte as signed.
 */
export function signWebhook(
  eventId: string,
  payload: string,
  secrets: readonly string[],
  now: Date,
): SignedHeaders {
  if (secrets.length === 0) throw new Error("a webhook needs at least one active secret to be signed");
  const timestamp = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return {
    "content-type": "application/json",
    "webhook-id": eventId,
    "webhook-timestamp": String(timestamp.getTime() / 1000),
    "webhook-signature": secrets
      .map((secret) => new Webhook(secret).sign(eventId, timestamp, payload))
      .join(" "),
  };
}
