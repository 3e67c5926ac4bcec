import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { runAs } from "@cognito-lifecycle/aws";
import { postConfirmationEvent } from "@cognito-lifecycle/bench";
import { defineConfig } from "@cognito-lifecycle/core";
import { unusedAcrossRun, withoutAction, writeUnusedGrants } from "@cognito-lifecycle/local";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/post-confirmation.ts";
import { invoke, runtime } from "../contract/support.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam, functionForSource } from "../support/iam.ts";

/** The offline IAM check for tests that call handlers directly (tests/support/iam.ts). */
const config = defineConfig({ welcomeEmail: { enabled: false } });
const iam = checkIam(config);

let table: Awaited<ReturnType<typeof freshStore>>;

beforeAll(async () => {
  table = await freshStore();
});

const user = () => {
  const sub = randomUUID();
  return { sub, email: `iam.${sub.slice(0, 8)}@example.com`, name: "Iam Harness" };
};

describe("the test harness's IAM check", () => {
  it("runs a trigger as its function, from the trigger source", () => {
    expect(functionForSource("PostConfirmation_ConfirmForgotPassword")).toBe("PostConfirmation");
    expect(functionForSource("TokenGeneration_RefreshTokens")).toBe("PreTokenGeneration");
    expect(functionForSource("PreSignUp_SomethingNew")).toBe("PreSignUp");
    expect(functionForSource(42)).toBeUndefined();
  });

  it("lets a handler do what its role allows, and records the use", async () => {
    const handler = createHandler(runtime({ config, store: table.store }));
    await invoke(handler, postConfirmationEvent(user()));
    const used = iam.checker.grantUsage(["PostConfirmation"]).filter((grant) => grant.used);
    expect(used.map((grant) => grant.action)).toContain("dynamodb:PutItem");
  });

  it("fails a call the function's role does not allow, as AWS does, and sees denials the code swallows", async () => {
    const grants = iam.checker.grants;
    iam.checker.replaceGrants(withoutAction(grants, "PostConfirmation", "dynamodb:PutItem"));
    try {
      const put = new PutCommand({ TableName: table.tableName, Item: { pk: "denied", sk: "denied" } });
      await expect(runAs("PostConfirmation", () => table.db.send(put))).rejects.toMatchObject({
        name: "AccessDeniedException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
      // Post confirmation never blocks a confirmation on the store: the denial is only in the record.
      const handler = createHandler(runtime({ config, store: table.store }));
      const event = postConfirmationEvent(user());
      await expect(invoke(handler, event)).resolves.toMatchObject({ userName: event.userName });
      const denials = iam.takeDenials();
      expect(denials).toHaveLength(2);
      expect(denials[1]).toMatch(
        /PostConfirmationRole\/PostConfirmation is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/users-/,
      );
    } finally {
      iam.checker.replaceGrants(grants);
    }
  });

  it("leaves the test's own calls outside any function unchecked", async () => {
    const grants = iam.checker.grants;
    iam.checker.replaceGrants({});
    try {
      await table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: "seed", sk: "seed" } }));
      expect(iam.checker.unattributed).toContain("PutItemCommand");
    } finally {
      iam.checker.replaceGrants(grants);
    }
  });
});

describe("the run's unused-grant report", () => {
  it("reports a grant some file had and no file used, whatever config each file ran with", () => {
    const dir = mkdtempSync(join(tmpdir(), "iam-usage-"));
    const { checker } = iam;
    writeUnusedGrants(checker, dir, () => "table");
    const report = unusedAcrossRun(dir);
    expect(report).toContain("PostAuthentication dynamodb:UpdateItem table");
    expect(report).not.toContain("PostConfirmation dynamodb:PutItem table");
  });
});
