import type { LifecycleConfig } from "./config/schema.ts";

/** Roles granted by Cognito group membership (`cognito:groups`, set only by admins). */
export function rolesFromGroups(config: LifecycleConfig, groups: readonly string[]): string[] {
  return groups.flatMap((group) => config.groups[group]?.roles ?? []);
}

/**
 * Roles from the IdP groups attribute. Only trusted on federated users, whose value Cognito
 * writes from the IdP on every sign-in, and only because the infrastructure gives no app
 * client write access to that attribute.
 */
export function rolesFromIdpGroups(config: LifecycleConfig, attributes: Record<string, string>): string[] {
  if (!attributes.identities) return [];
  const raw = attributes[config.federation.groupsAttribute];
  if (!raw) return [];
  return splitList(raw).flatMap((group) => config.federation.groupRoles[group] ?? []);
}

/**
 * IdP groups are a snapshot from the last IdP sign-in; refresh tokens keep issuing tokens for
 * 30 days without one. Their roles count only while that snapshot is younger than
 * `federation.groupsMaxAgeHours`; an unknown time (no record, older records) is not fresh.
 */
export function idpGroupsAreFresh(
  config: LifecycleConfig,
  deliveredAt: string | undefined,
  now: Date,
): boolean {
  if (!deliveredAt) return false;
  const age = now.getTime() - Date.parse(deliveredAt);
  return Number.isFinite(age) && age <= config.federation.groupsMaxAgeHours * 3_600_000;
}

/** IdPs send multi-valued attributes as `[a, b]`, JSON, or comma separated. */
function splitList(raw: string): string[] {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.filter((value): value is string => typeof value === "string");
    } catch {
      return trimmed
        .slice(1, -1)
        .split(",")
        .map((value) => value.trim())
        .filter(Boolean);
    }
  }
  return trimmed
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);
}

/** Stored roles ∪ group roles ∪ IdP group roles, restricted to roles the config knows. */
export function effectiveRoles(
  config: LifecycleConfig,
  ...sources: readonly (readonly string[])[]
): string[] {
  const known = new Set(Object.keys(config.roles));
  return [...new Set(sources.flat())].filter((role) => known.has(role)).sort();
}

export function permissionsFor(config: LifecycleConfig, roles: readonly string[]): string[] {
  return [...new Set(roles.flatMap((role) => config.roles[role]?.permissions ?? []))].sort();
}

export function unknownRoles(config: LifecycleConfig, roles: readonly string[]): string[] {
  return roles.filter((role) => !(role in config.roles));
}
