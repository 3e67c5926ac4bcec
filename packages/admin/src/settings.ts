import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type ClientTimeouts, linkedResource } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, LifecycleError, withEnvironment } from "@cognito-lifecycle/core";
import * as z from "zod/mini";

/** Everything the admin API, reconcile and the CLI need to reach the pool and the table. */
export interface AdminSettings {
  config: LifecycleConfig;
  region: string;
  tableName: string;
  userPoolId: string;
  /** App client(s) whose tokens the admin API accepts. */
  clientId: string | string[];
  /** Token issuer; the AWS issuer of the pool when not set (set it for the local emulator). */
  issuer?: string;
  /** Emulator endpoints; the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variables apply when left out. */
  endpoints?: { dynamodb?: string; cognito?: string; ses?: string };
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Browser origins allowed to call the API cross-origin (the deployed console). */
  allowedOrigins?: string[];
  /** SDK timeouts. Admin work is not bound by Cognito's 5 s, so these are roomier than a trigger's. */
  timeouts?: ClientTimeouts;
  /**
   * Refuse admins whose Cognito user has no TOTP MFA enabled (AdminGetUser's UserMFASettingList).
   * On for deployed functions (`LIFECYCLE_ADMIN_REQUIRE_MFA=false` turns it off); off when left out
   * of settings built in code (tests, the local stack unless it asks for it).
   */
  requireAdminMfa?: boolean;
  /**
   * Let webhook endpoints be plain http to 127.0.0.1: the local stack only. Deployed, the
   * environment decides (`LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP`, never set by the stacks).
   */
  allowLocalWebhooks?: boolean;
}

/** The admin tools cannot be configured (missing environment, bad stack file). */
export class SettingsError extends LifecycleError {
  override readonly name = "SettingsError";
  constructor(message: string) {
    super(message, { code: "settings_invalid" });
  }
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The pool, client(s) and issuer whose tokens to accept, from the environment (see `settingsFromEnv`). */
export function tokenSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  userPoolId: string;
  clientId: string[];
  issuer?: string;
} {
  const userPoolId = env.LIFECYCLE_USER_POOL_ID ?? linkedResource("UserPool", "id", env);
  const clientId = list(env.LIFECYCLE_USER_POOL_CLIENT_ID ?? linkedResource("UserPoolClient", "id", env));
  const missing = [
    ...(userPoolId ? [] : ["LIFECYCLE_USER_POOL_ID (or the UserPool link)"]),
    ...(clientId.length > 0 ? [] : ["LIFECYCLE_USER_POOL_CLIENT_ID (or the UserPoolClient link)"]),
  ];
  if (missing.length > 0) throw new SettingsError(`Missing configuration: ${missing.join(", ")}`);
  return {
    userPoolId: userPoolId as string,
    clientId,
    ...(env.LIFECYCLE_TOKEN_ISSUER ? { issuer: env.LIFECYCLE_TOKEN_ISSUER } : {}),
  };
}

/**
 * Settings for a deployed function: `LIFECYCLE_TABLE_NAME`, `LIFECYCLE_USER_POOL_ID`,
 * `LIFECYCLE_USER_POOL_CLIENT_ID` (comma separated for several clients), optional
 * `LIFECYCLE_TOKEN_ISSUER` and `LIFECYCLE_ADMIN_ORIGINS`, or the SST links `Users`, `UserPool`
 * and `UserPoolClient`.
 */
export function settingsFromEnv(
  config: LifecycleConfig,
  env: NodeJS.ProcessEnv = process.env,
): AdminSettings {
  const table = env.LIFECYCLE_TABLE_NAME ?? linkedResource("Users", "name", env);
  if (!table) throw new SettingsError("Missing configuration: LIFECYCLE_TABLE_NAME (or the Users link)");
  const tokens = tokenSettingsFromEnv(env);
  const origins = list(env.LIFECYCLE_ADMIN_ORIGINS);
  return {
    config,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? tokens.userPoolId.split("_")[0] ?? "us-east-1",
    tableName: table,
    ...tokens,
    ...(origins.length > 0 ? { allowedOrigins: origins } : {}),
    requireAdminMfa: env.LIFECYCLE_ADMIN_REQUIRE_MFA !== "false",
  };
}

/** The part of `.local/stack.json` (written by `npm start`) that admin tools read. */
const text = z.string().check(z.minLength(1));
export const stackFileSchema = z.object({
  region: text,
  userPoolId: text,
  clientId: text,
  tableName: text,
  issuer: z.optional(z.string()),
  endpoints: z.object({
    cognito: text,
    dynamodb: text,
    ses: z.optional(z.string()),
    admin: z.optional(z.string()),
  }),
  handlerEnv: z.optional(z.record(z.string(), z.string())),
});

export type StackFile = z.infer<typeof stackFileSchema>;

export const defaultStackFile = ".local/stack.json";

/** Reads and validates a stack file; undefined when there is none. */
export function readStackFile(path: string = defaultStackFile): StackFile | undefined {
  const full = resolve(path);
  if (!existsSync(full)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(full, "utf8"));
  } catch (error) {
    throw new SettingsError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stackFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new SettingsError(`${path} is not a stack file: ${issues.join("; ")}`);
  }
  return parsed.data;
}

/**
 * Settings for the local stack described by a stack file. The stack's bootstrap admins
 * (`handlerEnv.LIFECYCLE_BOOTSTRAP_ADMINS`) are added to the config, as the triggers see them.
 */
export function settingsFromStack(config: LifecycleConfig, stack: StackFile): AdminSettings {
  return {
    config: stack.handlerEnv ? withEnvironment(config, stack.handlerEnv) : config,
    region: stack.region,
    tableName: stack.tableName,
    userPoolId: stack.userPoolId,
    clientId: stack.clientId,
    issuer:
      stack.issuer ??
      stack.handlerEnv?.LIFECYCLE_TOKEN_ISSUER ??
      `${stack.endpoints.cognito}/${stack.userPoolId}`,
    endpoints: {
      cognito: stack.endpoints.cognito,
      dynamodb: stack.endpoints.dynamodb,
      ...(stack.endpoints.ses ? { ses: stack.endpoints.ses } : {}),
    },
    credentials: {
      accessKeyId: stack.handlerEnv?.AWS_ACCESS_KEY_ID ?? "local",
      secretAccessKey: stack.handlerEnv?.AWS_SECRET_ACCESS_KEY ?? "local",
    },
    allowLocalWebhooks: true,
  };
}
