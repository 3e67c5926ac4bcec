import {
  buildClient,
  CommitmentPolicy,
  cacheClients,
  getClient,
  KMS,
  KmsKeyringNode,
} from "@aws-crypto/client-node";
import { LifecycleError, poolContextKey } from "@cognito-lifecycle/core";
import { type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";

/**
 * Cognito encrypts with a non-committing suite (format 1, 0x0378), so decrypting must allow it;
 * REQUIRE_ENCRYPT_REQUIRE_DECRYPT refuses every real Cognito code. Cognito uses one data key
 * and cognito-local two: a few more are allowed, a flood (a cost attack on KMS) is not.
 */
const { decrypt } = buildClient({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  maxEncryptedDataKeys: 4,
});

export { poolContextKey };

/** A code that must not be used: tampered, for another key or pool, or undecryptable. */
export class CodeRefusedError extends LifecycleError {
  override readonly name = "CodeRefusedError";
  /** `reason` is for the log: never the code or the ciphertext. */
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Encrypted code refused: ${reason}`, { ...options, code: "code_refused", reason });
  }
}

export interface CodeDecryptor {
  /** The plaintext code of a sender event; throws `CodeRefusedError`. */
  decrypt(ciphertext: string, expected: { userPoolId: string }): Promise<string>;
}

/**
 * Decrypts sender codes with the AWS Encryption SDK and a KMS keyring limited to `keyArn` (an
 * alias alone cannot match the data keys, which name the key ARN). The KMS endpoint comes from
 * `AWS_ENDPOINT_URL_KMS` like every other client, the region from the ARN.
 */
export class KmsCodeDecryptor implements CodeDecryptor {
  private readonly keyring: KmsKeyringNode;

  constructor(keyArn: string, timeouts: ClientTimeouts) {
    const kmsIn = getClient(KMS, clientOptions(timeouts));
    this.keyring = new KmsKeyringNode({
      keyIds: [keyArn],
      // Instrumented like every client, so the offline IAM check sees each Decrypt and its context.
      clientProvider: cacheClients((region: string) => instrumentClient(kmsIn(region))),
    });
  }

  async decrypt(ciphertext: string, expected: { userPoolId: string }): Promise<string> {
    let result: Awaited<ReturnType<typeof decrypt>>;
    try {
      result = await decrypt(this.keyring, Buffer.from(ciphertext, "base64"));
    } catch (error) {
      // The SDK's messages name keys and formats, never plaintext; the name is enough to log.
      throw new CodeRefusedError(`not decryptable (${(error as Error)?.name ?? "Error"})`, { cause: error });
    }
    // Real Cognito binds the pool id; cognito-local binds none. Present and different is refused.
    const pool = result.messageHeader.encryptionContext[poolContextKey];
    if (pool !== undefined && pool !== expected.userPoolId) {
      throw new CodeRefusedError(`encryption context names another user pool (${pool})`);
    }
    return result.plaintext.toString("utf8");
  }
}

/** The KMS key the sender functions decrypt with (stacks set `LIFECYCLE_SENDER_KEY_ARN`). */
export function senderKeyArn(): string {
  const arn = process.env.LIFECYCLE_SENDER_KEY_ARN;
  if (!arn) throw new Error("Missing configuration for: sender key ARN (set LIFECYCLE_SENDER_KEY_ARN)");
  return arn;
}

export function codeDecryptorFor(config: { timeouts: ClientTimeouts }): CodeDecryptor {
  return new KmsCodeDecryptor(senderKeyArn(), config.timeouts);
}
