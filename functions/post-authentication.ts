import {
  deadlineSignal,
  defineTrigger,
  logger,
  once,
  systemClock,
  type TriggerRuntime,
  timeLeft,
  userStoreFor,
} from "@cognito-lifecycle/aws";
import {
  deliversIdpGroups,
  parseEvent,
  postAuthenticationEvent,
  triggerManifest,
  withEnvironment,
} from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

type Runtime = Pick<TriggerRuntime, "config" | "store" | "now">;

/**
 * Post authentication: records `lastSignInAt` with one conditional update, and on an IdP
 * sign-in also the time the IdP groups were delivered (they expire after it). A failure here
 * would fail the sign-in, so it is logged and ignored; a missing record is left to token-time
 * creation.
 */
export function createHandler(runtime: () => Runtime) {
  return defineTrigger(
    triggerManifest.postAuthentication.file,
    triggerManifest.postAuthentication.sources,
    async (event, context, startedAt) => {
      const deps = runtime();
      const parsed = parseEvent(postAuthenticationEvent, event);
      const { userAttributes } = parsed.request;
      const sub = userAttributes.sub as string;
      try {
        const signal = deadlineSignal(timeLeft(deps.config.timeouts.budgetMs, startedAt, context));
        const found = await deps.store.recordSignIn(sub, deps.now().toISOString(), {
          abortSignal: signal,
          idpGroups: deliversIdpGroups(parsed.triggerSource, userAttributes),
        });
        if (!found) logger.info("no record yet at sign-in", { sub });
      } catch (error) {
        logger.warn("last sign-in not recorded", { sub, error: (error as Error).name });
      }
      event.response = (event.response as object | null) ?? {};
    },
  );
}

const settings = withEnvironment(config);
const store = once(() => userStoreFor(settings));
export const handler = createHandler(() => ({ config: settings, store: store(), ...systemClock }));
