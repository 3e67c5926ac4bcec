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
  type AuditEvent,
  deliversIdpGroups,
  isTrue,
  type PostAuthenticationEvent,
  parseEvent,
  postAuthenticationEvent,
  triggerManifest,
  withEnvironment,
} from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

type Runtime = Pick<TriggerRuntime, "config" | "store" | "now" | "newId">;

/** The audit entry whose outbox carries `user.signed_in` (only with `events.signedIn`). */
function signInAudit(deps: Runtime, event: PostAuthenticationEvent, sub: string, at: string): AuditEvent {
  const clientId = event.callerContext?.clientId;
  const newDevice = event.request.newDeviceUsed;
  return {
    sub,
    id: deps.newId(),
    at,
    actor: "system:post-authentication",
    action: "user.signed_in",
    details: {
      ...(clientId ? { clientId } : {}),
      ...(newDevice === undefined || newDevice === null ? {} : { newDevice: String(newDevice) === "true" }),
    },
  };
}

/** What the sign-in history keeps of the event: the app client and whether the device was new. */
function signInOf(event: PostAuthenticationEvent): { clientId?: string; newDevice?: boolean } {
  const clientId = event.callerContext?.clientId;
  return {
    ...(clientId ? { clientId } : {}),
    ...(isTrue(event.request.newDeviceUsed) ? { newDevice: true } : {}),
  };
}

/**
 * Post authentication: records `lastSignInAt` and the sign-in history entry with one conditional
 * update (a read and a second write once every ten sign-ins, trimming the history), and on an IdP
 * sign-in also the time the IdP groups were delivered (they expire after it). A failure here
 * would fail the sign-in, so it is logged and ignored; a missing record is left to token-time
 * creation. With `events.signedIn`, the update commits with the audit item carrying
 * `user.signed_in` (the outbox); off, it stays one UpdateItem.
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
        const at = deps.now().toISOString();
        const found = await deps.store.recordSignIn(sub, at, {
          abortSignal: signal,
          idpGroups: deliversIdpGroups(parsed.triggerSource, userAttributes),
          ...(deps.config.events.signedIn ? { audit: signInAudit(deps, parsed, sub, at) } : {}),
          signIn: signInOf(parsed),
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
