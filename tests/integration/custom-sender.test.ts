import { randomUUID } from "node:crypto";
import {
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { codeIn, inboxFor, type StoredEmail } from "@cognito-lifecycle/local";
import { describe, expect, it } from "vitest";
import { customSenderConfig, resetAndSignIn, useCustomSenderStack } from "../support/custom-sender-stack.ts";

/**
 * The local stack with `delivery: "custom-sender"`: cognito-local encrypts each code against the
 * local KMS as Cognito does (the pool in the encryption context), calls our custom email sender
 * instead of the custom message trigger, and the sender, under the offline IAM check (KMS Decrypt
 * included), delivers the decrypted code to the SES inbox.
 */
const senderStack = useCustomSenderStack("custom-sender-stack");
const config = customSenderConfig;

const password = "Correct-horse-1";
const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;
const inbox = (address: string) => inboxFor(senderStack.stack.info.endpoints.ses, address);

async function signUp(email: string): Promise<StoredEmail[]> {
  await senderStack.cognito.send(
    new SignUpCommand({ ClientId: senderStack.stack.info.clientId, Username: email, Password: password }),
  );
  return inbox(email);
}

describe('the local stack with delivery "custom-sender"', () => {
  it("runs the local KMS and wires the custom email sender instead of the custom message trigger", () => {
    expect(senderStack.stack.info.endpoints.kms).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(senderStack.stack.info.handlerEnv.LIFECYCLE_SENDER_KEY_ARN).toMatch(/^arn:aws:kms:/);
  });

  it("delivers the sign-up code through our sender (once, branded), and that code confirms the user", async () => {
    const email = newEmail("ada");
    const emails = await signUp(email);
    expect(emails).toHaveLength(1);
    expect(senderStack.lines.some((line) => /^trigger CustomEmailSender_SignUp: ok/.test(line))).toBe(true);
    expect(senderStack.lines.some((line) => line.startsWith("trigger CustomMessage_"))).toBe(false);
    const [message] = emails as [StoredEmail];
    expect(message.body.html).toContain(config.branding.productName);
    const code = codeIn(message);
    expect(code).toMatch(/^\d{6}$/);
    await senderStack.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: senderStack.stack.info.clientId,
        Username: email,
        ConfirmationCode: code,
      }),
    );
    // The sender's Decrypt was evaluated by the offline IAM check, with this pool in the context.
    expect([...(senderStack.stack.iam?.requests.get("CustomEmailSender") ?? [])]).toContain(
      `kms:Decrypt ${senderStack.stack.info.handlerEnv.LIFECYCLE_SENDER_KEY_ARN}`,
    );
  });

  it("delivers the password reset code through our sender, and that code resets the password", async () => {
    const email = newEmail("grace");
    const signUpCode = codeIn((await signUp(email))[0] as StoredEmail);
    await senderStack.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: senderStack.stack.info.clientId,
        Username: email,
        ConfirmationCode: signUpCode,
      }),
    );
    await senderStack.cognito.send(
      new ForgotPasswordCommand({ ClientId: senderStack.stack.info.clientId, Username: email }),
    );
    expect(senderStack.lines.some((line) => /^trigger CustomEmailSender_ForgotPassword: ok/.test(line))).toBe(
      true,
    );
    const codeEmails = (await inbox(email)).filter((message) => codeIn(message));
    expect(codeEmails).toHaveLength(2);
    const resetCode = codeIn(codeEmails[1] as StoredEmail);
    await expect(resetAndSignIn(senderStack, email, resetCode, "Correct-horse-2")).resolves.toMatchObject({
      AuthenticationResult: expect.any(Object),
    });
  });
});
