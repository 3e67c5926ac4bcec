import { isReservedClaim } from "@cognito-lifecycle/core";

/**
 * Pre token generation as Cognito runs it, for the local stack: the event a pool on `V1_0`,
 * `V2_0` or `V3_0` sends, and how Cognito applies the answer to the ID and access tokens.
 * Pure functions; `cognito-tokens.ts` plugs them into cognito-local.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */

/** The pool's `PreTokenGenerationConfig.LambdaVersion`, as the stack option spells it. */
export type TokenEventVersion = "v1" | "v2" | "v3";
export const tokenEventVersions: readonly TokenEventVersion[] = ["v1", "v2", "v3"];
export const defaultTokenEventVersion: TokenEventVersion = "v2";

export type Claims = Record<string, unknown>;

export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}

export interface PreTokenEventInput {
  version: TokenEventVersion;
  /** `Authentication`, `RefreshTokens`, ... (cognito-local's source names). */
  source: string;
  region: string;
  userPoolId: string;
  userName: string;
  clientId: string;
  userAttributes: Record<string, string>;
  groupConfiguration: GroupConfiguration;
  /** The scopes of the access token Cognito is about to issue (V2/V3 events only). */
  scopes: string[];
  clientMetadata: Record<string, string> | undefined;
}

/** The event Cognito sends: `version` "1", "2" or "3"; V2/V3 add `request.scopes`. */
export function preTokenEvent(input: PreTokenEventInput): Record<string, unknown> {
  const v1 = input.version === "v1";
  return {
    version: input.version.slice(1),
    triggerSource: `TokenGeneration_${input.source}`,
    region: input.region,
    userPoolId: input.userPoolId,
    userName: input.userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: input.clientId },
    request: {
      userAttributes: input.userAttributes,
      groupConfiguration: input.groupConfiguration,
      ...(v1 ? {} : { scopes: input.scopes }),
      ...(input.clientMetadata ? { clientMetadata: input.clientMetadata } : {}),
    },
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  };
}

/**
 * The groups a user's tokens show, as Cognito derives them: every group's name; the IAM roles
 * of the groups that have one; the preferred role is the role of the group with the lowest
 * `Precedence`, and none when the best groups tie with different roles.
 */
export function groupConfigurationFor(
  groups: readonly { GroupName: string; RoleArn?: string; Precedence?: number }[],
): GroupConfiguration {
  const withRoles = groups.filter((group) => group.RoleArn);
  const ranked = withRoles.filter((group) => group.Precedence !== undefined);
  const best = Math.min(...ranked.map((group) => group.Precedence as number));
  const preferred = new Set(
    ranked.filter((group) => group.Precedence === best).map((group) => group.RoleArn),
  );
  return {
    groupsToOverride: groups.map((group) => group.GroupName),
    iamRolesToOverride: [...new Set(withRoles.map((group) => group.RoleArn as string))],
    preferredRole: preferred.size === 1 ? ([...preferred][0] as string) : null,
  };
}

export interface TokenChanges {
  idToken: Claims;
  accessToken: Claims;
  /** Claims and scopes the answer asked for that Cognito does not allow: never applied. */
  refused: string[];
}

interface ClaimChanges {
  claimsToAddOrOverride?: unknown;
  claimsToSuppress?: unknown;
}

interface GroupOverride {
  groupsToOverride?: unknown;
  iamRolesToOverride?: unknown;
  preferredRole?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];

/**
 * Applies the trigger's `response` to the tokens Cognito built, as Cognito does for the event's
 * version. V1: `claimsOverrideDetails` on the ID token. V2/V3: `claimsAndScopeOverrideDetails`,
 * `idTokenGeneration` on the ID token, `accessTokenGeneration` (claims and scopes) on the access
 * token, values of any JSON type. Both: suppress beats add; reserved claims (see core's
 * `isReservedClaim`) are never added, changed or suppressed; `groupOverrideDetails` replaces
 * `cognito:groups` in both tokens (an empty or null object removes every group, no key keeps them).
 */
export function applyPreTokenResponse(
  version: TokenEventVersion,
  tokens: { idToken: Claims; accessToken: Claims },
  response: unknown,
): TokenChanges {
  const refused: string[] = [];
  const answer = isObject(response) ? response : {};
  let idToken = { ...tokens.idToken };
  let accessToken = { ...tokens.accessToken };

  const details = version === "v1" ? answer.claimsOverrideDetails : answer.claimsAndScopeOverrideDetails;
  const overrides = isObject(details) ? details : {};
  if (version === "v1") {
    idToken = applyClaimChanges(idToken, overrides as ClaimChanges, refused);
  } else {
    const id = overrides.idTokenGeneration;
    const access = overrides.accessTokenGeneration;
    if (isObject(id)) idToken = applyClaimChanges(idToken, id, refused);
    if (isObject(access)) {
      accessToken = applyClaimChanges(accessToken, access, refused);
      accessToken = applyScopeChanges(accessToken, access.scopesToAdd, access.scopesToSuppress, refused);
    }
  }
  if ("groupOverrideDetails" in overrides) {
    const group = isObject(overrides.groupOverrideDetails)
      ? (overrides.groupOverrideDetails as GroupOverride)
      : {};
    idToken = applyGroupOverride(idToken, group, true);
    accessToken = applyGroupOverride(accessToken, group, false);
  }
  return { idToken, accessToken, refused };
}

function applyClaimChanges(token: Claims, changes: ClaimChanges, refused: string[]): Claims {
  const result = { ...token };
  const suppress = new Set(strings(changes.claimsToSuppress));
  const add = isObject(changes.claimsToAddOrOverride) ? changes.claimsToAddOrOverride : {};
  for (const [name, value] of Object.entries(add)) {
    if (isReservedClaim(name)) refused.push(name);
    else if (!suppress.has(name) && value !== undefined) result[name] = value;
  }
  for (const name of suppress) {
    if (isReservedClaim(name)) refused.push(name);
    else delete result[name];
  }
  return result;
}

/** `scope` is a space-separated list; a scope with whitespace in it cannot be expressed, so it is refused. */
function applyScopeChanges(token: Claims, add: unknown, suppress: unknown, refused: string[]): Claims {
  const valid = (scope: string) => {
    if (scope !== "" && !/\s/.test(scope)) return true;
    refused.push(`scope "${scope}"`);
    return false;
  };
  const suppressed = new Set(strings(suppress).filter(valid));
  const current = typeof token.scope === "string" ? token.scope.split(" ").filter(Boolean) : [];
  const scopes = [...new Set([...current, ...strings(add).filter(valid)])].filter(
    (scope) => !suppressed.has(scope),
  );
  const { scope: _previous, ...rest } = token;
  return scopes.length > 0 ? { ...rest, scope: scopes.join(" ") } : rest;
}

/** Cognito writes `cognito:groups` to both tokens, the IAM role claims to the ID token only. */
function applyGroupOverride(token: Claims, group: GroupOverride, idToken: boolean): Claims {
  const {
    "cognito:groups": _groups,
    "cognito:roles": _roles,
    "cognito:preferred_role": _preferred,
    ...rest
  } = token;
  const groups = strings(group.groupsToOverride);
  const roles = strings(group.iamRolesToOverride);
  const result: Claims = { ...rest };
  if (groups.length > 0) result["cognito:groups"] = groups;
  if (idToken && roles.length > 0) result["cognito:roles"] = roles;
  if (idToken && typeof group.preferredRole === "string")
    result["cognito:preferred_role"] = group.preferredRole;
  return result;
}
