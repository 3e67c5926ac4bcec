import type { LifecycleConfig } from "../config/schema.ts";

/**
 * Our roles for a user the old system gave `legacyRoles` (its role or group names), through
 * `migration.roleMap`. Unmapped names give nothing: a role is only ever granted by config.
 * The importer and the legacy endpoint both map through this.
 */
export function mapLegacyRoles(config: LifecycleConfig, legacyRoles: readonly string[]): string[] {
  const known = new Set(Object.keys(config.roles));
  const mapped = legacyRoles.flatMap((name) => config.migration.roleMap[name] ?? []);
  return [...new Set(mapped.filter((role) => known.has(role)))].sort();
}
