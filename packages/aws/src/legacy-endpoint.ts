import { createHmac } from "node:crypto";
import * as z from "zod/mini";

/**
 * The old system's verify-password API, for users that were not imported (docs/migration.md):
 * `POST <url>` with a JSON body `{ "action": "authenticate", "email", "password" }` (or
 * `"lookup"` without a password, for ForgotPassword), headers
 * `x-migration-timestamp: <epoch seconds>` and
 * `x-migration-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 * The old system checks the signature and refuses timestamps older than a few minutes. It answers
 * 200 with `{ "found", "verified", "user"? }`, or 404 when it does not know the user.
 */
export interface LegacyEndpointConfig {
  url: string;
  secret: string;
  timeoutMs: number;
}

export type LegacyEndpointRequest =
  | { action: "authenticate"; email: string; password: string }
  | { action: "lookup"; email: string };

const answerSchema = z.object({
  found: z.boolean(),
  /** Whether the password matched (`authenticate` only). */
  verified: z._default(z.boolean(), false),
  user: z.optional(
    z.object({
      emailVerified: z._default(z.boolean(), false),
      name: z.optional(z.string()),
      locale: z.optional(z.string()),
      /** The old system's role or group names; mapped by `migration.roleMap`. */
      roles: z._default(z.array(z.string()), []),
      disabled: z._default(z.boolean(), false),
    }),
  ),
});

export type LegacyEndpointAnswer = z.output<typeof answerSchema>;

export class LegacyEndpointError extends Error {
  override readonly name = "LegacyEndpointError";
}

/** The signature the old system recomputes; the timestamp is signed so a captured request cannot be replayed later. */
export function signLegacyRequest(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Plain http only off Lambda (the local stack): a password never crosses the network in clear text. */
export function checkEndpointUrl(url: string, onLambda: boolean): void {
  if (onLambda && new URL(url).protocol !== "https:") {
    throw new LegacyEndpointError("migration.endpoint.url must be https on AWS");
  }
}

export async function askLegacyEndpoint(
  endpoint: LegacyEndpointConfig,
  request: LegacyEndpointRequest,
  options: { nowSeconds: number; timeoutMs: number; fetch?: typeof fetch },
): Promise<LegacyEndpointAnswer> {
  const body = JSON.stringify(request);
  const timestamp = String(options.nowSeconds);
  const response = await (options.fetch ?? fetch)(endpoint.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-migration-timestamp": timestamp,
      "x-migration-signature": signLegacyRequest(endpoint.secret, timestamp, body),
    },
    body,
    redirect: "error",
    signal: AbortSignal.timeout(Math.max(1, Math.min(endpoint.timeoutMs, options.timeoutMs))),
  });
  if (response.status === 404) return { found: false, verified: false };
  if (!response.ok) throw new LegacyEndpointError(`legacy endpoint answered ${response.status}`);
  const parsed = answerSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new LegacyEndpointError("legacy endpoint answer is malformed");
  return parsed.data;
}
