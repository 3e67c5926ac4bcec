import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grantsOf, leastPrivilegeProblems } from "./support/iam.ts";
import { repoRoot, requirePlatform, skipInfra, skipReason } from "./support/platform.ts";
import { Stack } from "./support/record.ts";
import { runStacks } from "./support/run-stack.ts";

if (skipInfra) console.warn(`Skipping the sender infrastructure tests: ${skipReason}`);

const account = "123456789012";
const region = "us-east-1";
const poolId = `${region}_MockPool`;
const poolArn = `arn:aws:cognito-idp:${region}:${account}:userpool/${poolId}`;
const keyArn = `arn:aws:kms:${region}:${account}:key/SenderKey-id`;
const senderIdentity = `arn:aws:ses:${region}:${account}:identity/no-reply@example.com`;
const poolBound = { StringEquals: { "kms:EncryptionContext:userpool-id": [poolId] } };

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const statementsOf = (policy: unknown): PolicyStatement[] =>
  (JSON.parse(String(policy)) as { Statement: PolicyStatement[] }).Statement;

describe.skipIf(skipInfra)("delivery: the pool's messages in both modes, under Pulumi mocks", () => {
  let senders: Stack;
  let cognito: Stack;

  beforeAll(async () => {
    requirePlatform();
    const [withSenders, withCustomMessage] = await runStacks([
      { stage: "dev", configFile: join(repoRoot, "tests", "infra", "fixtures", "senders.config.ts") },
      { stage: "dev" },
    ]);
    if (!withSenders || !withCustomMessage) throw new Error("runStacks returned fewer records than runs");
    senders = new Stack(withSenders);
    cognito = new Stack(withCustomMessage);
  }, 900_000);

  it("runs to completion without errors in both modes", () => {
    for (const stack of [senders, cognito]) {
      expect(stack.record.errors, stack.record.stderr).toEqual([]);
      expect(stack.record.unknownMethods).toEqual([]);
    }
  });

  it("custom-message: the custom message trigger, no sender, no key", () => {
    const pool = cognito.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    const lambdaConfig = pool.lambdaConfig as Record<string, unknown>;
    expect(cognito.functionIdOf(lambdaConfig.customMessage)).toBe("CustomMessage");
    expect(lambdaConfig).not.toHaveProperty("customEmailSender");
    expect(lambdaConfig).not.toHaveProperty("kmsKeyId");
    expect(cognito.all("aws:kms/key:Key")).toEqual([]);
    expect(cognito.record.builds.map((build) => build.functionID)).not.toContain("CustomEmailSender");
  });

  it("custom-sender: both senders wired with the key, V1_0, and no custom message trigger", () => {
    const pool = senders.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    const lambdaConfig = pool.lambdaConfig as Record<string, { lambdaArn: string; lambdaVersion: string }>;
    expect(lambdaConfig).not.toHaveProperty("customMessage");
    expect(senders.record.builds.map((build) => build.functionID)).not.toContain("CustomMessage");
    expect(lambdaConfig.kmsKeyId).toBe(keyArn);
    for (const [trigger, id, handler] of [
      ["customEmailSender", "CustomEmailSender", "functions/custom-email-sender.handler"],
      ["customSmsSender", "CustomSmsSender", "functions/custom-sms-sender.handler"],
    ] as const) {
      const wired = lambdaConfig[trigger];
      expect(wired?.lambdaVersion, trigger).toBe("V1_0");
      expect(senders.functionIdOf(wired?.lambdaArn), trigger).toBe(id);
      expect(senders.fn(id).build.handler).toBe(handler);
      expect(senders.fn(id).inputs.environment?.variables?.LIFECYCLE_SENDER_KEY_ARN).toBe(keyArn);
      const invoke = senders
        .all("aws:lambda/permission:Permission")
        .filter((permission) => permission.inputs.function === wired?.lambdaArn);
      expect(invoke.map((permission) => permission.inputs)).toEqual([
        expect.objectContaining({
          action: "lambda:InvokeFunction",
          principal: "cognito-idp.amazonaws.com",
          sourceArn: poolArn,
        }),
      ]);
    }
  });

  it("custom-sender: a rotated key", () => {
    expect(senders.one("aws:kms/key:Key", "SenderKey").inputs).toMatchObject({ enableKeyRotation: true });
  });

  it("custom-sender: the senders decrypt only codes bound to this pool, and send only what their code sends", () => {
    const email = senders.fn("CustomEmailSender");
    const sms = senders.fn("CustomSmsSender");
    const configSet = String(
      senders.one("aws:sesv2/configurationSet:ConfigurationSet", "EmailConfig").inputs.configurationSetName,
    );
    const configSetArn = `arn:aws:ses:${region}:${account}:configuration-set/${configSet}`;
    expect(
      leastPrivilegeProblems(grantsOf(email.role.inputs.inlinePolicies), [
        { actions: ["ses:SendEmail"], resources: [senderIdentity, configSetArn] },
      ]),
    ).toEqual([]);
    // SMS to a phone number is authorised on "*" only; nothing else is.
    expect(grantsOf(sms.role.inputs.inlinePolicies)).toEqual([
      { actions: ["sns:Publish"], resources: ["*"] },
    ]);
    for (const fn of [email, sms]) {
      const keyStatements = fn.rolePolicies.flatMap((policy) => statementsOf(policy.inputs.policy));
      expect(keyStatements).toEqual([
        { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyArn], Condition: poolBound },
      ]);
    }
  });

  it("custom-sender: the key policy lets Cognito encrypt for this pool and account, and only the senders decrypt", () => {
    const keyPolicy = senders.one("aws:kms/keyPolicy:KeyPolicy", "SenderKeyPolicy").inputs;
    expect(keyPolicy.keyId).toBe("SenderKey-id");
    const statements = statementsOf(keyPolicy.policy);
    const decrypting = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action === "kms:Decrypt" || action === "kms:*"),
    );
    const roleArn = (id: string) =>
      `arn:aws:iam::${account}:role/${String(senders.fn(id).role.inputs.name || senders.fn(id).role.name)}`;
    expect(decrypting).toEqual([
      {
        Sid: "SendersDecryptThisPoolsCodes",
        Effect: "Allow",
        Principal: { AWS: [roleArn("CustomEmailSender"), roleArn("CustomSmsSender")] },
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: poolBound,
      },
    ]);
    expect(statements).toContainEqual({
      Sid: "CognitoEncryptsCodesForThisPool",
      Effect: "Allow",
      Principal: { Service: "cognito-idp.amazonaws.com" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": poolArn } },
    });
    // The account administers the key but no statement gives it (or anyone else) Encrypt or GenerateDataKey.
    for (const statement of statements) {
      expect(
        [statement.Action]
          .flat()
          .filter((action) => /^kms:(Encrypt|GenerateDataKey|ReEncrypt|\*)/.test(action)),
      ).toEqual([]);
    }
  });
});
