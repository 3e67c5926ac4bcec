import { LifecycleError, readListClaim } from "@cognito-lifecycle/core";
import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import {
  FetchError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  KidNotFoundInJwksError,
  ParameterValidationError,
} from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtHeader, JwtPayload } from "aws-jwt-verify/jwt-model";

/**
 * Verification of Cognito ID and access tokens for app APIs, plus role and permission checks on
 * the claims cognito-lifecycle puts in them.
 *
 * ```ts
 * const verifier = createTokenVerifier({ userPoolId, clientId });
 * const caller = await verifier.authorize(request.headers.authorization, { roles: ["admin"] });
 * ```
 * `verify`/`authorize` throw `UnauthorizedError` (HTTP 401: no token, malformed, bad signature,
 * `alg: none`, expired, wrong issuer, audience, client or token use) or `ForbiddenError` (HTTP 403:
 * a valid token without the required role or permission). Create the verifier once, at module
 * scope: it caches the pool's JWKS for the life of the process (a Lambda container).
 */

export type TokenUse = "id" | "access";

export interface TokenVerifierOptions {
  /** `us-east-1_AbC123`, or the local emulator's `local_...` id. */
  userPoolId: string;
  /** The app client(s) whose tokens are accepted (`aud` of ID tokens, `client_id` of access tokens). */
  clientId: string | string[];
  /** Which tokens are accepted; both by default. */
  tokenUse?: TokenUse | "any";
  /**
   * The `iss` to require. Defaults to the AWS issuer of the pool, derived from its region prefix.
   * Set it for the local emulator, e.g. `http://127.0.0.1:9229/local_abc`.
   */
  issuer?: string;
  /** Where the signing keys are; `<issuer>/.well-known/jwks.json` by default. */
  jwksUri?: string;
  /** Claim names holding our roles and permissions (`roles` and `permissions` by default). */
  claims?: { roles?: string; permissions?: string };
  /** Clock skew tolerated on `exp` and `nbf`, in seconds. */
  graceSeconds?: number;
  /** Timeout for fetching the JWKS, in milliseconds. */
  jwksTimeoutMs?: number;
}

/** What a verified token says about its bearer. */
export interface VerifiedCaller {
  sub: string;
  tokenUse: TokenUse;
  clientId: string;
  username?: string;
  email?: string;
  roles: string[];
  permissions: string[];
  groups: string[];
  /** Every claim of the verified token. */
  claims: JwtPayload;
}

/** At least one of `roles` (when given) and every one of `permissions` (when given). */
export interface AccessRequirement {
  roles?: readonly string[];
  permissions?: readonly string[];
}

export class AuthError extends LifecycleError {
  override readonly name: string = "AuthError";
  declare readonly status: 401 | 403;
  declare readonly code: "unauthorized" | "forbidden" | "mfa_required" | "recent_sign_in_required";
  /** Why, for the log. Never includes the token. */
  declare readonly reason: string;
  constructor(
    status: 401 | 403,
    code: "unauthorized" | "forbidden" | "mfa_required" | "recent_sign_in_required",
    message: string,
    reason: string,
  ) {
    super(message, { status, code, reason });
  }
}

export class UnauthorizedError extends AuthError {
  override readonly name = "UnauthorizedError";
  constructor(reason: string) {
    super(401, "unauthorized", "A valid bearer token is required.", reason);
  }
}

export class ForbiddenError extends AuthError {
  override readonly name = "ForbiddenError";
  constructor(reason: string, message = "You do not have access to this resource.") {
    super(403, "forbidden", message, reason);
  }
}

/** An admin whose account has no authenticator app (TOTP) enabled: the console offers the setup. */
export class MfaRequiredError extends AuthError {
  override readonly name = "MfaRequiredError";
  constructor() {
    super(
      403,
      "mfa_required",
      "Administrators must sign in with an authenticator app. Set one up, then sign in again.",
      "admin without TOTP MFA",
    );
  }
}

/**
 * A valid token whose sign-in (`auth_time`) is older than the action allows: the app signs the
 * user in again and retries with the new token.
 */
