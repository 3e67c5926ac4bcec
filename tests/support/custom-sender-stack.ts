import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { defineConfig } from "@cognito-lifecycle/core";
import { freeStackPorts, localCredentials, type RunningStack, startStack } from "@cognito-lifecycle/local";
import { afterAll, beforeAll } from "vitest";
import repoConfig from "../../lifecycle.config.ts";

/** The repository's config with `delivery: "custom-sender"`. */
export const customSenderConfig = defineConfig({ ...repoConfig, delivery: "custom-sender" } as Parameters<
  typeof defineConfig
>[0]);

export interface CustomSenderStack {
  stack: RunningStack;
  cognito: CognitoIdentityProviderClient;
  /** Every line the stack logged (`trigger <source>: ok`, deliveries, ...). */
  lines: string[];
}

/** Confirms a password reset with the delivered `code`, then signs in with the new password. */
export async function resetAndSignIn(
  { stack, cognito }: CustomSenderStack,
  username: string,
  code: string | undefined,
  password: string,
): Promise<InitiateAuthCommandOutput> {
  const ClientId = stack.info.clientId;
  await cognito.send(
    new ConfirmForgotPasswordCommand({
      ClientId,
      Username: username,
      ConfirmationCode: code,
      Password: password,
    }),
  );
  return cognito.send(
    new InitiateAuthCommand({
      ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

/**
 * A local stack with `delivery: "custom-sender"` for the test file, started in its `beforeAll`
 * (then `prepare`, e.g. pool settings) and stopped with its data in `afterAll`. The returned
 * object is filled in once `beforeAll` has run.
 */
export function useCustomSenderStack(
  name: string,
  prepare?: (started: CustomSenderStack) => Promise<void>,
): CustomSenderStack {
  const running = { lines: [] as string[] } as CustomSenderStack;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
    running.stack = await startStack({
      dataDir,
      ports: await freeStackPorts(),
      config: customSenderConfig,
      log: (line) => running.lines.push(line),
    });
    running.cognito = new CognitoIdentityProviderClient({
      endpoint: running.stack.info.endpoints.cognito,
      region: running.stack.info.region,
      credentials: localCredentials,
    });
    await prepare?.(running);
  }, 180_000);
  afterAll(async () => {
    running.cognito?.destroy();
    await running.stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return running;
}
