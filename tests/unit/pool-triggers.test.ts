import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { handler } from "../../functions/attach-triggers.ts";
import { triggerUpdateFor } from "../../packages/aws/src/pool-triggers.ts";

const ours = {
  PreSignUp: "arn:aws:lambda:us-east-1:1:function:ours-pre-sign-up",
  PreTokenGenerationConfig: {
    LambdaArn: "arn:aws:lambda:us-east-1:1:function:ours-pre-token",
    LambdaVersion: "V2_0" as const,
  },
};

/** A pool as DescribeUserPool returns it: settings, read-only facts and another team's trigger. */
const described: UserPoolType = {
  Id: "us-east-1_AppPool",
  Name: "app-users",
  Arn: "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_AppPool",
  Status: "Enabled",
  CreationDate: new Date("2026-01-01T00:00:00Z"),
  EstimatedNumberOfUsers: 42,
  UsernameAttributes: ["email"],
  SchemaAttributes: [{ Name: "email", AttributeDataType: "String" }],
  Domain: "app-sign-in",
  Policies: { PasswordPolicy: { MinimumLength: 14 } },
  DeletionProtection: "ACTIVE",
  MfaConfiguration: "OPTIONAL",
  AutoVerifiedAttributes: ["email"],
  EmailVerificationMessage: "Your code is {####}",
  EmailVerificationSubject: "Your code",
  VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" },
  EmailConfiguration: { EmailSendingAccount: "DEVELOPER", SourceArn: "arn:aws:ses:us-east-1:1:identity/x" },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  UserPoolTier: "ESSENTIALS",
  UserPoolTags: { team: "app" },
  LambdaConfig: {
    PreSignUp: "arn:aws:lambda:us-east-1:1:function:ours-pre-sign-up",
    PreTokenGenerationConfig: {
      LambdaArn: "arn:aws:lambda:us-east-1:1:function:ours-pre-token",
      LambdaVersion: "V2_0",
    },
    PostAuthentication: "arn:aws:lambda:us-east-1:1:function:theirs-post-auth",
  },
};

describe("writing our triggers into an existing pool (attach mode)", () => {
  it("keeps every setting UpdateUserPool would otherwise reset, and sends no read-only field", () => {
    const update = triggerUpdateFor(described, ours, "create");
    expect(update).toEqual({
      UserPoolId: "us-east-1_AppPool",
      PoolName: "app-users",
      Policies: { PasswordPolicy: { MinimumLength: 14 } },
      DeletionProtection: "ACTIVE",
      MfaConfiguration: "OPTIONAL",
      AutoVerifiedAttributes: ["email"],
      VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" },
      EmailConfiguration: {
        EmailSendingAccount: "DEVELOPER",
        SourceArn: "arn:aws:ses:us-east-1:1:identity/x",
      },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: "ESSENTIALS",
      UserPoolTags: { team: "app" },
      LambdaConfig: ours,
    });
  });

  it("keeps the legacy verification message when the pool has no template", () => {
    const { VerificationMessageTemplate: _template, ...legacy } = described;
    const update = triggerUpdateFor(legacy, ours, "update");
    expect(update).toMatchObject({
      EmailVerificationMessage: "Your code is {####}",
      EmailVerificationSubject: "Your code",
    });
  });

  it.each(["create", "update"] as const)("replaces the whole LambdaConfig on %s", (action) => {
    expect(triggerUpdateFor(described, ours, action).LambdaConfig).toEqual(ours);
  });

  it("removes only our triggers on delete, keeping the pool's other triggers", () => {
    expect(triggerUpdateFor(described, ours, "delete").LambdaConfig).toEqual({
      PostAuthentication: "arn:aws:lambda:us-east-1:1:function:theirs-post-auth",
    });
  });

  it("refuses a described pool without an id", () => {
    const { Id: _id, ...anonymous } = described;
    expect(() => triggerUpdateFor(anonymous, ours, "create")).toThrow(/without an Id/);
  });
});

describe("the AttachTriggers function Pulumi invokes on deploy and removal", () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  afterEach(() => cognito.reset());

  it.each([
    ["create", ours],
    ["delete", { PostAuthentication: "arn:aws:lambda:us-east-1:1:function:theirs-post-auth" }],
  ] as const)(
    "reads the pool, then writes it back with the LambdaConfig for %s",
    async (action, expected) => {
      cognito
        .on(DescribeUserPoolCommand, { UserPoolId: "us-east-1_AppPool" })
        .resolves({ UserPool: described });
      cognito.on(UpdateUserPoolCommand).resolves({});
      await handler({ userPoolId: "us-east-1_AppPool", lambdaConfig: ours, tf: { action } });
      const updates = cognito.commandCalls(UpdateUserPoolCommand).map((call) => call.args[0].input);
      expect(updates).toEqual([
        expect.objectContaining({ UserPoolId: "us-east-1_AppPool", LambdaConfig: expected }),
      ]);
    },
  );
});
