import type { ConsoleConfig } from "./config.ts";
import { t } from "./i18n/locale.ts";

/** Tokens of a signed-in admin. `expiresAt` is the ID token's expiry in epoch milliseconds. */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

/**
 * A password sign-in ends with tokens, asks for a new password (admin-created users), or asks for
 * the code of the authenticator app the user set up (SOFTWARE_TOKEN_MFA).
 */
export type SignInResult =
  | { kind: "signed-in"; tokens: Tokens }
  | { kind: "new-password"; username: string; session: string }
  | { kind: "totp"; username: string; session: string };

/** Names the authenticator entry in the user's MFA settings (VerifySoftwareToken's FriendlyDeviceName). */
const totpDeviceName = "User admin console";

/** A refusal from Cognito, with a sentence fit for the sign-in screen. */
export class CognitoError extends Error {
  override readonly name = "CognitoError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The refresh token is no longer accepted: the admin must sign in again. */
  get sessionEnded(): boolean {
    return this.code === "NotAuthorizedException";
  }
}

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
}

interface AuthResponse {
  AuthenticationResult?: AuthenticationResult;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

/**
 * The few Cognito user-pool calls the console needs, made with fetch: the browser bundle carries
 * no SDK. Works against AWS and against cognito-local (same JSON protocol).
 */
export class CognitoClient {
  constructor(private readonly config: Pick<ConsoleConfig, "clientId" | "cognitoEndpoint">) {}

  async signIn(email: string, password: string): Promise<SignInResult> {
    const response = await this.call<AuthResponse>("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    if (response.ChallengeName === "NEW_PASSWORD_REQUIRED" && response.Session) {
      return {
        kind: "new-password",
        username: response.ChallengeParameters?.USER_ID_FOR_SRP ?? email,
        session: response.Session,
      };
    }
    if (response.ChallengeName === "SOFTWARE_TOKEN_MFA" && response.Session) {
      return {
        kind: "totp",
        username: response.ChallengeParameters?.USER_ID_FOR_SRP ?? email,
        session: response.Session,
      };
    }
    if (response.ChallengeName) {
      throw new CognitoError(
        "UnsupportedChallenge",
        t("cognito.unsupportedChallenge", { challenge: response.ChallengeName }),
      );
    }
    return { kind: "signed-in", tokens: tokensFrom(response.AuthenticationResult) };
  }

  /** Answers NEW_PASSWORD_REQUIRED; an account with TOTP then still asks for its code. */
  async completeNewPassword(username: string, session: string, newPassword: string): Promise<SignInResult> {
    const response = await this.call<AuthResponse>("RespondToAuthChallenge", {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: this.config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    });
    if (response.ChallengeName === "SOFTWARE_TOKEN_MFA" && response.Session) {
      return { kind: "totp", username, session: response.Session };
    }
    return { kind: "signed-in", tokens: tokensFrom(response.AuthenticationResult) };
  }

  /** Answers the SOFTWARE_TOKEN_MFA challenge with the 6-digit code from the authenticator app. */
  async answerTotp(username: string, session: string, code: string): Promise<Tokens> {
    const response = await this.call<AuthResponse>("RespondToAuthChallenge", {
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      ClientId: this.config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    }).catch((error: unknown) => {
      // Here a mismatch is a wrong code, not a stale session: the admin may try again.
      if (error instanceof CognitoError && error.code === "CodeMismatchException")
        throw new CognitoError(error.code, t("cognito.wrongCode"));
      throw error;
    });
    return tokensFrom(response.AuthenticationResult);
  }

