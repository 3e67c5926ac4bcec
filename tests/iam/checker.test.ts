import { functionPermissions } from "@cognito-lifecycle/core/least-privilege";
import {
  accessRequests,
  arnsFor,
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

describe("grants narrowed to the imported credentials (dynamodb:LeadingKeys)", () => {
  const migrating = { ...lifecycleConfig, migration: { ...lifecycleConfig.migration, enabled: true } };
  const checkerFor = () => new IamChecker(functionPermissions(migrating, arnsFor(target)), target, true);
  const call = (principal: string, commandName: string, key: Record<string, unknown>) => ({
    clientName: "DynamoDBDocumentClient",
    commandName,
    input: { TableName: "users", ...(commandName === "PutItemCommand" ? { Item: key } : { Key: key }) },
    principal,
  });
  const legacy = { pk: "LEGACY#jane@example.com", sk: "CREDENTIAL" };
  const user = { pk: "USER#4f1c", sk: "PROFILE" };

  it("sends the partition key of an item call as dynamodb:LeadingKeys, low-level or document", () => {
    expect(accessRequests(call("UserMigration", "GetItemCommand", legacy), target)).toEqual([
      {
        action: "dynamodb:GetItem",
        resource: table,
        context: { "dynamodb:LeadingKeys": ["LEGACY#jane@example.com"] },
      },
    ]);
    const lowLevel = {
      clientName: "DynamoDBClient",
      commandName: "TransactWriteItemsCommand",
      input: { TransactItems: [{ Delete: { TableName: "users", Key: { pk: { S: "USER#4f1c" } } } }] },
    };
    expect(accessRequests(lowLevel, target)[0]?.context).toEqual({ "dynamodb:LeadingKeys": ["USER#4f1c"] });
  });

  it.each([
    ["UserMigration", "GetItemCommand"],
    ["UserMigration", "UpdateItemCommand"],
    ["UserMigration", "PutItemCommand"],
    ["PreTokenGeneration", "DeleteItemCommand"],
    ["PostConfirmation", "DeleteItemCommand"],
  ])("lets %s %s a LEGACY# item and denies it on a USER# item", async (principal, commandName) => {
    const checker = checkerFor();
    await expect(checker.check(call(principal, commandName, legacy))).resolves.toBeUndefined();
    await expect(checker.check(call(principal, commandName, user))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });

  it("keeps the adopting triggers' other table calls on every key", async () => {
    const checker = checkerFor();
    await expect(checker.check(call("PreTokenGeneration", "GetItemCommand", user))).resolves.toBeUndefined();
    await expect(checker.check(call("PostConfirmation", "PutItemCommand", user))).resolves.toBeUndefined();
  });
});
