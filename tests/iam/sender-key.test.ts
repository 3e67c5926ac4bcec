import { runAs } from "@cognito-lifecycle/aws";
import { KmsCodeDecryptor } from "@cognito-lifecycle/aws/senders";
import { defineConfig } from "@cognito-lifecycle/core";
import {
  enforceIam,
  freePort,
  type IamChecker,
  type LocalKms,
  localAccount,
  localRegion,
  startLocalKms,
  stopEnforcingIam,
} from "@cognito-lifecycle/local";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cognitoCode } from "../senders/support.ts";

/**
 * The offline IAM check on the senders' KMS calls: Decrypt is evaluated on the sender key with
 * the request's encryption context, against the senders' grants and the key policy as deployed.
 */
const poolId = "us-east-1_AbCdEf123";
let kms: LocalKms;
let checker: IamChecker;
let decryptor: KmsCodeDecryptor;

beforeAll(async () => {
  kms = await startLocalKms({ port: await freePort() });
  decryptor = new KmsCodeDecryptor(kms.keyArn, { requestMs: 2_000, maxAttempts: 1 });
  checker = await enforceIam(defineConfig({ delivery: "custom-sender" }), {
    region: localRegion,
    account: localAccount,
    tableName: "users",
    userPoolId: poolId,
    emailIdentity: "no-reply@example.com",
    configurationSet: "local",
    senderKeyArn: kms.keyArn,
  });
});
beforeEach(() => {
  vi.stubEnv("AWS_ENDPOINT_URL_KMS", kms.endpoint);
});
afterAll(async () => {
  stopEnforcingIam();
  await kms.stop();
});

const decryptAs = async (principal: string, context: Record<string, string>) =>
  runAs(principal, async () =>
    decryptor.decrypt(await cognitoCode(kms, "482913", context), { userPoolId: poolId }),
  );

describe("the offline IAM check on the sender key", () => {
  it("lets the senders decrypt a code Cognito bound to this pool", async () => {
    await expect(decryptAs("CustomEmailSender", { "userpool-id": poolId })).resolves.toBe("482913");
    await expect(decryptAs("CustomSmsSender", { "userpool-id": poolId })).resolves.toBe("482913");
  });

  it.each([
    ["another pool in the encryption context", "CustomEmailSender", { "userpool-id": "us-east-1_Other" }],
    ["no pool in the encryption context", "CustomEmailSender", {}],
    ["a function that is not a sender", "PreSignUp", { "userpool-id": poolId }],
  ])("denies Decrypt for %s", async (_case, principal, context) => {
    const before = checker.denials.length;
    await expect(decryptAs(principal, context)).rejects.toThrow(/refused/);
    expect(checker.denials.slice(before)).toEqual([
      expect.stringContaining(
        `${principal} is not authorized to perform: kms:Decrypt on resource: ${kms.keyArn}`,
      ),
    ]);
  });
});
