/**
 * Names of the resources a function uses. Deployed, SST links them (`SST_RESOURCE_<Name>`
 * environment variables holding JSON, as `Resource` from "sst" reads them); locally, the
 * `LIFECYCLE_*` variables documented in the README win.
 */
function linked(name: string, property: string): string | undefined {
  const raw = process.env[`SST_RESOURCE_${name}`];
  if (!raw) return undefined;
  try {
    const value = (JSON.parse(raw) as Record<string, unknown>)[property];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

export function tableName(): string {
  const name = process.env.LIFECYCLE_TABLE_NAME ?? linked("Users", "name");
  if (!name) {
    throw new Error(
      "Missing configuration for: table name (set LIFECYCLE_TABLE_NAME or link the Users table)",
    );
  }
  return name;
}

/** The SES configuration set to send with, if any. */
export function emailConfigurationSet(): string | undefined {
  return process.env.LIFECYCLE_SES_CONFIGURATION_SET ?? linked("Email", "configSet");
}
