import { type CognitoEvent, poolId } from "@cognito-lifecycle/bench";
import { triggerSources } from "@cognito-lifecycle/core";
import fc from "fast-check";

/** Any string Cognito could carry, and some it could not: every code point, lone surrogates included. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** Up to 2,048 characters, Cognito's limit for an attribute value. */
export const longText = fc
  .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 2048 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Markup and script a user might put in their name to break out of an HTML email. */
export const markup = fc.constantFrom(
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "<a href='javascript:alert(1)'>x</a>",
  "&lt;b&gt;",
  "{####}",
  "{username}",
);

/**
 * An email attribute: any text up to 254 characters (the longest address SMTP allows), shaped
 * like an address or not. Longer ones are covered by their own test.
 */
export const emailText = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((email) => email.toUpperCase()),
  anyText,
  markup.map((payload) => `${payload}@example.com`),
  longText.map((text) => `${text.slice(0, 240)}@example.com`),
);

/** Values of the wrong type where Cognito sends strings. */
export const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const attributeNames = [
  "sub",
  "email",
  "email_verified",
  "name",
  "given_name",
  "family_name",
  "locale",
  "phone_number",
  "identities",
  "cognito:user_status",
  "custom:roles",
  "custom:idp_groups",
];

/** An attribute map with known and unknown names, any values (strings mostly, some of a wrong type). */
export const attributeMap = fc
  .tuple(
    fc.dictionary(
      fc.oneof(fc.constantFrom(...attributeNames.filter((name) => name !== "email")), anyText),
      fc.oneof(
        { weight: 6, arbitrary: anyText },
        { weight: 2, arbitrary: longText },
        { weight: 1, arbitrary: wrongType },
      ),
      { maxKeys: 8 },
    ),
    fc.option(fc.oneof({ weight: 6, arbitrary: emailText }, { weight: 1, arbitrary: wrongType }), {
      nil: undefined,
    }),
  )
  .map(([attributes, email]) => ({ ...attributes, ...(email === undefined ? {} : { email }) }));

export const sourceOf = {
  "pre-sign-up": triggerSources.preSignUp,
  "post-confirmation": triggerSources.postConfirmation,
  "pre-token-generation": triggerSources.preTokenGeneration.filter(
    (source) => source !== "TokenGeneration_ClientCredentials",
  ),
  "custom-message": triggerSources.customMessage,
  "post-authentication": triggerSources.postAuthentication,
} as const;

const requestMembers = [
  "userAttributes",
  "validationData",
  "clientMetadata",
  "groupConfiguration",
  "codeParameter",
  "usernameParameter",
  "linkParameter",
  "scopes",
];
const topMembers = ["version", "region", "userPoolId", "userName", "callerContext", "request", "response"];

/** Attribute maps as Cognito sends them (every value a string), with hostile contents. */
export const stringAttributeMap = fc
  .record({
    email: emailText,
    email_verified: fc.constantFrom("true", "false", "TRUE", ""),
    name: fc.oneof(anyText, longText, markup),
    locale: fc.oneof(fc.constantFrom("en", "de", "es", "pt-BR"), anyText),
    extra: fc.dictionary(
      fc.oneof(fc.constantFrom(...attributeNames.filter((name) => name !== "email")), anyText),
      fc.oneof(anyText, longText),
      { maxKeys: 4 },
    ),
  })
  .map(({ extra, ...known }) => ({ ...extra, ...known }));

const memberPaths = [...topMembers, ...requestMembers.map((member) => `request.${member}`)];

/**
 * A trigger event. Well-formed (`malformed: false`): every member present, every attribute a
 * string, however hostile. Malformed: also members left out or set to null or to a value of the
 * wrong type, attributes of the wrong type, any version.
 */
export function eventArbitrary(
  trigger: keyof typeof sourceOf,
  options: { malformed: boolean },
): fc.Arbitrary<CognitoEvent> {
  const none = fc.constant([] as string[]);
  return fc
    .record({
      triggerSource: fc.constantFrom(...sourceOf[trigger]),
      attributes: options.malformed ? attributeMap : stringAttributeMap,
      sub: options.malformed ? fc.oneof(fc.uuid(), anyText) : fc.uuid(),
      userName: options.malformed
        ? fc.oneof(fc.uuid(), anyText, fc.constant("Google_1234567890"))
        : fc.oneof(fc.uuid(), fc.constant("Google_1234567890")),
      version: options.malformed
        ? fc.oneof(fc.constantFrom("1", "2", "3"), fc.integer({ min: 0, max: 3 }), anyText)
        : fc.constantFrom("1", "2", "3"),
      dropped: options.malformed ? fc.subarray(memberPaths, { maxLength: 2 }) : none,
      nulled: options.malformed ? fc.subarray(memberPaths, { maxLength: 2 }) : none,
      wrong: options.malformed
        ? fc.option(
            fc.tuple(fc.constantFrom(...requestMembers.map((member) => `request.${member}`)), wrongType),
            {
              nil: undefined,
            },
          )
        : fc.constant(undefined),
      metadata: fc.option(fc.dictionary(anyText, anyText, { maxKeys: 3 }), { nil: null }),
      groups: fc.option(fc.array(anyText, { maxLength: 3 }), { nil: null }),
    })
    .map((shape) => {
      const event: Record<string, unknown> = {
        version: shape.version,
        triggerSource: shape.triggerSource,
        region: "us-east-1",
        userPoolId: poolId,
        userName: shape.userName,
        callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "securityclient" },
        request: {
          userAttributes: { ...shape.attributes, sub: shape.sub },
          validationData: null,
          clientMetadata: shape.metadata,
          groupConfiguration: { groupsToOverride: shape.groups, iamRolesToOverride: [], preferredRole: null },
          codeParameter: "{####}",
          usernameParameter: shape.triggerSource === "CustomMessage_AdminCreateUser" ? "{username}" : null,
          linkParameter: "{##Click Here##}",
          scopes: ["openid"],
        },
        response: {},
      };
      const request = event.request as Record<string, unknown>;
      const at = (path: string): [Record<string, unknown>, string] =>
        path.startsWith("request.") ? [request, path.slice("request.".length)] : [event, path];
      for (const path of shape.dropped) {
        const [target, key] = at(path);
        delete target[key];
      }
      for (const path of shape.nulled) {
        const [target, key] = at(path);
        target[key] = null;
      }
      if (shape.wrong) {
        const [path, value] = shape.wrong;
        const [target, key] = at(path);
        target[key] = value;
      }
      return event as CognitoEvent;
    });
}
