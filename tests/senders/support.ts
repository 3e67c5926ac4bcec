import { createRequire } from "node:module";
import { join } from "node:path";
import type * as ClientNode from "@aws-crypto/client-node";
import { KmsCodeDecryptor } from "@cognito-lifecycle/aws/senders";
import { defineConfig } from "@cognito-lifecycle/core";
import { vi } from "vitest";

// The Encryption SDK 5.x our decryptor uses lives with packages/aws; the root copy is
// cognito-local's 3.x.
const fromAws = createRequire(join(import.meta.dirname, "../../packages/aws/package.json"));
const esdk = fromAws("@aws-crypto/client-node") as typeof ClientNode;
const { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode, getClient, KMS } = esdk;

export const senderConfig = defineConfig({ branding: { productName: "Acme Cloud" } });
export const poolId = "us-east-1_AbCdEf123";

function kmsClients(endpoint: string) {
  return getClient(KMS, { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/**
 * A code as real Cognito encrypts it (decoded from a real code's header): message format 1,
 * suite 0x0378 (not key-committing), one data key under the key ARN, the pool in the context.
 */
export async function cognitoCode(
  kms: { endpoint: string; keyArn: string },
  code: string,
  context: Record<string, string> = { "userpool-id": poolId },
): Promise<string> {
  const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new KmsKeyringNode({
    generatorKeyId: kms.keyArn,
    clientProvider: kmsClients(kms.endpoint),
  });
  const { result } = await encrypt(keyring, code, {
    encryptionContext: context,
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return result.toString("base64");
}

/**
 * A code as cognito-local 5.3.0 encrypts it: generator = the alias, plus the key ARN (two data
 * keys), the default committing suite, no encryption context of its own.
 */
export async function cognitoLocalCode(
  kms: { endpoint: string; keyArn: string; keyAlias: string },
  code: string,
): Promise<string> {
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const keyring = new KmsKeyringNode({
    generatorKeyId: kms.keyAlias,
    keyIds: [kms.keyArn],
    clientProvider: kmsClients(kms.endpoint),
  });
  return (await encrypt(keyring, code)).result.toString("base64");
}

/** The decryptor the functions use, pointed at the local KMS as `AWS_ENDPOINT_URL_KMS` would. */
export function localDecryptor(kms: { endpoint: string; keyArn: string }): KmsCodeDecryptor {
  vi.stubEnv("AWS_ENDPOINT_URL_KMS", kms.endpoint);
  return new KmsCodeDecryptor(kms.keyArn, { requestMs: 2_000, maxAttempts: 1 });
}

/** A real-shaped sender event (Cognito's shape, version "1"). */
export function senderEvent(
  triggerSource: string,
  code: string | null,
  attributes: Record<string, string> = {},
  overrides: Record<string, unknown> = {},
) {
  const sub = "3b6c1a52-6f0e-4d3b-9d55-0a7f4a1f9e11";
  return {
    version: "1",
    triggerSource,
    region: "us-east-1",
    userPoolId: poolId,
    userName: sub,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "1example23456789" },
    request: {
      type: triggerSource.startsWith("CustomSMSSender")
        ? "customSMSSenderRequestV1"
        : "customEmailSenderRequestV1",
      code,
      clientMetadata: null,
      userAttributes: { sub, email_verified: "true", "cognito:user_status": "CONFIRMED", ...attributes },
    },
    response: {},
    ...overrides,
  };
}
