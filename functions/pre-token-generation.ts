import {
  adoptMigratedUser,
  deadlineSignal,
  defineTrigger,
  type LegacyCredentialStore,
  legacyCredentialsFor,
  logger,
  once,
  systemClock,
  type TriggerRuntime,
  timeLeft,
  UserRecords,
  userStoreFor,
} from "@cognito-lifecycle/aws";
import {
  chooseLocale,
  claimsFor,
  clientCredentialsEvent,
  effectiveRoles,
  idpGroupsAreFresh,
  machineTokenResponse,
  newUserRecord,
  type PreTokenGenerationEvent,
  parseEvent,
  permissionsFor,
  preTokenGenerationEvent,
  rolesFromGroups,
  rolesFromIdpGroups,
  StoreUnavailableError,
  sourceOf,
  tokenResponse,
  triggerManifest,
  UserFacingError,
  type UserRecord,
  userMessage,
  withEnvironment,
} from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

type Runtime = Pick<TriggerRuntime, "config" | "store" | "now" | "newId"> & {
  /** The imported users, while `migration.enabled`. */
  legacy?: LegacyCredentialStore;
};

/**
 * Pre token generation: puts roles and permissions in the tokens. One strongly consistent read
 * of the user's record (a role change shows at the next refresh); effective roles are the stored
 * roles plus those mapped from Cognito groups (and IdP groups for federated users, while the
 * record says an IdP sign-in delivered them recently enough). Answers in the event's version:
 * V1 changes the ID token, V2/V3 both tokens.
 */
export function createHandler(runtime: () => Runtime) {
  return defineTrigger<PreTokenGenerationEvent & Record<string, unknown>>(
    triggerManifest.preTokenGeneration.file,
    triggerManifest.preTokenGeneration.sources,
    async (event, context, startedAt) => {
      const deps = runtime();
      const { config } = deps;
      if (event.triggerSource === "TokenGeneration_ClientCredentials") {
        const parsed = parseEvent(clientCredentialsEvent, event);
        const claims = config.claims.machine[parsed.callerContext?.clientId ?? ""];
        if (claims) event.response = machineTokenResponse(claims);
        return;
      }

      const parsed = parseEvent(preTokenGenerationEvent, event);
      const { userAttributes, groupConfiguration, clientMetadata } = parsed.request;
      const sub = userAttributes.sub as string;
      const groups = groupConfiguration?.groupsToOverride ?? [];
      const locale = chooseLocale(
        [clientMetadata?.locale, userAttributes.locale],
        config.locales.supported,
        config.locales.default,
      );
      const signal = deadlineSignal(timeLeft(config.timeouts.budgetMs, startedAt, context));

      let stored: string[];
      let idpGroupsAt: string | undefined;
      try {
        const record =
          (await deps.store.get(sub, { abortSignal: signal })) ??
          (await createJustInTime(deps, parsed, sub, groups, signal));
        if (record.status !== "active") {
          throw new UserFacingError(
            userMessage("accountDisabled", locale),
            "accountDisabled",
            `record status is ${record.status}`,
          );
        }
        stored = record.roles;
        idpGroupsAt = record.idpGroupsAt;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        if (config.tokens.onStoreUnavailable === "deny") {
          throw new UserFacingError(
            userMessage("temporarilyUnavailable", locale),
            "temporarilyUnavailable",
            error.message,
            {
              cause: error,
            },
          );
        }
        logger.warn("store unavailable: issuing group-derived roles only", { sub });
        stored = [];
      }

      const idpRoles = idpGroupsAreFresh(config, idpGroupsAt, deps.now())
        ? rolesFromIdpGroups(config, userAttributes)
        : [];
      const roles = effectiveRoles(config, stored, rolesFromGroups(config, groups), idpRoles);
      const { claims, dropped } = claimsFor(config, { roles, permissions: permissionsFor(config, roles) });
      if (dropped.length > 0) logger.warn("claims over size bound: left out", { sub, dropped });
      event.response = tokenResponse(parsed.version, claims);
    },
  );
}

/**
 * The record is missing: a migrated user's first token (their imported roles), an
 * admin-created user's first sign-in, a federated user, or a lost post confirmation. Create it now (conditionally, so racing sign-ins create one record);
 * reconcile will send the welcome email it leaves pending.
 */
async function createJustInTime(
  deps: Runtime,
  event: PreTokenGenerationEvent,
  sub: string,
  groups: string[],
  abortSignal: AbortSignal,
): Promise<UserRecord> {
  const { config } = deps;
  const now = deps.now().toISOString();
  if (deps.legacy) {
    const migrated = await adoptMigratedUser(
      { ...deps, legacy: deps.legacy },
      {
        sub,
        username: event.userName,
        attributes: event.request.userAttributes,
        triggerSource: event.triggerSource,
      },
      abortSignal,
    );
    if (migrated) return migrated;
  }
  const input = {
    sub,
    username: event.userName,
    attributes: event.request.userAttributes,
    source: sourceOf(event.triggerSource, event.request.userAttributes),
    now,
    groups,
    confirmed: true,
    triggerSource: event.triggerSource,
  };
  if (!config.tokens.createMissingRecords) return newUserRecord(config, input);
  const { record, created } = await new UserRecords(deps.store, config, deps).createIfMissing(
    "pre-token-generation",
    input,
    { details: (fresh) => ({ source: fresh.source }), abortSignal },
  );
  if (created === "exists") return (await deps.store.get(sub, { abortSignal })) ?? record;
  logger.info("user record created just in time", { sub, source: record.source });
  return record;
}

const settings = withEnvironment(config);
const store = once(() => userStoreFor(settings));
const legacy = once(() => (settings.migration.enabled ? legacyCredentialsFor(settings) : undefined));
export const handler = createHandler(() => {
  const imported = legacy();
  return { config: settings, store: store(), ...systemClock, ...(imported ? { legacy: imported } : {}) };
});
