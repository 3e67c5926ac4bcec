import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  codeIn,
  freePort,
  HandlerRegistry,
  type InvocationRecord,
  type LocalKms,
  localCredentials,
  localRegion,
  type RunningService,
  startInvokeServer,
  startLocalKms,
} from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal } from "../../packages/local/src/cognito.ts";
import { emailsTo, sesEndpoint } from "../support/aws.ts";

/**
 * The real custom email sender path end to end: cognito-local 5.3.0 encrypts each code with the
 * AWS Encryption SDK against our local KMS, invokes functions/custom-email-sender.ts through the
 * Lambda Invoke API, which decrypts it and sends the branded email to the local SES inbox.
 */
const services: RunningService[] = [];
const invocations: InvocationRecord[] = [];
const saved = { ...process.env };
let dataDir: string;
let kms: LocalKms;
let cognito: CognitoIdentityProviderClient;
let clientId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "senders-"));
  kms = await startLocalKms({ port: await freePort() });
  services.push(kms);
  // The environment the deployed function gets, pointed at the local services.
  Object.assign(process.env, {
    LIFECYCLE_SENDER_KEY_ARN: kms.keyArn,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_SESV2: sesEndpoint(),
  });
  const invoke = await startInvokeServer({
    port: await freePort(),
    registry: new HandlerRegistry(join(import.meta.dirname, "../../functions")),
    onInvocation: (record) => invocations.push(record),
  });
  services.push(invoke);
  const port = await freePort();
  services.push(
    await startCognitoLocal({
      port,
      dataDir,
      invokeEndpoint: invoke.endpoint,
      triggers: { CustomEmailSender: "custom-email-sender" },
      messageSender: { sendEmail: async () => {}, sendSms: async () => {} },
      logFile: join(dataDir, "cognito-local.log"),
      kms: { KMSKeyAlias: kms.keyAlias, KMSKeyId: kms.keyArn, endpoint: kms.endpoint, region: localRegion },
    }),
  );
  cognito = new CognitoIdentityProviderClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: localRegion,
    credentials: localCredentials,
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: "senders",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
    }),
  );
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id as string, ClientName: "app" }),
  );
  clientId = UserPoolClient?.ClientId as string;
});

afterAll(async () => {
  for (const service of services.reverse()) await service.stop();
  for (const key of ["LIFECYCLE_SENDER_KEY_ARN", "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL_SESV2"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("cognito-local -> custom email sender -> local SES", () => {
  it("delivers the sign-up code cognito-local encrypted, and that code confirms the user", async () => {
    const email = `ada+${Date.now()}@example.com`;
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: "Correct-horse-1",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "locale", Value: "de" },
        ],
      }),
    );
    expect(invocations.at(-1)).toMatchObject({ triggerSource: "CustomEmailSender_SignUp", outcome: "ok" });
    const [message] = await emailsTo(email);
    expect(message?.subject).toBeTruthy();
    const code = message ? codeIn(message) : undefined;
    expect(code).toMatch(/^\d{6}$/);
    await expect(
      cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code })),
    ).resolves.toBeDefined();
  });

  it("delivers the password reset code, and that code resets the password", async () => {
    const email = `grace+${Date.now()}@example.com`;
    await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: "Correct-horse-1" }),
    );
    const signUpCode = codeIn((await emailsTo(email))[0] as never);
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: signUpCode }),
    );
    await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    expect(invocations.at(-1)).toMatchObject({
      triggerSource: "CustomEmailSender_ForgotPassword",
      outcome: "ok",
    });
    const emails = await emailsTo(email);
    expect(emails).toHaveLength(2);
    const resetCode = codeIn(emails[1] as never);
    await expect(
      cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: resetCode,
          Password: "Correct-horse-2",
        }),
      ),
    ).resolves.toBeDefined();
  });
});
