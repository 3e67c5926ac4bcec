/**
 * Claims a pre token generation response must never add, override or suppress.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const reservedClaims: ReadonlySet<string> = new Set([
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "client_id",
  "device_key",
  "event_id",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "scope",
  "sub",
  "token_use",
  "username",
  "version",
  "aud",
]);

/** `cognito:` claims may not be touched, except these three, which Cognito lets a trigger set. */
const writableCognitoClaims = new Set(["cognito:groups", "cognito:roles", "cognito:preferred_role"]);

export function isReservedClaim(name: string): boolean {
  if (reservedClaims.has(name)) return true;
  return name.startsWith("cognito:") && !writableCognitoClaims.has(name);
}
