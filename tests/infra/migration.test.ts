import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grantsOf, leastPrivilegeProblems } from "./support/iam.ts";
import { repoRoot, requirePlatform, skipInfra, skipReason } from "./support/platform.ts";
import { Stack } from "./support/record.ts";
import { runStacks } from "./support/run-stack.ts";

if (skipInfra) console.warn(`Skipping the infrastructure tests: ${skipReason}`);

const account = "123456789012";
const region = "us-east-1";
const poolArn = `arn:aws:cognito-idp:${region}:${account}:userpool/us-east-1_MockPool`;

/**
 * The migration window (tests/infra/fixtures/migration.config.ts): the user migration trigger is
 * deployed, wired into the pool with Cognito's invoke permission, and granted only its table calls;
 * the triggers that adopt migrated users may delete the imported item. Without migration (the
 * default config, tests/infra/stack.test.ts) none of this exists.
 */
describe.skipIf(skipInfra)("the stack while migrating users", () => {
  let stack: Stack;

  beforeAll(async () => {
    requirePlatform();
    const [record] = await runStacks([
      {
        stage: "dev",
        configFile: join(repoRoot, "tests", "infra", "fixtures", "migration.config.ts"),
        env: { SST_SECRET_MigrationSecret: "legacy-endpoint-key" },
      },
    ]);
    if (!record) throw new Error("runStacks returned no record");
    stack = new Stack(record);
  }, 900_000);

  const table = () =>
    `arn:aws:dynamodb:${region}:${account}:table/${String(stack.one("aws:dynamodb/table:Table", "UsersTable").inputs.name)}`;

  it("runs to completion", () => {
    expect(stack.record.errors, stack.record.stderr).toEqual([]);
  });

  it("wires the user migration trigger to its own function, invocable by Cognito from this pool", () => {
    const pool = stack.one("aws:cognito/userPool:UserPool", "UserPoolUserPool").inputs;
    const arn = (pool.lambdaConfig as Record<string, unknown>).userMigration;
    expect(stack.functionIdOf(arn)).toBe("UserMigration");
    expect(stack.fn("UserMigration").build.handler).toBe("functions/user-migration.handler");
    const invoke = stack
      .all("aws:lambda/permission:Permission")
      .filter((permission) => permission.inputs.function === arn);
    expect(invoke.map((permission) => permission.inputs)).toEqual([
      expect.objectContaining({ principal: "cognito-idp.amazonaws.com", sourceArn: poolArn }),
    ]);
  });

  it("gives the migration function a full vCPU and the legacy endpoint's key from the SST secret", () => {
    const migration = stack.fn("UserMigration").inputs;
    expect(migration.memorySize).toBe(1769);
    expect(migration.environment?.variables?.LIFECYCLE_MIGRATION_SECRET).toBe("legacy-endpoint-key");
    expect(stack.fn("PreTokenGeneration").inputs.memorySize).toBe(1024);
    expect(stack.fn("PreTokenGeneration").inputs.environment?.variables).not.toHaveProperty(
      "LIFECYCLE_MIGRATION_SECRET",
    );
  });

  it("grants the migration function its table calls only, and the adopting triggers the delete, on LEGACY# keys", () => {
    const legacyOnly = { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["LEGACY#*"] } };
    const expected = {
      UserMigration: [
        {
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
          resources: [table()],
          condition: legacyOnly,
        },
      ],
      PreTokenGeneration: [
        { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [table()] },
        { actions: ["dynamodb:DeleteItem"], resources: [table()], condition: legacyOnly },
      ],
      PostConfirmation: [
        { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [table()] },
        { actions: ["dynamodb:DeleteItem"], resources: [table()], condition: legacyOnly },
      ],
    };
    for (const [id, grants] of Object.entries(expected)) {
      const { role, rolePolicies } = stack.fn(id);
      const actual = [
        ...grantsOf(role.inputs.inlinePolicies),
        ...grantsOf(rolePolicies.map((p) => p.inputs)),
      ];
      expect(leastPrivilegeProblems(actual, grants), id).toEqual([]);
    }
  });
});
