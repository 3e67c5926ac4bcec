import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import {
  checkResolvedAddresses,
  checkWebhookUrl,
  type Resolver,
  systemResolver,
  type UrlPolicy,
  WebhookUrlError,
} from "./url-guard.ts";

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  /** Sent exactly as given: the signature covers these bytes. */
  body: string;
}

export interface DeliveryOptions extends UrlPolicy {
  /** Whole exchange, connect to the excerpt read. The spec suggests 15-30 s. */
  timeoutMs?: number;
  /** Bytes of the response body kept for the attempt log; the rest is never read. */
  excerptBytes?: number;
  resolve?: Resolver;
}

export type DeliveryOutcome =
  | { kind: "response"; status: number; retryAfter?: string; latencyMs: number; excerpt: string }
  | { kind: "timeout" | "refused" | "network"; latencyMs: number; error: string };

export const deliveryDefaults = { timeoutMs: 15_000, excerptBytes: 512 } as const;

/**
 * A `lookup` for the socket that refuses private addresses at connect time, so a host that
 * resolved to a public address when the endpoint was added cannot rebind to an internal one.
 */
function guardedLookup(resolve: Resolver, policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    checkResolvedAddresses(hostname, resolve, policy).then(
      (addresses) => {
        const usable = addresses.filter((entry) => !options.family || entry.family === options.family);
        if (options.all) return callback(null, usable);
        const first = usable[0];
        if (!first) return callback(new WebhookUrlError(`No usable address for ${hostname}.`), "", 0);
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, "", 0),
    );
  };
}

async function readExcerpt(response: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  response.destroy();
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

/**
 * POSTs one signed webhook. Never throws: every way an attempt can end is an outcome to log
 * and schedule from. Redirects are not followed (a 3xx is a failure, as the spec says).
 */
export async function deliverWebhook(
  delivery: DeliveryRequest,
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = checkWebhookUrl(delivery.url, options);
  } catch (error) {
    return { kind: "refused", latencyMs: 0, error: (error as Error).message };
  }
  const timeoutMs = options.timeoutMs ?? deliveryDefaults.timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  try {
    return await new Promise<DeliveryOutcome>((resolve, reject) => {
      const request = send(url, {
        method: "POST",
        headers: { ...delivery.headers, "content-length": Buffer.byteLength(delivery.body) },
        lookup: guardedLookup(options.resolve ?? systemResolver, options),
        signal,
        agent: false,
      });
      request.on("response", (response) => {
        readExcerpt(response, options.excerptBytes ?? deliveryDefaults.excerptBytes).then((excerpt) => {
          const retryAfter = response.headers["retry-after"];
          resolve({
            kind: "response",
            status: response.statusCode ?? 0,
            ...(retryAfter ? { retryAfter } : {}),
            latencyMs: elapsed(),
            excerpt,
          });
        }, reject);
      });
      request.on("error", reject);
      request.end(delivery.body);
    });
  } catch (error) {
    if (signal.aborted)
      return { kind: "timeout", latencyMs: elapsed(), error: `no answer in ${timeoutMs} ms` };
    if (error instanceof WebhookUrlError)
      return { kind: "refused", latencyMs: elapsed(), error: error.message };
    const { code, name } = error as { code?: string; name?: string };
    return { kind: "network", latencyMs: elapsed(), error: code ?? name ?? "error" };
  }
}
