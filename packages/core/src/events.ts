import { z } from "zod";
import { MalformedEventError } from "./errors.ts";

/**
 * Schemas for the parts of Cognito trigger events that we use. Cognito adds fields over time,
 * so every object is loose: what we validate must be right, the rest passes through untouched.
 * Attribute values are always strings ("email_verified": "true"); absent maps may be null.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
const stringMap = z.record(z.string(), z.string());
const optionalStringMap = stringMap.nullish();

const callerContext = z
  .looseObject({
    awsSdkVersion: z.string().nullish(),
    /** `CLIENT_ID_NOT_APPLICABLE` for admin operations; null after AdminConfirmSignUp. */
    clientId: z.string().nullish(),
  })
  .nullish();

const common = {
  version: z.union([z.string(), z.number()]).transform(String),
  triggerSource: z.string().min(1),
  region: z.string(),
  userPoolId: z.string().min(1),
  callerContext,
};

const withUser = { ...common, userName: z.string().min(1) };

/**
 * Pre sign-up.
 * @example { "triggerSource": "PreSignUp_SignUp", "userName": "3b6c...", "request": { "userAttributes": { "email": "jane@example.com" }, "validationData": null }, "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false } }
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export const preSignUpEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: stringMap,
    validationData: optionalStringMap,
    clientMetadata: optionalStringMap,
  }),
});

/**
 * Post confirmation: `PostConfirmation_ConfirmSignUp` or `_ConfirmForgotPassword`.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
export const postConfirmationEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: stringMap.refine(
      (attributes) => typeof attributes.sub === "string" && attributes.sub !== "",
      {
        message: "userAttributes.sub is required",
      },
    ),
    clientMetadata: optionalStringMap,
  }),
});

/** Post authentication. */
export const postAuthenticationEvent = postConfirmationEvent;

const groupConfiguration = z
  .looseObject({
    groupsToOverride: z.array(z.string()).nullish(),
    iamRolesToOverride: z.array(z.string()).nullish(),
    preferredRole: z.string().nullish(),
  })
  .nullish();

/**
 * Pre token generation, every version. V1 events carry no `scopes`; V3 adds
 * `TokenGeneration_ClientCredentials`, which has no user.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const preTokenGenerationEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: stringMap.refine(
      (attributes) => typeof attributes.sub === "string" && attributes.sub !== "",
      {
        message: "userAttributes.sub is required",
      },
    ),
    groupConfiguration,
    clientMetadata: optionalStringMap,
    scopes: z.array(z.string()).nullish(),
  }),
});

/** Client credentials (V3, machine to machine): no user attributes. */
export const clientCredentialsEvent = z.looseObject({
  ...common,
  request: z
    .looseObject({ scopes: z.array(z.string()).nullish(), clientMetadata: optionalStringMap })
    .nullish(),
});

/**
 * Custom message, all seven sources.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export const customMessageEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: stringMap,
    codeParameter: z.string().min(1),
    linkParameter: z.string().nullish(),
    usernameParameter: z.string().nullish(),
    clientMetadata: optionalStringMap,
  }),
});

export type PreSignUpEvent = z.output<typeof preSignUpEvent>;
export type PostConfirmationEvent = z.output<typeof postConfirmationEvent>;
export type PreTokenGenerationEvent = z.output<typeof preTokenGenerationEvent>;
export type CustomMessageEvent = z.output<typeof customMessageEvent>;

/** Validates `event`; a malformed one throws a `MalformedEventError` naming each bad field. */
export function parseEvent<T extends z.ZodType>(schema: T, event: unknown): z.output<T> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const source =
    typeof event === "object" &&
    event !== null &&
    typeof (event as { triggerSource?: unknown }).triggerSource === "string"
      ? (event as { triggerSource: string }).triggerSource
      : "";
  throw new MalformedEventError(
    source,
    result.error.issues.map((issue) => `${issue.path.join(".") || "event"}: ${issue.message}`),
  );
}

export const triggerSources = {
  preSignUp: ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
  postConfirmation: ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
  postAuthentication: ["PostAuthentication_Authentication"],
  preTokenGeneration: [
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
  ],
  customMessage: [
    "CustomMessage_SignUp",
    "CustomMessage_AdminCreateUser",
    "CustomMessage_ResendCode",
    "CustomMessage_ForgotPassword",
    "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute",
    "CustomMessage_Authentication",
  ],
} as const;

export function isKnownSource<K extends keyof typeof triggerSources>(trigger: K, source: unknown): boolean {
  return (triggerSources[trigger] as readonly unknown[]).includes(source);
}
