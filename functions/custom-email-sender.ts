import { type Mailer, mailerFor, once, senderAddress } from "@cognito-lifecycle/aws";
import {
  accountTakeOverMessage,
  type CodeMessageDependencies,
  codeDecryptorFor,
  codeMessage,
  type DeliveryRecorder,
  defineSender,
  loggedDeliveries,
} from "@cognito-lifecycle/aws/senders";
import { emailSenderKinds, senderManifest, withEnvironment } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import lifecycleConfig from "../lifecycle.config.ts";

export interface EmailSenderDependencies extends CodeMessageDependencies {
  mailer: Mailer;
  recorder: DeliveryRecorder;
  now: () => Date;
}

/**
 * Custom email sender: Cognito hands us the code encrypted and we deliver it, in the same
 * branded, localised email the custom message trigger builds, through SESv2 with the
 * configuration set and without Cognito's 20,000-character limit. Cognito invokes senders
 * asynchronously, so a thrown error is retried by Lambda: transient SES failures throw; a
 * message SES refuses for good, or an event without an address, is logged and dropped. The
 * account take-over notice carries no code: it reports the risky sign-in from the event.
 */
export function createHandler(dependencies: () => EmailSenderDependencies) {
  return defineSender(
    {
      file: senderManifest.customEmailSender.file,
      channel: "email",
      kinds: emailSenderKinds,
      recipient: (attributes) => attributes.email,
      missing: "email not sent: the user has no email address",
      message: async (deps, event, kind) =>
        (kind === "accountTakeOver"
          ? accountTakeOverMessage(deps, event)
          : await codeMessage(deps, event, kind)
        ).message,
      send: (deps, to, message) =>
        deps.mailer.send({
          from: senderAddress(deps.config),
          to,
          subject: message.subject,
          html: message.html,
          text: message.text,
        }),
    },
    dependencies,
  );
}

const settings = withEnvironment(lifecycleConfig);
const dependencies = once(
  (): EmailSenderDependencies => ({
    config: settings,
    decryptor: codeDecryptorFor(settings),
    renderer: renderMessage,
    mailer: mailerFor(settings),
    recorder: loggedDeliveries,
    now: () => new Date(),
  }),
);
export const handler = createHandler(dependencies);
