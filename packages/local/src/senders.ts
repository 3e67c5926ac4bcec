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

/** What the local stack changes for `delivery`: which triggers cognito-local calls, and the KMS. */
export interface LocalDelivery {
  /** cognito-local's trigger names -> our function names. */
  triggers: TriggerFunctions;
  /** What the handlers need besides the stack's own environment. */
  env: Record<string, string>;
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
 * `custom-sender`, it calls our custom email sender instead of the custom message trigger (as
 * the deployed pool does), encrypting each code with the local KMS as Cognito does; the sender
 * decrypts it with the same key (`LIFECYCLE_SENDER_KEY_ARN`, `AWS_ENDPOINT_URL_KMS`) and sends
 * it to the SES inbox. cognito-local has no custom SMS sender, so that one is not wired locally.
 */
export function localDelivery(config: LifecycleConfig, kmsEndpoint: string): LocalDelivery {
  // Only the triggers the config deploys (user migration while migrating, custom message while Cognito delivers).
  const names = activeTriggers(config).map((trigger) => triggerManifest[trigger].functionName);
  const triggers = Object.fromEntries(names.map((name) => [name, name])) as TriggerFunctions;
  if (config.delivery === "custom-message") return { triggers, env: {} };
  const arn = localKeyArn(localSenderKeyId);
  return {
    triggers: { ...triggers, CustomEmailSender: senderManifest.customEmailSender.functionName },
    env: { LIFECYCLE_SENDER_KEY_ARN: arn, AWS_ENDPOINT_URL_KMS: kmsEndpoint },
    kms: {
      keyId: localSenderKeyId,
      alias: localSenderKeyAlias,
      arn,
      cognito: {
        KMSKeyAlias: localSenderKeyAlias,
        KMSKeyId: arn,
        endpoint: kmsEndpoint,
        region: localRegion,
      },
    },
  };
}
