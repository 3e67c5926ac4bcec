import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type AdminServer, serveAdmin, settingsFromStack } from "@cognito-lifecycle/admin";
import {
  freeStackPorts,
  localCredentials,
  type RunningStack,
  type StackInfo,
  type StackOptions,
  startStack,
} from "@cognito-lifecycle/local";
import config from "../../lifecycle.config.ts";

const require = createRequire(import.meta.url);

/** The key cognito-local signs with (it ships in the package): lets a test forge expired or misdirected tokens. */
export const cognitoLocalKey = (
  require("cognito-local/lib/keys/cognitoLocal.private.json") as { pem: string }
).pem;

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export interface AdminStack {
  stack: RunningStack;
  server: AdminServer;
  cognito: CognitoIdentityProviderClient;
  /** `<dataDir>/stack.json`, as the CLI reads it. */
  stackFile: string;
  signUp(email: string, password: string, name?: string): Promise<string>;
  signIn(email: string, password: string): Promise<Tokens>;
  refresh(refreshToken: string): Promise<string>;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string },
  ): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** The admin API on a running stack, and clients to drive it, without the stack's own lifecycle. */
export type AdminApiOn = Omit<AdminStack, "stack" | "stackFile">;

/**
 * The real local stack on free ports in a temporary directory, with the admin API served by
 * `serveAdmin` (and the built console, when `staticDir` is given).
 */
export async function startAdminStack(
  options: {
    staticDir?: string;
    requireAdminMfa?: boolean;
    deleteSignal?: boolean;
    webhookDispatchEveryMs?: number;
    /** The scheduled functions, in place of the stack's defaults (a dispatcher on a test clock). */
    schedules?: StackOptions["schedules"];
  } = {},
): Promise<AdminStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "admin-stack-"));
  const ports = await freeStackPorts();
  const stack = await startStack({
    dataDir,
    ports,
    fresh: true,
    deleteSignal: options.deleteSignal ?? false,
    ...(options.webhookDispatchEveryMs ? { webhookDispatchEveryMs: options.webhookDispatchEveryMs } : {}),
    ...(options.schedules ? { schedules: options.schedules } : {}),
  });
  let api: AdminApiOn;
  try {
    api = await serveAdminOn(stack.info, { ...options, port: ports.admin });
  } catch (error) {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...api,
    stack,
    stackFile: join(dataDir, "stack.json"),
    async stop() {
      await api.stop();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves the admin API (and the built console, when `staticDir` is given) on `port` against the
 * stack `info` describes, which may run in this process or another.
 */
export async function serveAdminOn(
  info: StackInfo,
  options: { port: number; staticDir?: string; requireAdminMfa?: boolean },
): Promise<AdminApiOn> {
  const server = await serveAdmin({
    port: options.port,
    settings: {
      ...settingsFromStack(config, info),
      requireAdminMfa: options.requireAdminMfa ?? false,
    },
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
  });
  const cognito = new CognitoIdentityProviderClient({
    endpoint: info.endpoints.cognito,
    region: info.region,
    credentials: localCredentials,
  });
  const tokensOf = (
    result: { IdToken?: string; AccessToken?: string; RefreshToken?: string } | undefined,
  ) => {
    if (!result?.IdToken || !result.AccessToken) throw new Error("cognito-local returned no tokens");
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken ?? "",
    };
  };
  return {
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
      const user = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: info.userPoolId, Username: email }),
      );
      const sub = user.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value;
      if (!sub) throw new Error(`no sub for ${email}`);
      return sub;
    },
    async signIn(email, password) {
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: info.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      return tokensOf(AuthenticationResult);
    },
    async refresh(refreshToken) {
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: info.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
      return tokensOf({ ...AuthenticationResult, RefreshToken: refreshToken }).idToken;
    },
    async api(method, path, options = {}) {
      const response = await fetch(`${server.url}/api${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined || options.rawBody !== undefined
            ? { "content-type": "application/json" }
            : {}),
        },
        ...(options.rawBody !== undefined
          ? { body: options.rawBody }
          : options.body !== undefined
            ? { body: JSON.stringify(options.body) }
            : {}),
      });
      const text = await response.text();
      let body: Record<string, unknown> = {};
      if (response.headers.get("content-type")?.includes("application/json")) body = JSON.parse(text);
      return { status: response.status, body, text, headers: response.headers };
    },
    async stop() {
      cognito.destroy();
      await server.close();
    },
  };
}
