import { customSenderEvent, parseEvent } from "@cognito-lifecycle/core";
import type { User, UserPool } from "cognito-local/lib/services/userPoolService";
import { describe, expect, it } from "vitest";
import { customSmsSenderEvent } from "../../packages/local/src/cognito-codes.ts";
import { recoversByPhone } from "../../packages/local/src/cognito-recovery.ts";

/** What the local stack adds to cognito-local for SMS: Cognito's sender event and its reset medium. */
const sub = "3b6c1a52-6f0e-4d3b-9d55-0a7f4a1f9e11";

function user(attributes: Record<string, string>, extra: Partial<User> = {}): User {
  return {
    Username: sub,
    Attributes: Object.entries({ sub, ...attributes }).map(([Name, Value]) => ({ Name, Value })),
    Enabled: true,
    UserStatus: "CONFIRMED",
    UserCreateDate: new Date(0),
    UserLastModifiedDate: new Date(0),
    RefreshTokens: [],
    ...extra,
  } as User;
}

const pool = (mechanisms?: { Name: string; Priority: number }[]): UserPool =>
  ({
    Id: "local_pool",
    ...(mechanisms ? { AccountRecoverySetting: { RecoveryMechanisms: mechanisms } } : {}),
  }) as UserPool;
const phoneFirst = [
  { Name: "verified_phone_number", Priority: 1 },
  { Name: "verified_email", Priority: 2 },
];
const emailFirst = [
  { Name: "verified_email", Priority: 1 },
  { Name: "verified_phone_number", Priority: 2 },
];
const withPhone = { email: "ada@example.com", phone_number: "+491701234567", phone_number_verified: "true" };

describe("the CustomSMSSender event the local stack builds", () => {
  it("has Cognito's shape and parses as a custom sender event", () => {
    const event = customSmsSenderEvent("us-east-1", {
      source: "SignUp",
      encryptedCode: "AYADeD...",
      user: user(withPhone),
      userPoolId: "local_pool",
      clientId: null,
      clientMetadata: { locale: "de" },
    });

    expect(event).toEqual({
      version: "1",
      triggerSource: "CustomSMSSender_SignUp",
      region: "us-east-1",
      userPoolId: "local_pool",
      userName: sub,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        type: "customSMSSenderRequestV1",
        code: "AYADeD...",
        clientMetadata: { locale: "de" },
        userAttributes: { sub, ...withPhone },
      },
      response: {},
    });
    expect(() => parseEvent(customSenderEvent, event)).not.toThrow();
  });
});

describe("ForgotPassword's medium, as Cognito picks it", () => {
  it.each([
    ["no recovery setting: a verified phone first (legacy)", pool(), user(withPhone), true],
    [
      "no recovery setting, unverified phone: email",
      pool(),
      user({ ...withPhone, phone_number_verified: "false" }),
      false,
    ],
    ["phone first, verified phone", pool(phoneFirst), user(withPhone), true],
    [
      "phone first, phone unverified: email",
      pool(phoneFirst),
      user({ ...withPhone, phone_number_verified: "false" }),
      false,
    ],
    [
      "phone first, but the phone is for SMS MFA: email",
      pool(phoneFirst),
      user(withPhone, { UserMFASettingList: ["SMS_MFA"] }),
      false,
    ],
    ["email first", pool(emailFirst), user(withPhone), false],
    ["email first, no email: the phone", pool(emailFirst), user({ ...withPhone, email: "" }), true],
    ["email only", pool([{ Name: "verified_email", Priority: 1 }]), user(withPhone), false],
    ["admin only", pool([{ Name: "admin_only", Priority: 1 }]), user(withPhone), false],
  ])("%s", (_case, userPool, target, byPhone) => {
    expect(recoversByPhone(userPool, target)).toBe(byPhone);
  });
});
