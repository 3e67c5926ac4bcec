import {
  accessRequests,
  assertKnownActions,
  enforceIam,
  IamChecker,
  stopEnforcingIam,
} from "@cognito-lifecycle/local";
import { afterEach, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";

const target = {
  region: "us-east-1",
  account: "000000000000",
  tableName: "users",
  userPoolId: "us-east-1_pool",
  emailIdentity: "no-reply@example.com",
  configurationSet: "mail",
};
const table = "arn:aws:dynamodb:us-east-1:000000000000:table/users";

describe("the IAM requests an SDK call makes", () => {
  it("expands a transaction into one per-item action per item", () => {
    const call = {
      clientName: "DynamoDBDocumentClient",
      commandName: "TransactWriteItemsCommand",
      input: {
        TransactItems: [
          { Put: { TableName: "users" } },
          { Update: { TableName: "users" } },
          { Delete: { TableName: "users" } },
          { ConditionCheck: { TableName: "users" } },
        ],
      },
    };
    expect(accessRequests(call, target).map((request) => request.action)).toEqual([
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
    ]);
  });

  it("authorises a Query on an index on the index ARN, and batches on each table", () => {
    expect(
      accessRequests(
        {
          clientName: "DynamoDBClient",
          commandName: "QueryCommand",
          input: { TableName: "users", IndexName: "byEmail" },
        },
        target,
      ),
    ).toEqual([{ action: "dynamodb:Query", resource: `${table}/index/byEmail` }]);
    expect(
      accessRequests(
        {
          clientName: "DynamoDBClient",
          commandName: "BatchGetItemCommand",
          input: { RequestItems: { users: {} } },
        },
        target,
      ),
    ).toEqual([{ action: "dynamodb:BatchGetItem", resource: table }]);
  });

  it("authorises SendEmail on the identity and the configuration set, Cognito admin calls on the pool", () => {
    expect(
      accessRequests(
        {
          clientName: "SESv2Client",
          commandName: "SendEmailCommand",
          input: { FromEmailAddress: '"Acme" <no-reply@example.com>', ConfigurationSetName: "mail" },
        },
        target,
      ).map((request) => request.resource),
    ).toEqual([
      "arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com",
      "arn:aws:ses:us-east-1:000000000000:configuration-set/mail",
    ]);
    expect(
      accessRequests(
        {
          clientName: "CognitoIdentityProviderClient",
          commandName: "AdminGetUserCommand",
          input: { UserPoolId: "us-east-1_pool" },
        },
        target,
      ),
    ).toEqual([
      {
        action: "cognito-idp:AdminGetUser",
        resource: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_pool",
      },
    ]);
  });
});

describe("the offline IAM check", () => {
  afterEach(() => stopEnforcingIam());

  it("rejects a misspelt action in the grants", async () => {
    await expect(
      assertKnownActions({ PostAuthentication: [{ actions: ["dynamodb:UpdateItems"], resources: [table] }] }),
    ).rejects.toThrow(
      "unknown IAM action(s) in packages/core/src/least-privilege.ts: PostAuthentication: dynamodb:UpdateItems",
    );
    await expect(enforceIam(lifecycleConfig, target)).resolves.toBeInstanceOf(IamChecker);
  });

  it("denies as AWS does, and reports the grants a function never used", async () => {
    const checker = new IamChecker(
      { PostAuthentication: [{ actions: ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources: [table] }] },
      target,
      true,
    );
    const call = (commandName: string) => ({
      clientName: "DynamoDBDocumentClient",
      commandName,
      input: { TableName: "users" },
      principal: "PostAuthentication",
    });
    await checker.check(call("UpdateItemCommand"));
    const denied = await checker.check(call("PutItemCommand")).catch((error: unknown) => error);
    expect(denied).toMatchObject({
      name: "AccessDeniedException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:sts::000000000000:assumed-role/PostAuthenticationRole/PostAuthentication is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    await expect(checker.check({ ...call("GetItemCommand"), principal: undefined })).rejects.toThrow(
      "outside any function",
    );
    expect(checker.unusedGrants()).toEqual([
      { principal: "PostAuthentication", action: "dynamodb:GetItem", resource: table },
    ]);
  });
});
