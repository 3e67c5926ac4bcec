import { createRequire } from "node:module";
import type { Config } from "cognito-local/lib/server/config";
import type { Context } from "cognito-local/lib/services/context";
import type { Lambda } from "cognito-local/lib/services/lambda";
import type { Triggers } from "cognito-local/lib/services/triggers/triggers";
import type { attributesToRecord as AttributesToRecord } from "cognito-local/lib/services/userPoolService";

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

/**
 * cognito-local's custom email sender, encrypting the code as Cognito does instead of as
 * cognito-local 5.3.0 does: message format 1 with the non-committing suite 0x0378, one data key
 * under the key ARN, and `userpool-id` in the encryption context (cognito-local binds no pool).
 * With the pool in the context, the senders' Decrypt grant, conditioned on it, is what it is on
 * AWS, and the offline IAM check evaluates it. The Encryption SDK and aws-sdk v2 KMS client are
 * cognito-local's own; the invocation is cognito-local's, unchanged.
 */
export function poolBoundEmailSender(lambda: Lambda, kms: KmsConfig): CustomEmailSender {
  const esdk = fromCognitoLocal("@aws-crypto/client-node") as EncryptionSdk;
  const { KMS } = fromCognitoLocal("aws-sdk") as { KMS: new (config: object) => unknown };
  const { KMSKeyId, KMSKeyAlias: _alias, ...clientConfig } = kms;
  const { encrypt } = esdk.buildClient(esdk.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new esdk.KmsKeyringNode({
    generatorKeyId: KMSKeyId,
    clientProvider: () => new KMS(clientConfig),
  });
  const suiteId = esdk.AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384;
  return async (
    ctx: Context,
    { code, source, userAttributes, username, userPoolId, clientId, clientMetadata },
  ) => {
    try {
      const { result } = await encrypt(keyring, code, {
        encryptionContext: { "userpool-id": userPoolId },
        suiteId,
      });
      await lambda.invoke(ctx, "CustomEmailSender", {
        code: result.toString("base64"),
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
