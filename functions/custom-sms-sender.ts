import { defineTrigger, logger, once, type SmsSender, smsSenderFor } from "@cognito-lifecycle/aws";
import {
  type CodeMessageDependencies,
  codeDecryptorFor,
  codeMessage,
  type DeliveryRecorder,
  loggedDeliveries,
  sendAndRecord,
} from "@cognito-lifecycle/aws/senders";
import {
  type CustomSenderEvent,
  customSenderEvent,
  parseEvent,
  senderTriggerSources,
  smsSenderKinds,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import lifecycleConfig from "../lifecycle.config.ts";

export interface SmsSenderDependencies extends CodeMessageDependencies {
  sms: SmsSender;
  recorder: DeliveryRecorder;
  now: () => Date;
}

/**
 * Custom SMS sender: the localised short text of the same message catalogs (at most 140
 * characters, checked with the placeholders in), with the decrypted code, sent through SNS
 * `Publish` as a transactional SMS. Errors follow the email sender: transient ones throw for
 * Lambda's retry, a number SNS refuses is logged and dropped.
 */
export function createHandler(dependencies: () => SmsSenderDependencies) {
  return defineTrigger<CustomSenderEvent & Record<string, unknown>>(
    "custom-sms-sender",
    senderTriggerSources.customSmsSender,
    async (event) => {
      const deps = dependencies();
      const parsed = parseEvent(customSenderEvent, event);
      const kind = smsSenderKinds[parsed.triggerSource as keyof typeof smsSenderKinds];
      const { sub, phone_number: phoneNumber } = parsed.request.userAttributes;
      const where = { triggerSource: parsed.triggerSource, ...(sub ? { sub } : {}) };
      if (!phoneNumber) {
        logger.warn("code SMS not sent: the user has no phone number", where);
        return;
      }
      const { message } = await codeMessage(deps, parsed, kind);
      await sendAndRecord(deps, { channel: "sms", userPoolId: parsed.userPoolId, ...where }, () =>
        deps.sms.send({ to: phoneNumber, text: message.sms }),
      );
    },
  );
}

const settings = withEnvironment(lifecycleConfig);
const dependencies = once(
  (): SmsSenderDependencies => ({
    config: settings,
    decryptor: codeDecryptorFor(settings),
    renderer: renderMessage,
    sms: smsSenderFor(settings),
    recorder: loggedDeliveries,
    now: () => new Date(),
  }),
);
export const handler = createHandler(dependencies);
