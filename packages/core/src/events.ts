import * as z from "zod/mini";
import { MalformedEventError } from "./errors.ts";
import "./zod-messages.ts";

/**
 * Schemas for the parts of Cognito trigger events that we use. Cognito adds fields over time,
 * so every object is loose: what we validate must be right, the rest passes through untouched.
 * Attribute values are always strings ("email_verified": "true"); absent maps may be null.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
const stringMap = z.record(z.string(), z.string());
const optionalStringMap = z.nullish(stringMap);

const callerContext = z.nullish(
  z.looseObject({
    awsSdkVersion: z.nullish(z.string()),
    /** `CLIENT_ID_NOT_APPLICABLE` for admin operations; null after AdminConfirmSignUp. */
    clientId: z.nullish(z.string()),
  }),
);

/** Triggers about a user need their `sub`. */
const userAttributesWithSub = stringMap.check(
  z.refine((attributes) => typeof attributes.sub === "string" && attributes.sub !== "", {
    message: "userAttributes.sub is required",
  }),
);

const common = {
  version: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  triggerSource: z.string().check(z.minLength(1)),
  region: z.string(),
  userPoolId: z.string().check(z.minLength(1)),
  callerContext,
};

const withUser = { ...common, userName: z.string().check(z.minLength(1)) };

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
    userAttributes: userAttributesWithSub,
    clientMetadata: optionalStringMap,
  }),
});

/** Post authentication. */
export const postAuthenticationEvent = postConfirmationEvent;

const groupConfiguration = z.nullish(
  z.looseObject({
    groupsToOverride: z.nullish(z.array(z.string())),
    iamRolesToOverride: z.nullish(z.array(z.string())),
    preferredRole: z.nullish(z.string()),
  }),
);

/**
 * Pre token generation, every version. V1 events carry no `scopes`; V3 adds
 * `TokenGeneration_ClientCredentials`, which has no user.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const preTokenGenerationEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: userAttributesWithSub,
    groupConfiguration,
    clientMetadata: optionalStringMap,
    scopes: z.nullish(z.array(z.string())),
  }),
});

/** Client credentials (V3, machine to machine): no user attributes. */
export const clientCredentialsEvent = z.looseObject({
  ...common,
  request: z.nullish(
    z.looseObject({ scopes: z.nullish(z.array(z.string())), clientMetadata: optionalStringMap }),
  ),
});

/**
 * Custom message, all seven sources.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export const customMessageEvent = z.looseObject({
  ...withUser,
  request: z.looseObject({
    userAttributes: stringMap,
    codeParameter: z.string().check(z.minLength(1)),
    linkParameter: z.nullish(z.string()),
    usernameParameter: z.nullish(z.string()),
    clientMetadata: optionalStringMap,
  }),
});

export type PreSignUpEvent = z.output<typeof preSignUpEvent>;
export type PostConfirmationEvent = z.output<typeof postConfirmationEvent>;
export type PreTokenGenerationEvent = z.output<typeof preTokenGenerationEvent>;
export type CustomMessageEvent = z.output<typeof customMessageEvent>;

/** Validates `event`; a malformed one throws a `MalformedEventError` naming each bad field. */
export function parseEvent<T extends z.ZodMiniType>(schema: T, event: unknown): z.output<T> {
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
