import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { RunningService } from "./dynamodb.ts";

/*
 * The small HTTP helpers the local stack's emulated endpoints share (Lambda Invoke, KMS,
 * EventBridge, the webhook inbox): each speaks its own protocol, but reads bodies, answers JSON
 * and serves pages the same way.
 */

/** The request body, refused past `limit` bytes (the caller answers 413). */
export function readBody(request: IncomingMessage, limit = 1024 * 1024): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Answers `body` as JSON; AWS JSON protocols pass their own content type in `headers`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

export function sendHtml(response: ServerResponse, html: string): void {
  response.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  });
  response.end(html);
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A page in the style of the SES inbox: a title and a table, refreshed every few seconds. */
export function listPage(title: string, intro: string, headings: string[], rows: string[][]): string {
  const head = headings.map((heading) => `<th>${escapeHtml(heading)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
pre{margin:0;white-space:pre-wrap;max-width:60rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${intro}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body || `<tr><td colspan="${headings.length}">Nothing received yet.</td></tr>`}
</tbody></table></body></html>`;
}

/** Serves `listener` on 127.0.0.1:`port`; `stop()` closes it and every open connection. */
export async function serveLocal(port: number, listener: RequestListener): Promise<RunningService> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
