import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type AdminServer, serveAdmin, settingsFromStack } from "@cognito-lifecycle/admin";
import {
  ensureConsoleBuilt,
  freePort,
  localCredentials,
  type RunningStack,
  startStack,
} from "@cognito-lifecycle/local";
import lifecycleConfig from "../../../lifecycle.config.ts";

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
  stop(): Promise<void>;
}

/**
 * The real local stack (cognito-local, DynamoDB Local, local SES, the triggers) on free ports in a
 * temporary directory, with the admin server serving the built console and its API next to it.
 */
export async function startConsoleStack(staticDir: string): Promise<ConsoleStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const ports = {
    dynamodb: await freePort(),
    ses: await freePort(),
    cognito: await freePort(),
    invoke: await freePort(),
    admin: await freePort(),
  };
  const stack = await startStack({ dataDir, ports, fresh: true });
  let server: AdminServer;
  try {
    server = await serveAdmin({
      port: ports.admin,
      settings: settingsFromStack(lifecycleConfig, stack.info),
      staticDir,
    });
  } catch (error) {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { info } = stack;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: info.endpoints.cognito,
    region: info.region,
    credentials: localCredentials,
  });
  return {
    url: server.url,
    admin: info.admin,
    stack,
    server,
    cognito,
    async signUp(email, password, name) {
      await cognito.send(
        new SignUpCommand({
          ClientId: info.clientId,
          Username: email,
          Password: password,
          UserAttributes: [{ Name: "email", Value: email }, ...(name ? [{ Name: "name", Value: name }] : [])],
        }),
      );
      await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: info.userPoolId, Username: email }));
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
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: info.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      if (!AuthenticationResult?.IdToken) throw new Error(`cognito-local returned no ID token for ${email}`);
      return AuthenticationResult.IdToken;
    },
    async stop() {
      cognito.destroy();
      await server.close();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
