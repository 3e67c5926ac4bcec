import {
  adoptMigratedUser,
  cognitoAdminFor,
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
  maskEmail,
  type PostConfirmationEvent,
  parseEvent,
  postConfirmationEvent,
  sourceOf,
  triggerManifest,
  withEnvironment,
} from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

/**
 * Post confirmation. `_ConfirmSignUp` creates the user record with one conditional
 * transaction whose audit item carries `user.created` (the outbox), and returns: the welcome
 * email is sent by the events function (functions/events.ts) off Cognito's 5 s path, under
 * the record's at-most-once claim. `_ConfirmForgotPassword` records the password change.
 *
 * The user is already confirmed when this runs and cannot confirm again, so a failure here
 * must not block them: store and email failures are logged and left for the token-time
 * just-in-time record and for reconcile to repair.
 */
/** What it touches: no mailer and no renderer, so SES and the templates stay out of its bundle. */
type Runtime = Pick<TriggerRuntime, "config" | "store" | "cognito" | "now" | "newId"> & {
  /** The imported users, while `migration.enabled`. */
  legacy?: LegacyCredentialStore;
};

export function createHandler(runtime: () => Runtime) {
  return defineTrigger<PostConfirmationEvent & Record<string, unknown>>(
    triggerManifest.postConfirmation.file,
    triggerManifest.postConfirmation.sources,
    async (event, context, startedAt) => {
      const deps = runtime();
      const parsed = parseEvent(postConfirmationEvent, event);
      const { userAttributes } = parsed.request;
      const sub = userAttributes.sub as string;
      const now = deps.now().toISOString();
      const budget = () => timeLeft(deps.config.timeouts.budgetMs, startedAt, context);

      try {
        if (parsed.triggerSource === "PostConfirmation_ConfirmForgotPassword") {
          await recordPasswordChange(deps, parsed, sub, now, budget());
        } else {
          await createUser(deps, parsed, sub, now, budget);
        }
      } catch (error) {
        logger.error(
          "post confirmation side effects incomplete; token-time creation and reconcile will repair",
          {
            sub,
            triggerSource: parsed.triggerSource,
            error: (error as Error).name,
          },
        );
      }
      event.response = (event.response as object | null) ?? {};
    },
  );
}

async function createUser(
  deps: Runtime,
  event: PostConfirmationEvent,
  sub: string,
  now: string,
  budget: () => number,
): Promise<void> {
  const { config, store } = deps;
  const { userAttributes } = event.request;
  const { record, created } = await new UserRecords(store, config, deps).createIfMissing(
    "post-confirmation",
    {
      sub,
      username: event.userName,
      attributes: userAttributes,
      source: sourceOf(event.triggerSource, userAttributes),
      now,
      groups: config.defaultGroup ? [config.defaultGroup] : [],
      confirmed: true,
      triggerSource: event.triggerSource,
      clientId: event.callerContext?.clientId,
    },
    {
      details: (fresh) => ({ roles: fresh.roles, source: fresh.source }),
      abortSignal: deadlineSignal(budget()),
      purpose: "post-confirmation",
    },
  );
  if (created === "exists") {
    logger.info("user record already exists: retry or concurrent invocation", { sub });
  } else {
    logger.info("user record created", { sub, email: maskEmail(record.email), roles: record.roles });
  }

  // AdminAddUserToGroup is idempotent, so a retry repairs a membership the first attempt missed.
  if (config.defaultGroup) {
    try {
      await deps.cognito.addUserToGroup(event.userPoolId, event.userName, config.defaultGroup, {
        abortSignal: deadlineSignal(budget()),
      });
    } catch (error) {
      logger.warn("default group not added", {
        sub,
        group: config.defaultGroup,
        error: (error as Error).name,
      });
    }
  }
}

async function recordPasswordChange(
  deps: Runtime,
  event: PostConfirmationEvent,
  sub: string,
  now: string,
  budgetMs: number,
): Promise<void> {
  const signal = deadlineSignal(budgetMs);
  if (await deps.store.recordPasswordChange(sub, now, { abortSignal: signal })) {
    logger.info("password change recorded", { sub });
    return;
  }
  // A migrated user's reset (UserMigration_ForgotPassword created them): their imported roles.
  if (deps.legacy) {
    const migrated = await adoptMigratedUser(
      { ...deps, legacy: deps.legacy },
      {
        sub,
        username: event.userName,
        attributes: event.request.userAttributes,
        triggerSource: event.triggerSource,
        passwordChangedAt: now,
      },
      signal,
    );
    if (migrated) return;
  }
  // No record yet (it was lost earlier): create it now, with the change, conditionally.
  const { created } = await new UserRecords(deps.store, deps.config, deps).createIfMissing(
    "password-reset",
    {
      sub,
      username: event.userName,
      attributes: event.request.userAttributes,
      source: sourceOf(event.triggerSource, event.request.userAttributes),
      now,
      confirmed: true,
    },
    { overrides: { passwordChangedAt: now }, abortSignal: signal },
  );
  if (created === "exists") await deps.store.recordPasswordChange(sub, now, { abortSignal: signal });
}

const settings = withEnvironment(config);
const store = once(() => userStoreFor(settings));
const cognito = once(() => cognitoAdminFor(settings));
const legacy = once(() => (settings.migration.enabled ? legacyCredentialsFor(settings) : undefined));
export const handler = createHandler(() => ({
  ...(legacy() ? { legacy: legacy() } : {}),
  config: settings,
  store: store(),
  get cognito() {
    return cognito();
  },
  ...systemClock,
}));
