import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface ClientTimeouts {
  /** One request, connection included. */
  requestMs: number;
  /** Attempts per call; the SDK's standard retry strategy backs off between them. */
  maxAttempts: number;
}

/**
 * SDK clients tuned for a 5 s trigger: a short connection timeout, a per-request timeout,
 * few attempts, keep-alive on. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, so the same code runs against AWS and the local emulators. Each service's client is
 * made next to its adapter (user-store, mailer, cognito-admin), so a trigger bundles only the SDK
 * clients it uses.
 */
export function clientOptions({ requestMs, maxAttempts }: ClientTimeouts) {
  return {
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(requestMs, 500),
      requestTimeout: requestMs,
      // Without this, smithy only logs a slow request: the call would hang until the trigger's deadline.
      throwOnRequestTimeout: true,
    }),
  };
}
