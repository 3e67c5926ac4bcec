import { randomInt, randomUUID } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { codeIn, inboxFor, type StoredEmail, smsInboxAddress } from "@cognito-lifecycle/local";
import { describe, expect, it } from "vitest";
import { customSenderConfig, resetAndSignIn, useCustomSenderStack } from "../support/custom-sender-stack.ts";

/**
 * The local stack with `delivery: "custom-sender"` on a pool that texts codes: cognito-local's
 * SMS go to our custom SMS sender (functions/custom-sms-sender.ts) with Cognito's event and the
 * code encrypted as Cognito encrypts it; the sender decrypts it, renders our SMS template and
 * publishes through its SNS client to the local SNS, under the offline IAM check; the SMS lands
 * in the SES inbox at `smsInboxAddress(phone)`.
 */
const senderStack = useCustomSenderStack("sms-sender-stack", async ({ stack, cognito }) => {
  // The stack's own pool (the sender key's Decrypt grant names it), set to verify phone numbers
  // by code and to send reset codes to a verified phone first.
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: stack.info.userPoolId }));
  await cognito.send(
    new UpdateUserPoolCommand({
      UserPoolId: stack.info.userPoolId,
      Policies: UserPool?.Policies,
      MfaConfiguration: UserPool?.MfaConfiguration,
      AutoVerifiedAttributes: ["email", "phone_number"],
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: "verified_phone_number", Priority: 1 },
          { Name: "verified_email", Priority: 2 },
        ],
      },
    }),
  );
});
const config = customSenderConfig;

const password = "Correct-horse-1";
const newUser = (label: string) => ({
  email: `${label}-${randomUUID().slice(0, 8)}@example.com`,
  phone: `+4917${randomInt(10_000_000, 99_999_999)}`,
});
const smsTo = (phone: string) => inboxFor(senderStack.stack.info.endpoints.ses, smsInboxAddress(phone));
const ran = (triggerSource: string) =>
  senderStack.lines.some((line) => line.startsWith(`trigger ${triggerSource}: ok`));

async function signUp(user: { email: string; phone: string }) {
  return senderStack.cognito.send(
    new SignUpCommand({
      ClientId: senderStack.stack.info.clientId,
      Username: user.email,
      Password: password,
      UserAttributes: [
        { Name: "email", Value: user.email },
        { Name: "phone_number", Value: user.phone },
      ],
    }),
  );
}

/** Our SMS template's text, not cognito-local's default "Your verification code is ...". */
function expectOurSms(sms: StoredEmail | undefined): string {
  expect(sms?.body.text).toContain(config.branding.productName);
  expect(sms?.body.text).not.toMatch(/^Your verification code is/);
  const code = sms ? codeIn(sms) : undefined;
  expect(code).toMatch(/^\d{6}$/);
  return code as string;
}

describe('the local stack with delivery "custom-sender" sends SMS through our custom SMS sender', () => {
  it("runs the local SNS and points the SMS sender's client at it", () => {
    expect(senderStack.stack.info.endpoints.sns).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(senderStack.stack.info.handlerEnv.AWS_ENDPOINT_URL_SNS).toBe(senderStack.stack.info.endpoints.sns);
  });

  it("texts the sign-up code through our sender, and that code confirms the user", async () => {
    const user = newUser("ada");
    const { CodeDeliveryDetails } = await signUp(user);
    expect(CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "SMS", Destination: user.phone });

    expect(ran("CustomSMSSender_SignUp")).toBe(true);
    expect(ran("CustomEmailSender_SignUp")).toBe(false);
    const texts = await smsTo(user.phone);
    expect(texts).toHaveLength(1);
    expect(await inboxFor(senderStack.stack.info.endpoints.ses, user.email)).toEqual([]);
    const code = expectOurSms(texts[0]);
    await expect(
      senderStack.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: senderStack.stack.info.clientId,
          Username: user.email,
          ConfirmationCode: code,
        }),
      ),
    ).resolves.toBeDefined();
    // Decrypt (this pool in the encryption context) and Publish passed the offline IAM check.
    expect([...(senderStack.stack.iam?.requests.get("CustomSmsSender") ?? [])]).toEqual(
      expect.arrayContaining([
        `kms:Decrypt ${senderStack.stack.info.handlerEnv.LIFECYCLE_SENDER_KEY_ARN}`,
        "sns:Publish *",
      ]),
    );
  });

  it("texts a password reset code to a verified phone, and that code resets the password", async () => {
    const user = newUser("grace");
    await signUp(user);
    const signUpCode = codeIn((await smsTo(user.phone))[0] as StoredEmail);
    await senderStack.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: senderStack.stack.info.clientId,
        Username: user.email,
        ConfirmationCode: signUpCode,
      }),
    );
    // Cognito marks the number verified on confirmation; cognito-local does not, so an admin does.
    await senderStack.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: senderStack.stack.info.userPoolId,
        Username: user.email,
        UserAttributes: [
          { Name: "phone_number", Value: user.phone },
          { Name: "phone_number_verified", Value: "true" },
        ],
      }),
    );

    const { CodeDeliveryDetails } = await senderStack.cognito.send(
      new ForgotPasswordCommand({ ClientId: senderStack.stack.info.clientId, Username: user.email }),
    );
    expect(CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "SMS", Destination: user.phone });
    expect(ran("CustomSMSSender_ForgotPassword")).toBe(true);
    const texts = await smsTo(user.phone);
    expect(texts).toHaveLength(2);
    const resetCode = expectOurSms(texts[1]);
    await expect(
      resetAndSignIn(senderStack, user.email, resetCode, "Correct-horse-2"),
    ).resolves.toMatchObject({
      AuthenticationResult: expect.any(Object),
    });
  });

  it("texts an admin invitation through our sender, whose temporary password signs the user in", async () => {
    const user = newUser("peggy");
    await senderStack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: senderStack.stack.info.userPoolId,
        Username: user.email,
        UserAttributes: [
          { Name: "email", Value: user.email },
          { Name: "phone_number", Value: user.phone },
        ],
        DesiredDeliveryMediums: ["SMS"],
      }),
    );

    expect(ran("CustomSMSSender_AdminCreateUser")).toBe(true);
    const [invitation] = await smsTo(user.phone);
    // Our invitation text, with the sign-in email for {username} (cognito-local's would be the sub).
    expect(invitation?.body.text?.startsWith(`${config.branding.productName}: `)).toBe(true);
    expect(invitation?.body.text).toContain(`Username: ${user.email} `);
    const temporaryPassword = /Temporary password: (\S+)$/.exec(invitation?.body.text ?? "")?.[1];
    await expect(
      senderStack.cognito.send(
        new InitiateAuthCommand({
          ClientId: senderStack.stack.info.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: user.email, PASSWORD: temporaryPassword as string },
        }),
      ),
    ).resolves.toMatchObject({ ChallengeName: "NEW_PASSWORD_REQUIRED" });
  });
});
