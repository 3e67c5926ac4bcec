import { createRequire } from "node:module";
import type { Config } from "cognito-local/lib/server/config";
import type { Context } from "cognito-local/lib/services/context";
import type { Lambda } from "cognito-local/lib/services/lambda";
import type { Messages } from "cognito-local/lib/services/messages";
import type { Triggers } from "cognito-local/lib/services/triggers/triggers";
import type {
  attributesToRecord as AttributesToRecord,
  User,
} from "cognito-local/lib/services/userPoolService";
import type { TriggerLambda } from "./cognito-tokens.ts";

const require = createRequire(import.meta.url);
const fromCognitoLocal = createRequire(require.resolve("cognito-local"));
const { attributesToRecord } = require("cognito-local/lib/services/userPoolService") as {
  attributesToRecord: typeof AttributesToRecord;
};

type KmsConfig = NonNullable<Config["KMSConfig"]>;
type CustomEmailSender = Triggers["customEmailSender"];

interface EncryptionSdk {
  buildClient(policy: unknown): { encrypt: (...args: unknown[]) => Promise<{ result: Buffer }> };
  CommitmentPolicy: Record<string, unknown>;
  AlgorithmSuiteIdentifier: Record<string, unknown>;
  KmsKeyringNode: new (options: object) => unknown;
}

/** Encrypts a code for a pool's custom sender, as Cognito does. */
export type CodeEncryptor = (code: string, userPoolId: string) => Promise<string>;

/**
 * Codes encrypted as Cognito encrypts them instead of as cognito-local 5.3.0 does: message
 * format 1 with the non-committing suite 0x0378, one data key under the key ARN, and
 * `userpool-id` in the encryption context (cognito-local binds no pool). With the pool in the
 * context, the senders' Decrypt grant, conditioned on it, is what it is on AWS, and the offline
 * IAM check evaluates it. The Encryption SDK and aws-sdk v2 KMS client are cognito-local's own.
 */
export function cognitoCodeEncryptor(kms: KmsConfig): CodeEncryptor {
  const esdk = fromCognitoLocal("@aws-crypto/client-node") as EncryptionSdk;
  const { KMS } = fromCognitoLocal("aws-sdk") as { KMS: new (config: object) => unknown };
  const { KMSKeyId, KMSKeyAlias: _alias, ...clientConfig } = kms;
  const { encrypt } = esdk.buildClient(esdk.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new esdk.KmsKeyringNode({
    generatorKeyId: KMSKeyId,
    clientProvider: () => new KMS(clientConfig),
  });
  const suiteId = esdk.AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384;
  return async (code, userPoolId) => {
    const { result } = await encrypt(keyring, code, {
      encryptionContext: { "userpool-id": userPoolId },
      suiteId,
    });
    return result.toString("base64");
  };
}

/**
 * cognito-local's custom email sender with the code encrypted as Cognito does
 * (`cognitoCodeEncryptor`); the invocation is cognito-local's, unchanged.
 */
export function poolBoundEmailSender(lambda: Lambda, encrypt: CodeEncryptor): CustomEmailSender {
  return async (
    ctx: Context,
    { code, source, userAttributes, username, userPoolId, clientId, clientMetadata },
  ) => {
    try {
      await lambda.invoke(ctx, "CustomEmailSender", {
        code: await encrypt(code, userPoolId),
        clientId,
        clientMetadata,
        triggerSource: source,
        userAttributes: attributesToRecord(userAttributes),
        username,
        userPoolId,
      });
      return {};
    } catch (error) {
      // As cognito-local: the API call succeeds and nothing is sent (never the code in the log).
      ctx.logger.error({ error: (error as Error)?.message }, "CustomEmailSender failed");
      return null;
    }
  };
}

type MessageSource = Parameters<Messages["deliver"]>[1];

/** The client id Cognito's events carry for calls no app client made (AdminCreateUser). */
const noAppClient = "CLIENT_ID_NOT_APPLICABLE";

/**
 * The event Cognito invokes a custom SMS sender with (`customSMSSenderRequestV1`): version "1",
 * the pool's region, the user's attributes as they are, the encrypted code.
 */
export function customSmsSenderEvent(
  region: string,
  delivery: {
    source: MessageSource;
    encryptedCode: string;
    user: User;
    userPoolId: string;
    clientId: string | null;
    clientMetadata: Record<string, string> | undefined;
  },
): Record<string, unknown> {
  return {
    version: "1",
    triggerSource: `CustomSMSSender_${delivery.source}`,
    region,
    userPoolId: delivery.userPoolId,
    userName: delivery.user.Username,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: delivery.clientId ?? noAppClient },
    request: {
      type: "customSMSSenderRequestV1",
      code: delivery.encryptedCode,
      clientMetadata: delivery.clientMetadata ?? null,
      userAttributes: attributesToRecord(delivery.user.Attributes),
    },
    response: {},
  };
}

/**
 * cognito-local's messages with every SMS sent as a pool with a custom SMS sender sends it: the
 * code encrypted (`encrypt`), the `CustomSMSSender` trigger invoked with Cognito's event, for
 * every source cognito-local delivers by SMS (sign-up, forgot password, attribute verification,
 * MFA, admin invitation). cognito-local has no such trigger; emails stay with `messages`.
 */
export function smsThroughCustomSender(
  messages: Messages,
  lambda: TriggerLambda,
  encrypt: CodeEncryptor,
  region: string,
): Messages {
  return {
    async deliver(ctx, source, clientId, userPoolId, user, code, clientMetadata, details) {
      if (details.DeliveryMedium !== "SMS") {
        return messages.deliver(ctx, source, clientId, userPoolId, user, code, clientMetadata, details);
      }
      try {
        const encryptedCode = await encrypt(code, userPoolId);
        const event = customSmsSenderEvent(region, {
          source,
          encryptedCode,
          user,
          userPoolId,
          clientId,
          clientMetadata,
        });
        await lambda.invokeWith(ctx, "CustomSMSSender", event, clientId ?? noAppClient);
      } catch (error) {
        // As cognito-local does for the email sender: the API call succeeds, nothing is sent.
        ctx.logger.error({ error: (error as Error)?.message }, "CustomSMSSender failed");
      }
    },
  };
}
