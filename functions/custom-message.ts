import { defineTrigger, logger } from "@cognito-lifecycle/aws";
import {
  type CustomMessageEvent,
  composeMessage,
  customMessageEvent,
  customMessageKinds,
  type LifecycleConfig,
  type MessageRenderer,
  messageInputFor,
  parseEvent,
  triggerManifest,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import lifecycleConfig from "../lifecycle.config.ts";

/**
 * Custom message: the branded subject, HTML email and SMS for each of the seven Cognito message
 * kinds, in the user's language (client metadata `locale`, then the `locale` attribute, then the
 * default). The templates are compiled into the bundle: no file reads, no network. A message
 * that breaks a Cognito rule would be silently replaced by Cognito's default, so every message
 * is checked before it is returned, and a plain one that keeps the rules replaces it.
 */
export function createHandler(config: LifecycleConfig, renderer: MessageRenderer) {
  return defineTrigger<CustomMessageEvent & Record<string, unknown>>(
    triggerManifest.customMessage.file,
    triggerManifest.customMessage.sources,
    async (event) => {
      const parsed = parseEvent(customMessageEvent, event);
      const kind = customMessageKinds[parsed.triggerSource as keyof typeof customMessageKinds];
      const input = messageInputFor(config, kind, parsed.request, parsed.request);
      const { message, problems } = composeMessage(renderer, input);
      if (problems.length > 0) {
        // Cognito would silently send its own default; ours at least keeps the product name.
        logger.error("branded message broke a Cognito rule: using the plain message", {
          kind,
          locale: input.locale,
          problems,
        });
      }
      event.response = {
        ...((event.response as object | null) ?? {}),
        emailSubject: message.subject,
        emailMessage: message.html,
        smsMessage: message.sms,
      };
    },
  );
}

export const handler = createHandler(withEnvironment(lifecycleConfig), renderMessage);
