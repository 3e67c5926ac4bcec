import {
  chooseLocale,
  describeError,
  MalformedEventError,
  UserFacingError,
  userMessage,
  userMessageLocales,
} from "@cognito-lifecycle/core";
import { type InvocationClock, type InvocationContext, processClock } from "./deadline.ts";
import { logger } from "./logger.ts";

/** The locale a generic failure message is shown in: the client's, then the user's. */
function eventLocale(event: TriggerEvent): string {
  const request = (event.request ?? {}) as {
    clientMetadata?: Record<string, unknown> | null;
    userAttributes?: Record<string, unknown>;
  };
  const candidates = [request.clientMetadata?.locale, request.userAttributes?.locale].map((value) =>
    typeof value === "string" ? value : undefined,
  );
  return chooseLocale(candidates, userMessageLocales, "en");
}

export type TriggerEvent = { triggerSource?: unknown; response?: unknown } & Record<string, unknown>;

/**
 * The boundary every Cognito trigger shares:
 * - an unknown `triggerSource` passes through unchanged (Cognito adds sources over time);
 * - the handler gets the event itself and returns it with only `response` changed;
 * - a `UserFacingError` reaches the user as its short message; a `MalformedEventError` keeps
 *   its message (field paths, no values); anything else is logged and answered with a generic
 *   message, so internals never reach a sign-in screen.
 * `run` gets the time this invocation's work began (`clock`): on a cold start, the process start.
 */
export function defineTrigger<E extends TriggerEvent>(
  name: string,
  sources: readonly string[],
  run: (event: E, context: InvocationContext | undefined, startedAt: number) => Promise<void>,
  clock: InvocationClock = processClock,
): (event: E, context?: InvocationContext) => Promise<E> {
  return async (event, context) => {
    const startedAt = clock.start();
    const source = typeof event?.triggerSource === "string" ? event.triggerSource : undefined;
    if (!source || !sources.includes(source)) {
      logger.warn("unknown trigger source: event returned unchanged", {
        trigger: name,
        triggerSource: String(source),
      });
      return event;
    }
    try {
      await run(event, context, startedAt);
      return event;
    } catch (error) {
      if (error instanceof UserFacingError) {
        logger.info("refused", {
          trigger: name,
          triggerSource: source,
          key: error.key,
          reason: error.reason,
        });
        throw error;
      }
      if (error instanceof MalformedEventError) {
        logger.error("malformed event", { trigger: name, triggerSource: source, issues: error.issues });
        throw error;
      }
      logger.error("trigger failed", { trigger: name, triggerSource: source, ...describeError(error).log });
      const locale = eventLocale(event);
      throw new UserFacingError(
        userMessage("temporarilyUnavailable", locale),
        "temporarilyUnavailable",
        String(error),
        {
          cause: error,
        },
      );
    }
  };
}
