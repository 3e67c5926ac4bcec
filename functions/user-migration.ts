import {
  askLegacyEndpoint,
  checkEndpointUrl,
  defineTrigger,
  type LegacyCredentialItem,
  type LegacyCredentialStore,
  type LegacyEndpointConfig,
  legacyCredentialsFor,
  logger,
  once,
  systemClock,
  timeLeft,
} from "@cognito-lifecycle/aws";
import {
  isPlausibleEmail,
  type LifecycleConfig,
  maskEmail,
  normaliseEmail,
  parseEvent,
  triggerManifest,
  withEnvironment,
} from "@cognito-lifecycle/core";
import {
  type LegacyUser,
  MigrationRefusedError,
  mapLegacyRoles,
  migrationDecision,
  type UserMigrationEvent,
  userMigrationEvent,
} from "@cognito-lifecycle/core/migration";
import { decoyCredential, type PasswordCredential, verifyPassword } from "@cognito-lifecycle/core/passwords";
import config from "../lifecycle.config.ts";

export interface MigrationRuntime {
  config: LifecycleConfig;
  legacy: LegacyCredentialStore;
  /** The old system's verify-password API, when configured. */
  endpoint?: LegacyEndpointConfig;
  now: () => Date;
  fetch?: typeof fetch;
}

/** What the sources found: the user (mapped), and whether the typed password matched. */
interface Lookup {
  user: LegacyUser | undefined;
  verified: boolean;
  disabled: boolean;
  /** Found through the endpoint: written to the store so the first token can adopt it. */
  fromEndpoint: boolean;
}

const nobody: Lookup = { user: undefined, verified: false, disabled: false, fromEndpoint: false };

/**
 * User migration (docs/migration.md): a user Cognito does not know signs in with their old
 * password (`UserMigration_Authentication`) or asks for a reset (`UserMigration_ForgotPassword`).
 * Sources, in order: the imported credentials (the store), then the legacy endpoint. Every
 * attempt counts against the per-user rate limit first. Every refusal is the one
 * `MigrationRefusedError` ("Incorrect username or password"), whatever the reason, and an unknown
 * user costs a decoy verification, so neither the answer nor its time tells who exists.
 * The record is created when the user first gets a token (`adoptMigratedUser`): Cognito has not
 * created the user, and so no `sub`, when this runs.
 */
export function createHandler(runtime: () => MigrationRuntime) {
  const refusals = new WeakMap<object, MigrationRefusedError>();
  const trigger = defineTrigger<UserMigrationEvent & Record<string, unknown>>(
    triggerManifest.userMigration.file,
    triggerManifest.userMigration.sources,
    async (event, context, startedAt) => {
      const deps = runtime();
      try {
        await migrate(deps, event, () => timeLeft(deps.config.timeouts.budgetMs, startedAt, context));
      } catch (error) {
        // defineTrigger would turn it into "temporarily unavailable": it is thrown after it instead.
        if (!(error instanceof MigrationRefusedError)) throw error;
        refusals.set(event, error);
      }
    },
  );
  return async (
    event: UserMigrationEvent & Record<string, unknown>,
    context?: Parameters<typeof trigger>[1],
  ) => {
    const answered = await trigger(event, context);
    const refusal = refusals.get(event);
    if (!refusal) return answered;
    logger.info("migration refused", { triggerSource: event.triggerSource, reason: refusal.reason });
    throw refusal;
  };
}

async function migrate(
  deps: MigrationRuntime,
  event: UserMigrationEvent & Record<string, unknown>,
  budget: () => number,
): Promise<void> {
  const parsed = parseEvent(userMigrationEvent, event);
  const { config } = deps;
  const email = normaliseEmail(parsed.userName);
  const authenticating = parsed.triggerSource === "UserMigration_Authentication";
  const password = parsed.request.password ?? "";
  if (!isPlausibleEmail(email)) throw new MigrationRefusedError("unknown-user");
  if (authenticating && !password) throw new MigrationRefusedError("missing-password");

  const attempt = await deps.legacy.recordAttempt(email, Math.floor(deps.now().getTime() / 1000));
  if (!attempt.allowed) throw new MigrationRefusedError("rate-limited");

  const found = await lookUp(deps, email, authenticating ? password : undefined, budget);
  if (found.disabled) throw new MigrationRefusedError("disabled");
  const decision = migrationDecision({
    triggerSource: parsed.triggerSource,
    legacyUser: found.user,
    passwordVerified: found.verified,
    locales: config.locales,
  });
  if (!decision.migrate) throw new MigrationRefusedError(decision.reason);
  if (found.fromEndpoint) {
    await deps.legacy.put(
      { ...decision.user, disabled: false, origin: "endpoint", importedAt: deps.now().toISOString() },
      { replace: true },
    );
  }
  logger.info("user migrated", {
    triggerSource: parsed.triggerSource,
    email: maskEmail(email),
    roles: decision.user.roles,
  });
  event.response = { ...((event.response as object | null) ?? {}), ...decision.response };
}

