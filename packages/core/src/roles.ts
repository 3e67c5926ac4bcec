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
