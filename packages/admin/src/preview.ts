import {
  type ClaimSet,
  claimsFor,
  effectiveRoles,
  permissionsFor,
  rolesFromGroups,
  rolesFromIdpGroups,
  tokenResponse,
  type UserRecord,
} from "@cognito-lifecycle/core";
import type { AdminRuntime } from "./runtime.ts";

export interface TokenPreview {
  sub: string;
  email?: string;
  /** Why the next sign-in would be refused, if it would be. */
  refused?: string;
  groups: string[];
  roles: string[];
  permissions: string[];
  /** The claims the pre token generation trigger adds (V2/V3 events: arrays, ID and access token). */
  claims: ClaimSet;
  /** The same claims as a V1 event carries them (ID token only, arrays JSON-encoded). */
  v1Claims: Record<string, string>;
  /** Claims left out to stay under `claims.maxBytes`. */
  dropped: string[];
}

/**
 * The claims `record`'s next token would carry, computed exactly as the pre token generation
 * trigger does (stored roles + roles from Cognito groups + IdP group roles, then the core claims
 * builder), from the live Cognito groups and attributes. Nothing is signed and nobody signs in.
 */
export async function previewToken(runtime: AdminRuntime, record: UserRecord): Promise<TokenPreview> {
  const { config, cognito } = runtime;
  const user = await cognito.get(record.username);
  const groups = user ? await cognito.groupsOf(user.username) : record.groups;
  const roles = effectiveRoles(
    config,
    record.roles,
    rolesFromGroups(config, groups),
    user ? rolesFromIdpGroups(config, user.attributes) : [],
  );
  const { claims, dropped } = claimsFor(config, { roles, permissions: permissionsFor(config, roles) });
  const v1 = tokenResponse("1", claims) as {
    claimsOverrideDetails: { claimsToAddOrOverride: Record<string, string> };
  };
  const refused = !user
    ? "the user no longer exists in Cognito"
    : !user.enabled
      ? "the user is disabled in Cognito"
      : record.status !== "active"
        ? `the record's status is ${record.status}`
        : undefined;
  return {
    sub: record.sub,
    ...(record.email ? { email: record.email } : {}),
    ...(refused ? { refused } : {}),
    groups,
    roles,
    permissions: permissionsFor(config, roles),
    claims,
    v1Claims: v1.claimsOverrideDetails.claimsToAddOrOverride,
    dropped,
  };
}
