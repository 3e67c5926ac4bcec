import { once, type SmsSender, smsSenderFor } from "@cognito-lifecycle/aws";
import {
  type CodeMessageDependencies,
  codeDecryptorFor,
  codeMessage,
  type DeliveryRecorder,
  defineSender,
  loggedDeliveries,
} from "@cognito-lifecycle/aws/senders";
import { senderManifest, smsSenderKinds, withEnvironment } from "@cognito-lifecycle/core";
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
  return defineSender(
    {
      file: senderManifest.customSmsSender.file,
      channel: "sms",
      kinds: smsSenderKinds,
      recipient: (attributes) => attributes.phone_number,
      missing: "code SMS not sent: the user has no phone number",
      message: async (deps, event, kind) => (await codeMessage(deps, event, kind)).message,
      send: (deps, to, message) => deps.sms.send({ to, text: message.sms }),
    },
    dependencies,
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
