import type { LifecycleConfig } from "../config/schema.ts";

/** The seven Cognito custom-message kinds, our welcome email and the threat-protection notice. */
export type MessageKind =
  | "signUp"
  | "adminCreateUser"
  | "resendCode"
  | "forgotPassword"
  | "updateUserAttribute"
  | "verifyUserAttribute"
  | "authentication"
  | "welcome"
  | "accountTakeOver";

export const customMessageKinds = {
  CustomMessage_SignUp: "signUp",
  CustomMessage_AdminCreateUser: "adminCreateUser",
  CustomMessage_ResendCode: "resendCode",
  CustomMessage_ForgotPassword: "forgotPassword",
  CustomMessage_UpdateUserAttribute: "updateUserAttribute",
  CustomMessage_VerifyUserAttribute: "verifyUserAttribute",
  CustomMessage_Authentication: "authentication",
} as const satisfies Record<string, MessageKind>;

export const messageKinds: readonly MessageKind[] = [
  ...Object.values(customMessageKinds),
  "welcome",
  "accountTakeOver",
];

/** Kinds that carry no Cognito code placeholder. */
export const codelessKinds: readonly MessageKind[] = ["welcome", "accountTakeOver"];

/**
 * The risky sign-in an account take-over notice is about, as the custom email sender's event
 * carries it (each part may be missing). User-controlled or third-party: always escaped.
 */
export interface RiskySignIn {
  time?: string;
  device?: string;
  location?: string;
  ip?: string;
}

export interface MessageInput {
  kind: MessageKind;
  locale: string;
  /** User-provided: always escaped by the renderer. */
  name?: string;
  /** User-provided: always escaped by the renderer. */
  email?: string;
  /** Cognito's code placeholder (`{####}`), replaced by Cognito after we answer. Absent for welcome. */
  codeParameter?: string;
  /** Cognito's username placeholder (`{username}`), for AdminCreateUser. */
  usernameParameter?: string;
  /** The sign-in an account take-over notice reports. */
  signIn?: RiskySignIn;
  branding: LifecycleConfig["branding"];
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  sms: string;
}

/** One renderer for every kind; the emails package provides the branded one. */
export type MessageRenderer = (input: MessageInput) => RenderedMessage;

/** Cognito's limits: exceeding them makes Cognito fail the call or silently use its default. */
export const messageLimits = { emailChars: 20_000, smsChars: 140, subjectChars: 140 } as const;
