import {
  activeTriggers,
  type LifecycleConfig,
  senderManifest,
  triggerManifest,
} from "@cognito-lifecycle/core";
import type { TriggerFunctions } from "./cognito.ts";
import { localRegion } from "./credentials.ts";
import { localKeyArn } from "./kms.ts";

/**
 * The local sender key's id: fixed, so the handlers' environment (and the offline IAM check's
 * key ARN) is the same on every start; its material is new on each start.
 */
export const localSenderKeyId = "5e7de75e-c0de-4c0d-8e5e-7de75ec0de00";
const localSenderKeyAlias = "alias/cognito-lifecycle-senders";

/** What the local stack changes for `delivery`: which triggers cognito-local calls, KMS and SNS. */
export interface LocalDelivery {
  /** cognito-local's trigger names -> our function names. */
  triggers: TriggerFunctions;
  /** What the handlers need besides the stack's own environment. */
  env: Record<string, string>;
  /** Whether the local SNS runs (custom-sender only): the custom SMS sender publishes to it. */
  sns: boolean;
  /** The local KMS to start (custom-sender only), and cognito-local's settings for it. */
  kms?: {
    keyId: string;
    alias: string;
    arn: string;
    cognito: { KMSKeyAlias: string; KMSKeyId: string; endpoint: string; region: string };
  };
}

/**
 * With `custom-message`, cognito-local calls every trigger and sends the messages itself. With
 * `custom-sender`, as the deployed pool does, it calls our custom email sender for each email
 * and our custom SMS sender for each SMS instead of the custom message trigger, encrypting each
 * code with the local KMS as Cognito does; the senders decrypt it with the same key
 * (`LIFECYCLE_SENDER_KEY_ARN`, `AWS_ENDPOINT_URL_KMS`), the email sender sends to the local SES
 * and the SMS sender publishes to the local SNS (`AWS_ENDPOINT_URL_SNS`), which puts each SMS in
 * the SES inbox.
 */
export function localDelivery(
  config: LifecycleConfig,
  endpoints: { kms: string; sns: string },
): LocalDelivery {
  // Only the triggers the config deploys (user migration while migrating, custom message while Cognito delivers).
  const names = activeTriggers(config).map((trigger) => triggerManifest[trigger].functionName);
  const triggers = Object.fromEntries(names.map((name) => [name, name])) as TriggerFunctions;
  if (config.delivery === "custom-message") return { triggers, env: {}, sns: false };
  const arn = localKeyArn(localSenderKeyId);
  return {
    triggers: {
      ...triggers,
      CustomEmailSender: senderManifest.customEmailSender.functionName,
      CustomSMSSender: senderManifest.customSmsSender.functionName,
    },
    env: {
      LIFECYCLE_SENDER_KEY_ARN: arn,
      AWS_ENDPOINT_URL_KMS: endpoints.kms,
      AWS_ENDPOINT_URL_SNS: endpoints.sns,
    },
    sns: true,
    kms: {
      keyId: localSenderKeyId,
      alias: localSenderKeyAlias,
      arn,
      cognito: {
        KMSKeyAlias: localSenderKeyAlias,
        KMSKeyId: arn,
        endpoint: endpoints.kms,
        region: localRegion,
      },
    },
  };
}
