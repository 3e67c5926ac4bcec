import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The small HTTP helpers the local stack's emulated AWS endpoints share (Lambda Invoke, KMS, ...):
 * each speaks its own protocol, but reads a whole body and answers JSON the same way.
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
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