  /** Whether the signed-in user has an authenticator app (TOTP) enabled for sign-in (GetUser). */
  async hasTotp(accessToken: string): Promise<boolean> {
    const user = await this.call<{ UserMFASettingList?: string[] }>("GetUser", { AccessToken: accessToken });
    return (user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA");
  }

  /** Starts TOTP setup: the base32 secret the admin enters in (or scans into) an authenticator app. */
  async startTotpSetup(accessToken: string): Promise<string> {
    const response = await this.call<{ SecretCode?: string }>("AssociateSoftwareToken", {
      AccessToken: accessToken,
    });
    if (!response.SecretCode) {
      throw new CognitoError("IncompleteResponse", t("cognito.noSecret"));
    }
    return response.SecretCode;
  }

  /**
   * Finishes TOTP setup with a code the app shows, then makes TOTP the user's preferred MFA, so
   * every later sign-in asks for a code (SOFTWARE_TOKEN_MFA challenge).
   */
  async completeTotpSetup(accessToken: string, code: string): Promise<void> {
    await this.call("VerifySoftwareToken", {
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: totpDeviceName,
    });
    await this.call("SetUserMFAPreference", {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  }

  /** New ID and access tokens; Cognito keeps the refresh token unless it rotates it. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const response = await this.call<AuthResponse>("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return tokensFrom({ RefreshToken: refreshToken, ...withoutEmpty(response.AuthenticationResult) });
  }

  /** Revokes the refresh token and the tokens issued from it. */
  async revoke(refreshToken: string): Promise<void> {
    await this.call("RevokeToken", { ClientId: this.config.clientId, Token: refreshToken });
  }

  private async call<T>(action: string, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.config.cognitoEndpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new CognitoError(
        "NetworkError",
        t("cognito.unreachable", { endpoint: this.config.cognitoEndpoint }),
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const type = typeof parsed.__type === "string" ? parsed.__type : `HTTP${response.status}`;
      const message = typeof parsed.message === "string" ? parsed.message : "";
      throw new CognitoError(errorCode(type), describeError(action, errorCode(type), message));
    }
    return parsed as T;
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** AWS may send `com.amazonaws...#NotAuthorizedException`; keep the last part. */
function errorCode(type: string): string {
  return type.split("#").pop() ?? type;
}

function describeError(action: string, code: string, message: string): string {
  const signingIn = action === "InitiateAuth";
  switch (code) {
    case "NotAuthorizedException":
      if (/disabled/i.test(message)) return t("cognito.disabled");
      return signingIn ? t("cognito.incorrect") : t("signIn.sessionEnded");
    case "UserNotFoundException":
      return t("cognito.incorrect");
    case "InvalidPasswordException":
      // cognito-local answers a wrong password this way; AWS uses it for a password the policy refuses.
      return signingIn ? t("cognito.incorrect") : message || t("cognito.passwordPolicy");
    case "UserNotConfirmedException":
      return t("cognito.notConfirmed");
    case "PasswordResetRequiredException":
      return t("cognito.resetRequired");
    case "UserLambdaValidationException":
      // "PreTokenGeneration failed with error <reason>." - the reason is the user-facing part.
      return message.replace(/^\w+ failed with error /, "").trim() || t("cognito.refused");
    case "TooManyRequestsException":
    case "LimitExceededException":
    case "TooManyFailedAttemptsException":
      return t("cognito.tooMany");
    case "CodeMismatchException":
    case "EnableSoftwareTokenMFAException":
      return action === "VerifySoftwareToken" ? t("cognito.wrongCode") : t("cognito.expired");
    case "ExpiredCodeException":
      return t("cognito.expired");
    default:
      return message || t("cognito.failed", { code });
  }
}

function withoutEmpty(result: AuthenticationResult | undefined): AuthenticationResult {
  return Object.fromEntries(Object.entries(result ?? {}).filter(([, value]) => Boolean(value)));
}

function tokensFrom(result: AuthenticationResult | undefined): Tokens {
  if (!result?.IdToken || !result.AccessToken || !result.RefreshToken) {
    throw new CognitoError("IncompleteResponse", t("cognito.noTokens"));
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresAt: tokenExpiry(result.IdToken),
  };
}

/** The claims of a JWT, without verifying it: the API verifies; the console only reads expiry and email. */
export function readClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (char) =>
      char.charCodeAt(0),
    );
    return parseJson(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function tokenExpiry(token: string): number {
  const exp = readClaims(token).exp;
  // Without a readable expiry, refresh after Cognito's shortest token lifetime (5 minutes).
  return typeof exp === "number" ? exp * 1000 : Date.now() + 5 * 60_000;
}
