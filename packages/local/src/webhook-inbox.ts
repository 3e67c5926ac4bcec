import type { IncomingMessage, ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";
import type { RunningService } from "./dynamodb.ts";
import { escapeHtml, listPage, readBody, sendHtml, sendJson, serveLocal } from "./http.ts";

/** How one inbox endpoint (`/hooks/<name>`) behaves. */
export interface InboxEndpointSettings {
  /** `whsec_...`: deliveries are verified with it (Standard Webhooks) and refused with 401 when invalid. */
  secret?: string;
  /** Fault drills: answer this status (e.g. 500) instead of 204... */
  failStatus?: number;
  /** ...for this many deliveries (default: until changed). */
  failTimes?: number;
  /** Wait this long before answering (a slow endpoint; the sender's timeout decides). */
  delayMs?: number;
}

export interface InboxDelivery {
  endpoint: string;
  /** `webhook-id`: the event id; a retried delivery repeats it. */
  webhookId: string | undefined;
  webhookTimestamp: string | undefined;
  /** `webhook-signature`: `v1,<base64>`, several separated by spaces during a rotation. */
  webhookSignature: string | undefined;
  /** true: the signature matched the endpoint's secret; false: it did not; null: no secret set. */
  verified: boolean | null;
  verifyError?: string;
  /** What the inbox answered. */
  status: number;
  /** The JSON payload (or the raw text when it is not JSON). */
  payload: unknown;
  /** The body exactly as received: what a receiver verifies the signature over. */
  body: string;
  receivedAt: number;
}

/** Payloads above this are cut: a lifecycle event is a few kilobytes. */
const maxBodyBytes = 256 * 1024;
const hookPath = /^\/hooks\/([A-Za-z0-9._-]{1,64})$/;
const endpointPath = /^\/endpoints\/([A-Za-z0-9._-]{1,64})$/;

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function verify(secret: string | undefined, body: string, request: IncomingMessage) {
  if (!secret) return { verified: null };
  try {
    new Webhook(secret).verify(body, {
      "webhook-id": header(request, "webhook-id") ?? "",
      "webhook-timestamp": header(request, "webhook-timestamp") ?? "",
      "webhook-signature": header(request, "webhook-signature") ?? "",
    });
    return { verified: true };
  } catch (error) {
    return { verified: false, verifyError: error instanceof Error ? error.message : String(error) };
  }
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function page(deliveries: InboxDelivery[]): string {
  const rows = [...deliveries].reverse().map((delivery) => {
    const type = (delivery.payload as { type?: unknown } | null)?.type;
    return [
      escapeHtml(new Date(delivery.receivedAt).toISOString()),
      escapeHtml(delivery.endpoint),
      escapeHtml(typeof type === "string" ? type : ""),
      escapeHtml(delivery.webhookId ?? ""),
      delivery.verified === null ? "no secret set" : delivery.verified ? "valid" : `<b>invalid</b>`,
      String(delivery.status),
      `<pre>${escapeHtml(JSON.stringify(delivery.payload, null, 2))}</pre>`,
    ];
  });
  return listPage(
    "Webhook inbox",
    'Register <code>http://127.0.0.1:&lt;this port&gt;/hooks/dev</code> as a webhook endpoint. Newest first; as JSON: <a href="/deliveries">/deliveries</a>.',
    ["Received", "Endpoint", "Type", "webhook-id", "Signature", "Answered", "Payload"],
    rows,
  );
}

export interface WebhookInbox extends RunningService {
  deliveries: InboxDelivery[];
  /** Changes how `/hooks/<name>` answers (replaces its settings; `{}` resets them). */
  configure(name: string, settings: InboxEndpointSettings): void;
}

function validSettings(value: unknown): InboxEndpointSettings | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { secret, failStatus, failTimes, delayMs } = value as Record<string, unknown>;
  const isCount = (n: unknown) => n === undefined || (Number.isInteger(n) && (n as number) >= 0);
  if (secret !== undefined && (typeof secret !== "string" || !secret.startsWith("whsec_"))) return undefined;
  if (
    failStatus !== undefined &&
    !(Number.isInteger(failStatus) && (failStatus as number) >= 200 && (failStatus as number) <= 599)
  )
    return undefined;
  if (!isCount(failTimes) || !isCount(delayMs) || ((delayMs as number | undefined) ?? 0) > 60_000)
    return undefined;
  return value as InboxEndpointSettings;
}

/**
 * The webhook inbox on 127.0.0.1:`port`: accepts `POST /hooks/<name>`, verifies the Standard
 * Webhooks signature when the endpoint has a secret (`PUT /endpoints/<name>` with
 * `{ "secret": "whsec_..." }`), answers 204, or a configured failure (`failStatus`, `failTimes`,
 * `delayMs`) for fault drills, and keeps every delivery in memory: a page at `/`, JSON at
 * `/deliveries` (`?endpoint=<name>&since=<epoch ms>`), `POST /clear` empties it.
 */
export async function startWebhookInbox(options: { port: number }): Promise<WebhookInbox> {
  const deliveries: InboxDelivery[] = [];
  const settings = new Map<string, InboxEndpointSettings & { failed: number }>();
  const configure = (name: string, next: InboxEndpointSettings) => settings.set(name, { ...next, failed: 0 });

  const receive = async (name: string, request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) return sendJson(response, 413, { message: "Payload too large" });
    const current = settings.get(name);
    const check = verify(current?.secret, body, request);
    let status = check.verified === false ? 401 : 204;
    if (status === 204 && current?.failStatus !== undefined) {
      if (current.failTimes === undefined || current.failed < current.failTimes) {
        current.failed += 1;
        status = current.failStatus;
      }
    }
    deliveries.push({
      endpoint: name,
      webhookId: header(request, "webhook-id"),
      webhookTimestamp: header(request, "webhook-timestamp"),
      webhookSignature: header(request, "webhook-signature"),
      ...check,
      status,
      payload: parsed(body),
      body,
      receivedAt: Date.now(),
    } as InboxDelivery);
    if (current?.delayMs) await new Promise((resolve) => setTimeout(resolve, current.delayMs));
    if (status === 204) response.writeHead(204).end();
    else sendJson(response, status, { message: status === 401 ? "Invalid signature" : "Failing on purpose" });
  };

  const service = await serveLocal(options.port, async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const hook = hookPath.exec(url.pathname)?.[1];
    if (hook && request.method === "POST") return receive(hook, request, response);
    const endpoint = endpointPath.exec(url.pathname)?.[1];
    if (endpoint && request.method === "PUT") {
      let next: InboxEndpointSettings | undefined;
      try {
        next = validSettings(JSON.parse((await readBody(request, 16 * 1024)) ?? ""));
      } catch {
        next = undefined;
      }
      if (!next) {
        return sendJson(response, 400, {
          message:
            "Expected { secret?: 'whsec_...', failStatus?: 200-599, failTimes?: n, delayMs?: 0-60000 }",
        });
      }
      configure(endpoint, next);
      const { secret, ...shown } = next;
      return sendJson(response, 200, { endpoint, ...shown, secret: secret ? "set" : "none" });
    }
    if (request.method === "GET" && url.pathname === "/deliveries") {
      const since = Number(url.searchParams.get("since") ?? 0);
      const only = url.searchParams.get("endpoint");
      return sendJson(response, 200, {
        deliveries: deliveries.filter(
          (delivery) => delivery.receivedAt >= since && (only === null || delivery.endpoint === only),
        ),
      });
    }
    if (request.method === "POST" && url.pathname === "/clear") {
      deliveries.length = 0;
      return sendJson(response, 200, { cleared: true });
    }
    if (request.method === "GET" && url.pathname === "/") return sendHtml(response, page(deliveries));
    sendJson(response, 404, {
      message: "Not found: POST /hooks/<name>, GET /deliveries, PUT /endpoints/<name>",
    });
  });
  return { ...service, deliveries, configure };
}
