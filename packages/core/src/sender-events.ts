import * as z from "zod/mini";
import type { MessageKind } from "./messages/types.ts";
import { pureSchema } from "./pure-schema.ts";
import "./zod-messages.ts";

/**
 * Custom email sender and custom SMS sender events. Cognito hands these triggers the code
 * encrypted (an AWS Encryption SDK message, base64) instead of a placeholder, and ignores the
 * response. Liberal in what it accepts: `version` "1" from Cognito, "0" (a number in some
 * tools) from cognito-local; `code` null for account take-over notifications; absent maps null.
 * @example { "version": "1", "triggerSource": "CustomEmailSender_SignUp", "region": "eu-west-1", "userPoolId": "eu-west-1_AbC", "userName": "3b6c...", "callerContext": { "awsSdkVersion": "aws-sdk-js-3", "clientId": "1ab2..." }, "request": { "type": "customEmailSenderRequestV1", "code": "AYADeD...", "clientMetadata": null, "userAttributes": { "sub": "3b6c...", "email": "jane@example.com" } }, "response": {} }
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */
const stringMap = /* @__PURE__ */ pureSchema(() => z.record(z.string(), z.string()));

export const customSenderEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    version: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
    triggerSource: z.string().check(z.minLength(1)),
    region: z.nullish(z.string()),
    userPoolId: z.string().check(z.minLength(1)),
    userName: z.string().check(z.minLength(1)),
    callerContext: z.nullish(
      z.looseObject({ awsSdkVersion: z.nullish(z.string()), clientId: z.nullish(z.string()) }),
    ),
    request: z.looseObject({
      type: z.nullish(z.string()),
      /** Base64 ciphertext; null when the message carries no code (account take-over). */
      code: z.nullish(z.string()),
      clientMetadata: z.nullish(stringMap),
      userAttributes: z.pipe(
        z.nullish(stringMap),
        z.transform((attributes) => attributes ?? {}),
      ),
    }),
  }),
);

export type CustomSenderEvent = z.output<typeof customSenderEvent>;

/** The encryption context entry Cognito binds to every code: the pool that sent it. */
export const poolContextKey = "userpool-id";

/** What each sender source delivers: one of our message kinds, or a notice without a code. */
export const emailSenderKinds = {
  CustomEmailSender_SignUp: "signUp",
  CustomEmailSender_ResendCode: "resendCode",
  CustomEmailSender_ForgotPassword: "forgotPassword",
  CustomEmailSender_UpdateUserAttribute: "updateUserAttribute",
  CustomEmailSender_VerifyUserAttribute: "verifyUserAttribute",
  CustomEmailSender_AdminCreateUser: "adminCreateUser",
  CustomEmailSender_Authentication: "authentication",
  CustomEmailSender_AccountTakeOverNotification: "accountTakeOver",
} as const satisfies Record<string, MessageKind | "accountTakeOver">;

export const smsSenderKinds = {
  CustomSMSSender_SignUp: "signUp",
  CustomSMSSender_ResendCode: "resendCode",
  CustomSMSSender_ForgotPassword: "forgotPassword",
  CustomSMSSender_UpdateUserAttribute: "updateUserAttribute",
  CustomSMSSender_VerifyUserAttribute: "verifyUserAttribute",
  CustomSMSSender_AdminCreateUser: "adminCreateUser",
  CustomSMSSender_Authentication: "authentication",
} as const satisfies Record<string, MessageKind>;

export const senderTriggerSources = {
  customEmailSender: Object.keys(emailSenderKinds) as (keyof typeof emailSenderKinds)[],
  customSmsSender: Object.keys(smsSenderKinds) as (keyof typeof smsSenderKinds)[],
} as const;

/**
 * Cognito HTML-escapes the temporary password of an invitation before encrypting it
 * (`<` arrives as `&lt;`). Undone once, after decrypting; `&amp;` last so `&amp;lt;` stays `&lt;`.
 */
export function unescapeTemporaryPassword(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
