import type { LifecycleConfig } from "../config/schema.ts";
import { isReservedClaim } from "./reserved.ts";

export type ClaimValue = string | string[];
export type ClaimSet = Record<string, ClaimValue>;

export interface RoleClaims {
  roles: string[];
  permissions: string[];
}

/**
 * The claims we add for a user, keyed by the configured claim names, kept under
 * `claims.maxBytes` (tokens travel in headers and cookies): if they do not fit, the permissions
 * claim is left out first, since an API can derive permissions from roles; if the roles alone
 * still do not fit, the roles that would cross the bound are left out too (fewer roles never
 * grant more). Sizes are measured in the V1 form (arrays as JSON strings), the larger encoding,
 * so the bound holds for every token version.
 */
export function claimsFor(
  config: LifecycleConfig,
  { roles, permissions }: RoleClaims,
): { claims: ClaimSet; dropped: string[] } {
  const { roles: rolesClaim, permissions: permissionsClaim, maxBytes } = config.claims;
  const fits = (claims: ClaimSet) => claimBytes(asV1Strings(claims)) <= maxBytes;
  const full: ClaimSet = { [rolesClaim]: roles, [permissionsClaim]: permissions };
  if (fits(full)) return { claims: full, dropped: [] };
  if (fits({ [rolesClaim]: roles })) return { claims: { [rolesClaim]: roles }, dropped: [permissionsClaim] };
  const kept: string[] = [];
  for (const role of roles) {
    kept.push(role);
    if (!fits({ [rolesClaim]: kept })) kept.pop();
  }
  return { claims: { [rolesClaim]: kept }, dropped: [permissionsClaim, rolesClaim] };
}

export function claimBytes(claims: ClaimSet): number {
  return Buffer.byteLength(JSON.stringify(claims), "utf8");
}

/** Never let a reserved claim through, whatever the caller passed. */
function withoutReserved(claims: ClaimSet): ClaimSet {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !isReservedClaim(name)));
}

/** V1 claims must be strings: arrays are JSON-encoded (`["admin","member"]`). */
function asV1Strings(claims: ClaimSet): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? JSON.stringify(value) : value,
    ]),
  );
}

/**
 * The `response` for a pre token generation event of `version`. It never contains
 * `groupOverrideDetails`: an empty one would strip every group from the token.
 * V1 changes the ID token only; V2 and V3 put the claims in the ID and the access token.
 */
export function tokenResponse(version: string, claims: ClaimSet): Record<string, unknown> {
  const safe = withoutReserved(claims);
  if (version === "1" || version === "0") {
    return { claimsOverrideDetails: { claimsToAddOrOverride: asV1Strings(safe) } };
  }
  return {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: safe },
      accessTokenGeneration: { claimsToAddOrOverride: safe },
    },
  };
}

/** Machine-to-machine tokens (V3 client credentials) carry only an access token. */
export function machineTokenResponse(claims: ClaimSet): Record<string, unknown> {
  return {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: withoutReserved(claims) },
    },
  };
}

/** Reads a role/permission claim from a verified token: an array (V2) or a JSON string (V1). */
export function readListClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === "string");
  if (typeof value !== "string" || value === "") return [];
  if (value.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.filter((entry): entry is string => typeof entry === "string");
    } catch {
      return [];
    }
  }
  return value
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}
