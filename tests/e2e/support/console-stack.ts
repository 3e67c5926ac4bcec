import { randomBytes } from "node:crypto";
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
import { type AdminServer, AdminService } from "@cognito-lifecycle/admin";
import {
  enforceIam,
  ensureConsoleBuilt,
  freePort,
  localIamTarget,
  type RunningStack,
  stopEnforcingIam,
  writeUnusedGrants,
} from "@cognito-lifecycle/local";
import { inject } from "vitest";
import config from "../../../lifecycle.config.ts";
import { type AdminApiOn, serveAdminOn, startAdminStack } from "../../admin/stack-support.ts";
import { totpCode } from "./totp.ts";

export const consoleDir = fileURLToPath(new URL("../../../packages/console/", import.meta.url));

/**
 * Builds the console with its own Vite config into packages/console/dist, as `npm run build:console`
 * does (for scripts such as ./screenshots.ts). Under vitest it answers the run's build instead: the
 * e2e global setup (./shared-stack.ts) built it once, and a rebuild would empty dist/ under the
 * other files' servers.
 */
export function buildConsole(): Promise<string> {
  if (process.env.VITEST) return Promise.resolve(builtConsole());
  return ensureConsoleBuilt({ force: true });
}

/** The console the e2e global setup built for this run. */
export function builtConsole(): string {
  return inject("consoleDist");
}

export interface ConsoleStack {
  /** Where the console and the API (`/api`) are served. */
  url: string;
  /** This file's admin (on the shared stack) or the stack's bootstrap admin: no TOTP yet. */
  admin: { email: string; password: string };
  stack: Pick<RunningStack, "info">;
  server: AdminServer;
  cognito: CognitoIdentityProviderClient;
  /** Signs a user up and confirms them (the post-confirmation trigger writes their record); returns the sub. */
  signUp(email: string, password: string, name?: string): Promise<string>;
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
 * A local stack of its own (cognito-local, DynamoDB Local, local SES, the triggers) on free ports in
 * a temporary directory, with the admin server serving the built console and its API next to it.
 * Only for a file whose tests need a stack to themselves (see useConsoleStack).
 */
export async function startConsoleStack(
  staticDir: string,
  options: { webhookDispatchEveryMs?: number } = {},
): Promise<ConsoleStack> {
  // The API refuses admins without TOTP, as deployed: the console's MFA flow is part of every admin sign-in.
  const base = await startAdminStack({ staticDir, requireAdminMfa: true, ...options });
  return consoleStackOf(base, base.stack.info, base.stack.info.admin, () => base.stop());
}

/**
 * The browser tests' shared local stack (started once per run by ./shared-stack.ts, webhook
 * dispatch every 200 ms), with this file's own admin API server serving the built console, under
 * the offline IAM check in this process too, and this file's own admin, `<tag>.admin@example.com`
 * (an admin by role, no TOTP yet, as a fresh stack's bootstrap admin). Tests share the pool and
 * the table with the other files: each file uses its own users (emails starting with `<tag>.` or
 * otherwise unique) and asserts only on what it can scope to them.
 */
export async function useConsoleStack(tag: string): Promise<ConsoleStack> {
  const info = inject("sharedStack");
  const restoreEnvironment = applyEnvironment(info.handlerEnv);
  const iam = await enforceIam(
    config,
    localIamTarget(config, info.userPoolId, info.handlerEnv.LIFECYCLE_SENDER_KEY_ARN),
  );
  const release = () => {
    stopEnforcingIam();
    writeUnusedGrants(iam);
    restoreEnvironment();
  };
  let base: AdminApiOn;
  try {
    base = await serveAdminOn(info, {
      port: await freePort(),
      staticDir: builtConsole(),
      requireAdminMfa: true,
    });
  } catch (error) {
    release();
    throw error;
  }
  const stop = async () => {
    await base.stop();
    release();
  };
  try {
    const admin = await fileAdmin(base, tag);
    return consoleStackOf(base, info, admin, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The stack's environment in this process while a file uses it, as a stack started here sets it. */
function applyEnvironment(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** Signs `<tag>.admin@example.com` up and gives them the admin role, as the CLI would. */
async function fileAdmin(base: AdminApiOn, tag: string): Promise<{ email: string; password: string }> {
  const email = `${tag}.admin@example.com`;
  const password = `Adm1n!${randomBytes(12).toString("base64url")}`;
  const sub = await base.signUp(email, password, `${tag} admin`);
  const service = new AdminService(base.server.runtime);
  const { version } = await service.require(sub);
  await service.setRoles(
    "cli:e2e-setup",
    sub,
    { add: ["admin"], remove: [] },
    { expectedVersion: version, reason: "this test file's admin" },
  );
  return { email, password };
}

function consoleStackOf(
  base: AdminApiOn,
  info: RunningStack["info"],
  admin: { email: string; password: string },
  stop: () => Promise<void>,
): ConsoleStack {
  const { cognito } = base;
  return {
    url: base.server.url,
    admin,
    stack: { info },
    server: base.server,
    cognito,
    signUp: (email, password, name) => base.signUp(email, password, name),
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
    stop,
  };
}
