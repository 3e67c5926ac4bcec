import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import {
  freePort,
  type LocalKms,
  localCredentials,
  localRegion,
  startLocalKms,
} from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let kms: LocalKms;
let client: KMSClient;

beforeAll(async () => {
  kms = await startLocalKms({ port: await freePort() });
  client = new KMSClient({
    endpoint: kms.endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});
afterAll(() => kms.stop());

const context = { "userpool-id": "us-east-1_AbCdEf123" };
const secret = new TextEncoder().encode("482913");

async function encrypted(encryptionContext: Record<string, string> = context) {
  const { CiphertextBlob } = await client.send(
    new EncryptCommand({ KeyId: kms.keyArn, Plaintext: secret, EncryptionContext: encryptionContext }),
  );
  return CiphertextBlob as Uint8Array;
}

describe("local KMS", () => {
  it("generates a data key under the alias and names the key ARN, as the Encryption SDK expects", async () => {
    const key = await client.send(
      new GenerateDataKeyCommand({ KeyId: kms.keyAlias, NumberOfBytes: 32, EncryptionContext: context }),
    );
    expect(key.KeyId).toBe(kms.keyArn);
    expect(key.Plaintext).toHaveLength(32);
    const back = await client.send(
      new DecryptCommand({
        CiphertextBlob: key.CiphertextBlob,
        EncryptionContext: context,
        KeyId: kms.keyArn,
      }),
    );
    expect(Buffer.from(back.Plaintext as Uint8Array)).toEqual(Buffer.from(key.Plaintext as Uint8Array));
  });

  it("decrypts with the same encryption context, in any key order", async () => {
    const blob = await encrypted({ a: "1", b: "2" });
    const back = await client.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { b: "2", a: "1" } }),
    );
    expect(new TextDecoder().decode(back.Plaintext)).toBe("482913");
    expect(back.KeyId).toBe(kms.keyArn);
  });

  it.each([
    ["another pool", { "userpool-id": "us-east-1_Other" }],
    ["no context", undefined],
    ["an extra entry", { ...context, extra: "x" }],
  ])("refuses a ciphertext decrypted with %s as InvalidCiphertextException", async (_name, other) => {
    const blob = await encrypted();
    await expect(
      client.send(
        new DecryptCommand({ CiphertextBlob: blob, ...(other ? { EncryptionContext: other } : {}) }),
      ),
    ).rejects.toMatchObject({ name: "InvalidCiphertextException" });
  });

  it("refuses a ciphertext with one byte changed", async () => {
    const blob = Buffer.from(await encrypted());
    blob[blob.length - 1] = (blob[blob.length - 1] as number) ^ 1;
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context })),
    ).rejects.toMatchObject({ name: "InvalidCiphertextException" });
  });

  it("refuses a decrypt that names another key", async () => {
    const blob = await encrypted();
    await expect(
      client.send(
        new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: "alias/other" }),
      ),
    ).rejects.toMatchObject({ name: "NotFoundException" });
  });

  it("answers an unknown key with NotFoundException and describes its own key", async () => {
    await expect(
      client.send(new EncryptCommand({ KeyId: "alias/missing", Plaintext: secret })),
    ).rejects.toMatchObject({ name: "NotFoundException" });
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: kms.keyAlias }));
    expect(KeyMetadata?.Arn).toBe(kms.keyArn);
  });
});