export class RecentSignInRequiredError extends AuthError {
  override readonly name = "RecentSignInRequiredError";
  constructor(reason: string, maxAgeSeconds: number) {
    super(
      401,
      "recent_sign_in_required",
      `Sign in again to do this: it needs a sign-in within the last ${maxAgeSeconds} seconds.`,
      reason,
    );
  }
}

/** The signing keys could not be fetched: a server-side failure, not the caller's fault. */
export class JwksUnavailableError extends LifecycleError {
  override readonly name = "JwksUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: "jwks_unavailable" });
  }

  override get publicMessage(): string {
    return "Tokens cannot be verified right now.";
  }
}

export interface TokenVerifier {
  readonly issuer: string;
  verify(token: string): Promise<VerifiedCaller>;
  /** Reads the bearer token from an `Authorization` header value, verifies it, checks `requirement`. */
  authorize(
    authorization: string | undefined | null,
    requirement?: AccessRequirement,
  ): Promise<VerifiedCaller>;
}

/** `https://cognito-idp.<region>.amazonaws.com/<poolId>` for real pools. */
export function awsIssuer(userPoolId: string): string {
  const region = userPoolId.split("_")[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** The token in `Bearer <token>`; 401 when it is missing or not a bearer token. */
export function bearerToken(authorization: string | undefined | null): string {
  if (!authorization) throw new UnauthorizedError("no Authorization header");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new UnauthorizedError("Authorization header is not a bearer token");
  return match[1];
}

/** Throws `ForbiddenError` unless the caller meets `requirement`. */
export function requireAccess(caller: VerifiedCaller, requirement: AccessRequirement = {}): void {
  const roles = requirement.roles ?? [];
  if (roles.length > 0 && !roles.some((role) => caller.roles.includes(role))) {
    throw new ForbiddenError(`needs one of roles ${roles.join(", ")}`);
  }
  const missing = (requirement.permissions ?? []).filter(
    (permission) => !caller.permissions.includes(permission),
  );
  if (missing.length > 0) throw new ForbiddenError(`missing permissions ${missing.join(", ")}`);
}

/** A JWKS fetcher over the global `fetch`, which (unlike the library's own) also speaks plain http. */
function httpFetcher(timeoutMs: number): Fetcher {
  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      let response: Response;
      try {
        response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new FetchError(uri, (error as Error).message);
      }
      if (response.status !== 200)
        throw new FetchError(uri, `Status code is ${response.status}, expected 200`);
      return response.arrayBuffer();
    },
  };
}

function tokenUseCheck(allowed: TokenUse | "any", clientIds: readonly string[]) {
  return ({ header, payload }: { header: JwtHeader; payload: JwtPayload }) => {
    if (header.alg !== "RS256") throw new UnauthorizedError(`unexpected algorithm ${String(header.alg)}`);
    const use = payload.token_use;
    if (use !== "id" && use !== "access") throw new UnauthorizedError("token_use is neither id nor access");
    if (allowed !== "any" && use !== allowed) throw new UnauthorizedError(`token_use ${use} not accepted`);
    const client = use === "id" ? payload.aud : payload.client_id;
    if (typeof client !== "string" || !clientIds.includes(client)) {
      throw new UnauthorizedError(use === "id" ? "wrong audience" : "wrong client_id");
    }
  };
}

function reasonFor(error: unknown): string {
  if (error instanceof JwtExpiredError) return "token expired";
  if (error instanceof JwtNotBeforeError) return "token not yet valid";
  if (error instanceof JwtInvalidIssuerError) return "wrong issuer";
  if (error instanceof JwtInvalidAudienceError) return "wrong audience";
  if (error instanceof JwtInvalidSignatureError) return "bad signature";
  if (error instanceof JwtInvalidSignatureAlgorithmError) return "unsupported signature algorithm";
  if (error instanceof KidNotFoundInJwksError) return "signed by an unknown key";
  if (error instanceof JwtParseError) return "malformed token";
  // The verifier is configured for one issuer; a token naming another is refused before any check.
  if (error instanceof ParameterValidationError && error.message.startsWith("issuer not configured")) {
    return "wrong issuer";
  }
  if (error instanceof JwtBaseError) return `${error.name}: ${error.message}`;
  return "invalid token";
}

