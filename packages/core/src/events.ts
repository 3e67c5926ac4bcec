import * as z from "zod/mini";
import { MalformedEventError } from "./errors.ts";
import { pureSchema } from "./pure-schema.ts";
import "./zod-messages.ts";

/**
 * Schemas for the parts of Cognito trigger events that each handler reads, and nothing else.
 * Cognito adds and changes fields over time and its own documentation disagrees on some types,
 * so every object is loose, members we do not read are not validated, and the values we read
 * are taken the way AWS's examples show them: attribute values as strings or booleans
 * (`"email_verified": true` in the custom message examples), `version` as a string or a number,
 * absent maps as null. What a handler truly needs (the user's `sub`, a `userName` to store)
 * must be there; without it the event is refused with a `MalformedEventError`.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */

/** An attribute value as the string Cognito sends in most events (`true` reads as `"true"`). */
function attributeString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))
    return String(value);
  if (value === null || value === undefined) return undefined;
  return JSON.stringify(value);
}

/** Attribute-like values (user attributes, client metadata) read as strings; absent ones dropped. */
function attributeStrings(map: Record<string, unknown> | null | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(map ?? {})) {
    const text = attributeString(value);
    if (text !== undefined) strings[name] = text;
  }
  return strings;
}

/** A map of attribute-like values, read as strings; null or absent is empty. */
const attributeMap = /* @__PURE__ */ pureSchema(() =>
  z.pipe(
    z.nullish(z.record(z.string(), z.unknown())),
    z.transform((map) => attributeStrings(map)),
  ),
);

const nonEmpty = /* @__PURE__ */ pureSchema(() => z.string().check(z.minLength(1)));

/** Triggers about a known user need their `sub`, as a string: it keys their record. */
const userAttributesWithSub = /* @__PURE__ */ pureSchema(() =>
  z.pipe(
    z.looseObject({ sub: z.string().check(z.trim(), z.minLength(1, "a non-empty sub is required")) }),
    z.transform((attributes) => attributeStrings(attributes)),
  ),
);

const callerContext = /* @__PURE__ */ pureSchema(() =>
  z.nullish(
    z.looseObject({
      /** `CLIENT_ID_NOT_APPLICABLE` for admin operations; null after AdminConfirmSignUp. */
      clientId: z.nullish(z.string()),
    }),
  ),
);

const version = /* @__PURE__ */ pureSchema(() =>
  z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
);

/**
 * Pre sign-up. `userName` and `userPoolId` are used to link a federated identity.
 * @example { "triggerSource": "PreSignUp_SignUp", "userName": "3b6c...", "request": { "userAttributes": { "email": "jane@example.com" }, "validationData": null }, "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false } }
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export const preSignUpEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    userPoolId: nonEmpty,
    userName: nonEmpty,
    request: z.looseObject({
      userAttributes: z.pipe(
        z.record(z.string(), z.unknown()),
        z.transform((attributes) => attributeStrings(attributes)),
      ),
      validationData: attributeMap,
      clientMetadata: attributeMap,
    }),
  }),
);

/**
 * Post confirmation: `PostConfirmation_ConfirmSignUp` or `_ConfirmForgotPassword`. `userName` is
 * stored and, with `userPoolId`, adds the default group.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
export const postConfirmationEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    userPoolId: nonEmpty,
    userName: nonEmpty,
    /** Read to tell an admin confirmation (how the email was verified). */
    callerContext,
    request: z.looseObject({
      userAttributes: userAttributesWithSub,
      clientMetadata: attributeMap,
    }),
  }),
);

/**
 * Post authentication: the `sub`; for `user.signed_in` also the app client and `newDeviceUsed`
 * (a boolean, sent only when the pool remembers devices).
 */
export const postAuthenticationEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    callerContext,
    request: z.looseObject({
      userAttributes: userAttributesWithSub,
      // Documented as a boolean; a string form is read too rather than failing a sign-in over it.
      newDeviceUsed: z.nullish(z.union([z.boolean(), z.string()])),
    }),
  }),
);

/** The user's Cognito groups. `preferredRole` and `iamRolesToOverride` are not read: the docs show them as string, array or null. */
const groupConfiguration = /* @__PURE__ */ pureSchema(() =>
  z.nullish(z.looseObject({ groupsToOverride: z.nullish(z.array(z.string())) })),
);

/**
 * Pre token generation, every version (the response's shape follows `version`). `userName` is
 * stored when the record is created just in time. V3 adds `TokenGeneration_ClientCredentials`,
 * which has no user.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const preTokenGenerationEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    version,
    userName: nonEmpty,
    request: z.looseObject({
      userAttributes: userAttributesWithSub,
      groupConfiguration,
      clientMetadata: attributeMap,
    }),
  }),
);

/** Client credentials (V3, machine to machine): only the app client id. */
export const clientCredentialsEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    callerContext,
  }),
);

/**
 * Custom message, all seven sources. `usernameParameter` is read for AdminCreateUser only; other
 * sources send null (or, in the docs' example, the string "None").
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export const customMessageEvent = /* @__PURE__ */ pureSchema(() =>
  z.looseObject({
    triggerSource: nonEmpty,
    request: z.looseObject({
      userAttributes: attributeMap,
      codeParameter: nonEmpty,
      usernameParameter: z.optional(
        z.pipe(
          z.unknown(),
          z.transform((value) => (typeof value === "string" && value !== "" ? value : undefined)),
        ),
      ),
      clientMetadata: attributeMap,
    }),
  }),
);

export type PreSignUpEvent = z.output<typeof preSignUpEvent>;
export type PostConfirmationEvent = z.output<typeof postConfirmationEvent>;
export type PreTokenGenerationEvent = z.output<typeof preTokenGenerationEvent>;
export type CustomMessageEvent = z.output<typeof customMessageEvent>;
export type PostAuthenticationEvent = z.output<typeof postAuthenticationEvent>;

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
  userMigration: ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
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
