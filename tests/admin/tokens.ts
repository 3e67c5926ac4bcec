import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const encode = (value: object) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** An RS256 JWT signed with `privateKey` (a KeyObject or PEM). */
export function signJwt(
  privateKey: KeyObject | string,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const head = encode({ alg: "RS256", typ: "JWT", ...header });
  const body = encode(payload);
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey).toString("base64url");
  return `${head}.${body}.${signature}`;
}

/** An `alg: none` token: no signature at all. */
export function unsignedJwt(payload: Record<string, unknown>, kid = "test-key"): string {
  return `${encode({ alg: "none", typ: "JWT", kid })}.${encode(payload)}.`;
}

/** The same token with its payload changed but the original signature kept. */
export function tamperedJwt(token: string, change: Record<string, unknown>): string {
  const [head, body, signature] = token.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
  return `${head}.${encode({ ...payload, ...change })}.${signature}`;
}

export function decodeJwt(token: string): Record<string, unknown> {
  const body = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
}

export function rsaKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

export interface JwksServer {
  /** `http://127.0.0.1:<port>/<poolId>`; the JWKS is at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  userPoolId: string;
  kid: string;
  privateKey: KeyObject;
  /** How many times the JWKS was fetched. */
  hits(): number;
  /** Answer the JWKS with this status from now on (e.g. 503 to simulate an outage). */
  failWith(status: number | undefined): void;
  /** A token as Cognito would issue it for this pool, with `overrides` applied. */
  token(overrides?: Record<string, unknown>, header?: Record<string, unknown>): string;
  stop(): Promise<void>;
}

/** A Cognito-like issuer on a free 127.0.0.1 port, signing with a fresh RSA key. */
export async function startJwksServer(clientId: string, userPoolId = "local_test"): Promise<JwksServer> {
  const privateKey = rsaKey();
  const kid = "test-key";
  const jwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } as Record<
    string,
    unknown
  >;
  const publicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" };
  let hits = 0;
  let failure: number | undefined;
  const server = createServer((request, response) => {
    if (request.url === `/${userPoolId}/.well-known/jwks.json`) {
      hits++;
      if (failure) {
        response.writeHead(failure).end();
        return;
      }
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${userPoolId}`;
  return {
    issuer,
    userPoolId,
    kid,
    privateKey,
    hits: () => hits,
    failWith(status) {
      failure = status;
    },
    token(overrides = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        privateKey,
        {
          sub: "11111111-2222-3333-4444-555555555555",
          iss: issuer,
          aud: clientId,
          token_use: "id",
          email: "ada@example.com",
          "cognito:username": "11111111-2222-3333-4444-555555555555",
          iat: now,
          auth_time: now,
          exp: now + 3600,
          roles: '["admin","member"]',
          permissions: '["users:read","users:write"]',
          ...overrides,
        },
        { kid, ...header },
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
