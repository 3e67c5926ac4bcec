import { fileURLToPath } from "node:url";
import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { AdminServer } from "@cognito-lifecycle/admin";
import { ensureConsoleBuilt, type RunningStack } from "@cognito-lifecycle/local";
import { startAdminStack } from "../../admin/stack-support.ts";
import { totpCode } from "./totp.ts";

export const consoleDir = fileURLToPath(new URL("../../../packages/console/", import.meta.url));

/** Builds the console with its own Vite config into packages/console/dist, as `npm run build:console` does. */
export function buildConsole(): Promise<string> {
  return ensureConsoleBuilt({ force: true });
}

export interface ConsoleStack {
  /** Where the console and the API (`/api`) are served. */
  url: string;
  admin: { email: string; password: string };
  stack: RunningStack;
  server: AdminServer;
  cognito: CognitoIdentityProviderClient;
  /** Signs a user up and confirms them (the post-confirmation trigger writes their record). */
  signUp(email: string, password: string, name?: string): Promise<void>;
  /** Creates a user as an administrator would: they must choose a new password at first sign-in. */
  invite(email: string, temporaryPassword: string): Promise<void>;
  /** Signs a user in through Cognito, as an app would (records their last sign-in); returns the ID token. */
  signIn(email: string, password: string): Promise<string>;
  /** Turns TOTP on for a user through Cognito's API (as the console's setup does); returns the secret. */
  enableTotp(email: string, password: string): Promise<string>;
  /** Signs in a user with TOTP, answering the SOFTWARE_TOKEN_MFA challenge; returns the ID token. */
  signInWithTotp(email: string, password: string, secret: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real local stack (cognito-local, DynamoDB Local, local SES, the triggers) on free ports in a
 * temporary directory, with the admin server serving the built console and its API next to it.
 */
export async function startConsoleStack(
  staticDir: string,
  options: { webhookDispatchEveryMs?: number } = {},
): Promise<ConsoleStack> {
  // The API refuses admins without TOTP, as deployed: the console's MFA flow is part of every admin sign-in.
  const base = await startAdminStack({ staticDir, requireAdminMfa: true, ...options });
  const { info } = base.stack;
  const { cognito } = base;
  return {
    url: base.server.url,
    admin: info.admin,
    stack: base.stack,
    server: base.server,
    cognito,
    async signUp(email, password, name) {
      await base.signUp(email, password, name);
    },
    async invite(email, temporaryPassword) {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: info.userPoolId,
          Username: email,
          TemporaryPassword: temporaryPassword,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
    },
    async signIn(email, password) {
      return (await base.signIn(email, password)).idToken;
    },
    async enableTotp(email, password) {
      const { accessToken } = await base.signIn(email, password);
      const { SecretCode = "" } = await cognito.send(
        new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
      );
      await cognito.send(
        new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(SecretCode) }),
      );
      await cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      return SecretCode;
    },
    async signInWithTotp(email, password, secret) {
      const started = await cognito.send(
        new InitiateAuthCommand({
          ClientId: info.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      if (started.ChallengeName !== "SOFTWARE_TOKEN_MFA")
        throw new Error(`expected a TOTP challenge for ${email}`);
      const answered = await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: info.clientId,
          ChallengeName: "SOFTWARE_TOKEN_MFA",
          Session: started.Session,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) },
        }),
      );
      return answered.AuthenticationResult?.IdToken ?? "";
    },
    stop: () => base.stop(),
  };
}
