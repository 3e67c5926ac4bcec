import type { IncomingMessage, ServerResponse } from "node:http";
import { type LifecycleEvent, parseLifecycleEvent } from "@cognito-lifecycle/core";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { type ApplyOutcome, applyEvents, type SqlDatabase } from "./sync.ts";

export interface WebhookHandlerOptions {
  db: SqlDatabase;
  /** `whsec_...` secrets; during a rotation, both the old and the new one. */
  secrets: readonly string[];
  /** Bodies above this are refused unread; events are a few KB. */
  maxBodyBytes?: number;
  onApplied?: (event: LifecycleEvent, outcome: ApplyOutcome) => void;
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Verifies against each secret in turn: any match is enough (rotation overlap). */
function verified(body: Buffer, headers: Record<string, string>, secrets: readonly string[]): unknown {
  for (const secret of secrets) {
    try {
      return new Webhook(secret).verify(body, headers);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (!/No matching signature/.test(error.message)) throw error;
    }
  }
  throw new WebhookVerificationError("No matching signature found");
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) =>
      typeof value === "string" ? [[name, value]] : [],
    ),
  );
}

/**
 * A node:http handler for cognito-lifecycle webhooks: verifies the signature over the raw
 * bytes, validates the event and applies it. 2xx only once the row is committed; 5xx makes
 * the sender retry later; 4xx for requests that no retry can fix.
 */
export function createWebhookHandler(options: WebhookHandlerOptions) {
  const limit = options.maxBodyBytes ?? 256 * 1024;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const answer = (status: number, body: string): void => {
      response.writeHead(status, { "content-type": "text/plain" }).end(body);
    };
    if (request.method !== "POST") return answer(405, "POST only");
    let event: LifecycleEvent;
    try {
      const body = await readBody(request, limit);
      const headers = headersOf(request);
      event = parseLifecycleEvent(verified(body, headers, options.secrets));
      if (headers["webhook-id"] !== event.id) return answer(400, "webhook-id does not match the event id");
    } catch (error) {
      if (error instanceof BodyTooLargeError) return answer(413, "body too large");
      if (error instanceof WebhookVerificationError) return answer(401, "signature not valid");
      return answer(400, "not a lifecycle event");
    }
    try {
      const [outcome] = await applyEvents(options.db, [event]);
      options.onApplied?.(event, outcome as ApplyOutcome);
      answer(204, "");
    } catch {
      answer(503, "could not store the event; retry later");
    }
  };
}
