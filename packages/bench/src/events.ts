/**
 * Trigger events in the shapes Cognito sends (see the trigger reference). Each call returns a
 * fresh object: Cognito sends a new JSON document on every invocation, retries included.
 */
export type CognitoEvent = Record<string, unknown> & { triggerSource: string; response: unknown };

export const poolId = "us-east-1_BENCH0001";
const region = "us-east-1";
const clientId = "benchclient0001";

export interface UserShape {
  sub: string;
  email: string;
  name?: string;
  emailVerified?: boolean;
  locale?: string;
  extra?: Record<string, string>;
}

function attributes(user: UserShape): Record<string, string> {
  return {
    sub: user.sub,
    email: user.email,
    email_verified: String(user.emailVerified ?? true),
    "cognito:user_status": "CONFIRMED",
    ...(user.name ? { name: user.name } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    ...user.extra,
  };
}

function common(triggerSource: string, userName: string) {
  return {
    version: "1",
    triggerSource,
    region,
    userPoolId: poolId,
    userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
  };
}

export function preSignUpEvent(
  user: UserShape,
  triggerSource = "PreSignUp_SignUp",
  userName: string = user.sub,
): CognitoEvent {
  // Before sign-up there is no sub and no status yet; email_verified only if an IdP asserts it.
  const userAttributes = {
    email: user.email,
    ...(user.name ? { name: user.name } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    ...user.extra,
  };
  return {
    ...common(triggerSource, userName),
    request: { userAttributes, validationData: null, clientMetadata: null },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

export function postConfirmationEvent(
  user: UserShape,
  triggerSource = "PostConfirmation_ConfirmSignUp",
): CognitoEvent {
  return {
    ...common(triggerSource, user.sub),
    request: { userAttributes: attributes(user), clientMetadata: null },
    response: {},
  };
}

export function postAuthenticationEvent(user: UserShape): CognitoEvent {
  return {
    ...common("PostAuthentication_Authentication", user.sub),
    request: { userAttributes: attributes(user), newDeviceUsed: false, clientMetadata: null },
    response: {},
  };
}

export function preTokenEvent(
  user: UserShape,
  options: { version?: "1" | "2" | "3"; triggerSource?: string; groups?: string[] } = {},
): CognitoEvent {
  const version = options.version ?? "2";
  return {
    ...common(options.triggerSource ?? "TokenGeneration_RefreshTokens", user.sub),
    version,
    request: {
      userAttributes: attributes(user),
      groupConfiguration: {
        groupsToOverride: options.groups ?? [],
        iamRolesToOverride: [],
        preferredRole: null,
      },
      ...(version === "1" ? {} : { scopes: ["openid", "email", "profile"] }),
    },
    response: version === "1" ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  };
}

export function customMessageEvent(
  user: UserShape,
  triggerSource = "CustomMessage_SignUp",
  codeParameter = "{####}",
): CognitoEvent {
  const admin = triggerSource === "CustomMessage_AdminCreateUser";
  return {
    ...common(triggerSource, user.sub),
    request: {
      userAttributes: attributes(user),
      codeParameter,
      linkParameter: "{##Click Here##}",
      usernameParameter: admin ? "{username}" : null,
      clientMetadata: null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}