/** The `alg` of a JWT's header, or undefined when the header cannot be read (the verifier then says why). */
function headerAlgorithm(token: string): string | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"));
    const alg = (header as { alg?: unknown } | null)?.alg;
    return typeof alg === "string" ? alg : undefined;
  } catch {
    return undefined;
  }
}

function stringClaim(payload: JwtPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The signature, expiry and issuer check for a token. Real pools get the Cognito verifier (it
 * knows Cognito's issuer formats and JWKS); any other issuer, such as the local emulator's http
 * one, the generic verifier with an http-capable cache.
 */
function signatureCheck(
  options: TokenVerifierOptions,
  issuer: string,
  clientIds: string[],
  customJwtCheck: ReturnType<typeof tokenUseCheck>,
): (token: string) => Promise<JwtPayload> {
  const graceSeconds = options.graceSeconds ?? 0;
  if (issuer === awsIssuer(options.userPoolId) && !options.jwksUri) {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: options.userPoolId,
      clientId: clientIds,
      tokenUse: null,
      graceSeconds,
      customJwtCheck,
    });
    return (token) => verifier.verify(token);
  }
  const verifier = JwtVerifier.create(
    {
      issuer,
      audience: null,
      jwksUri: options.jwksUri ?? `${issuer}/.well-known/jwks.json`,
      graceSeconds,
      customJwtCheck,
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher(options.jwksTimeoutMs ?? 3000) }) },
  );
  return (token) => verifier.verify(token);
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clientIds = Array.isArray(options.clientId) ? options.clientId : [options.clientId];
  if (clientIds.length === 0 || clientIds.some((id) => !id)) {
    throw new Error("createTokenVerifier: clientId is required");
  }
  if (!options.userPoolId) throw new Error("createTokenVerifier: userPoolId is required");
  const issuer = options.issuer ?? awsIssuer(options.userPoolId);
  const allowed = options.tokenUse ?? "any";
  const roleClaim = options.claims?.roles ?? "roles";
  const permissionClaim = options.claims?.permissions ?? "permissions";
  const customJwtCheck = tokenUseCheck(allowed, clientIds);

  const check = signatureCheck(options, issuer, clientIds, customJwtCheck);

  async function verify(token: string): Promise<VerifiedCaller> {
    const alg = headerAlgorithm(token);
    // Cognito signs with RS256 only; anything else (`none` included) is refused before any key lookup.
    if (alg !== undefined && alg !== "RS256")
      throw new UnauthorizedError(`unsupported signature algorithm ${alg}`);
    let payload: JwtPayload;
    try {
      payload = await check(token);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof FetchError) {
        throw new JwksUnavailableError(`Could not fetch the token signing keys: ${error.message}`, {
          cause: error,
        });
      }
      throw new UnauthorizedError(reasonFor(error));
    }
    const sub = stringClaim(payload, "sub");
    if (!sub) throw new UnauthorizedError("token has no sub");
    const tokenUse = payload.token_use as TokenUse;
    const username = stringClaim(payload, tokenUse === "id" ? "cognito:username" : "username");
    const email = stringClaim(payload, "email");
    return {
      sub,
      tokenUse,
      clientId: (tokenUse === "id" ? payload.aud : payload.client_id) as string,
      ...(username ? { username } : {}),
      ...(email ? { email } : {}),
      roles: readListClaim(payload[roleClaim]),
      permissions: readListClaim(payload[permissionClaim]),
      groups: readListClaim(payload["cognito:groups"]),
      claims: payload,
    };
  }

  return {
    issuer,
    verify,
    async authorize(authorization, requirement) {
      const caller = await verify(bearerToken(authorization));
      requireAccess(caller, requirement);
      return caller;
    },
  };
}