/** The store first; the endpoint only for users not imported. `password` undefined: ForgotPassword. */
async function lookUp(
  deps: MigrationRuntime,
  email: string,
  password: string | undefined,
  budget: () => number,
): Promise<Lookup> {
  const imported = await deps.legacy.get(email);
  if (imported) return checkImported(deps.config, imported, password);
  if (!deps.endpoint) {
    if (password !== undefined) await verifyPassword(decoyCredential, password);
    return nobody;
  }
  const answer = await askLegacyEndpoint(
    deps.endpoint,
    password === undefined ? { action: "lookup", email } : { action: "authenticate", email, password },
    {
      nowSeconds: Math.floor(deps.now().getTime() / 1000),
      timeoutMs: budget() - 200,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
  );
  if (!answer.found || !answer.user) return nobody;
  const { user } = answer;
  return {
    user: {
      email,
      emailVerified: user.emailVerified,
      roles: mapLegacyRoles(deps.config, user.roles),
      ...(user.name ? { name: user.name } : {}),
      ...(user.locale ? { locale: user.locale } : {}),
    },
    verified: password !== undefined && answer.verified,
    disabled: user.disabled,
    fromEndpoint: true,
  };
}

async function checkImported(
  config: LifecycleConfig,
  imported: LegacyCredentialItem,
  password: string | undefined,
): Promise<Lookup> {
  const {
    credential,
    disabled,
    origin: _origin,
    importedAt: _at,
    importJob: _job,
    sourceId: _id,
    ...user
  } = imported;
  const known = new Set(Object.keys(config.roles));
  const legacyUser: LegacyUser = { ...user, roles: user.roles.filter((role) => known.has(role)) };
  if (password === undefined) return { user: legacyUser, verified: false, disabled, fromEndpoint: false };
  const verified = await verifyAgainst(credential, password);
  return { user: legacyUser, verified: verified && !disabled, disabled, fromEndpoint: false };
}

/** No usable hash, or one over the cost limits: the decoy's time, and no match. */
async function verifyAgainst(credential: PasswordCredential | undefined, password: string): Promise<boolean> {
  if (!credential) {
    await verifyPassword(decoyCredential, password);
    return false;
  }
  try {
    return await verifyPassword(credential, password);
  } catch (error) {
    logger.warn("imported credential unusable", { problem: (error as { problem?: string }).problem });
    return false;
  }
}

const settings = withEnvironment(config);
const legacy = once(() => legacyCredentialsFor(settings));
/** The endpoint's secret comes from the environment (an SST secret on AWS), never from config. */
const endpoint = once((): LegacyEndpointConfig | undefined => {
  const configured = settings.migration.endpoint;
  if (!configured) return undefined;
  // Only the Lambda runtime sets AWS_EXECUTION_ENV; the local stack may use http on 127.0.0.1.
  checkEndpointUrl(configured.url, process.env.AWS_EXECUTION_ENV !== undefined);
  const secret = process.env.LIFECYCLE_MIGRATION_SECRET;
  if (!secret)
    throw new Error("Missing configuration for: LIFECYCLE_MIGRATION_SECRET (the legacy endpoint's key)");
  return { ...configured, secret };
});
export const handler = createHandler(() => {
  const legacyEndpoint = endpoint();
  return {
    config: settings,
    legacy: legacy(),
    ...(legacyEndpoint ? { endpoint: legacyEndpoint } : {}),
    now: systemClock.now,
  };
});
