/**
 * Names of the resources a function uses, from `LIFECYCLE_*` environment variables: the stacks
 * set them on every deployed function (stacks/), the local stack sets them on the handlers it
 * runs. Deployed functions are deliberately not SST-linked: a link grants `dynamodb:*` or
 * `ses:*`, far more than a trigger uses. Scripts run with `sst shell` against a deployed stage
 * see the resources as `SST_RESOURCE_<Name>` (JSON) instead, so those are read as a fallback:
 * `Users` (the table) and `Email` (the SES identity and configuration set).
 */
export function linkedResource(
  name: string,
  property: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const raw = env[`SST_RESOURCE_${name}`];
  if (!raw) return undefined;
  try {
    const value = (JSON.parse(raw) as Record<string, unknown>)[property];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

export function tableName(): string {
  const name = process.env.LIFECYCLE_TABLE_NAME ?? linkedResource("Users", "name");
  if (!name) {
    throw new Error(
      "Missing configuration for: table name (set LIFECYCLE_TABLE_NAME or link the Users table)",
    );
  }
  return name;
}

/** The SES configuration set to send with, if any. */
export function emailConfigurationSet(): string | undefined {
  return process.env.LIFECYCLE_SES_CONFIGURATION_SET ?? linkedResource("Email", "configSet");
}
