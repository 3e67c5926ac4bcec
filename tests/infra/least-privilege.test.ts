import { defineConfig, triggerNames } from "@cognito-lifecycle/core";
import {
  adminApiPermissions,
  reconcilePermissions,
  triggerPermissions,
} from "@cognito-lifecycle/core/least-privilege";
import { describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { type Grant, grantsOf, leastPrivilegeProblems, trustedPrincipals } from "./support/iam.ts";

const resources = {
  table: "table",
  tableIndexes: "table/index/*",
  emailIdentity: "identity",
  emailConfigurationSet: "config-set",
  userPool: "userpool/this",
};

const policy = (statements: object[]) => [
  { name: "inline", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
];

describe("the least-privilege comparison the infrastructure test relies on", () => {
  const expected: Grant[] = [{ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["table"] }];

  it("accepts exactly the expected grants, in any order", () => {
    const actual = grantsOf(
      policy([{ Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:GetItem"], Resource: "table" }]),
    );
    expect(leastPrivilegeProblems(actual, expected)).toEqual([]);
  });

  it("rejects a widened action set", () => {
    const actual = grantsOf(
      policy([
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"],
          Resource: ["table"],
        },
      ]),
    );
    expect(leastPrivilegeProblems(actual, expected)).toEqual([
      "not expected: dynamodb:GetItem,dynamodb:PutItem,dynamodb:Scan ON table",
      "missing: dynamodb:GetItem,dynamodb:PutItem ON table",
    ]);
  });

  it("rejects service wildcards and every-resource grants, as an SST link would add", () => {
    const actual = grantsOf(
      policy([
        ...JSON.parse(
          policy([
            { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: ["table"] },
          ])[0]!.policy,
        ).Statement,
        { Effect: "Allow", Action: ["dynamodb:*"], Resource: ["table"] },
        { Effect: "Allow", Action: ["ses:SendRawEmail"], Resource: ["*"] },
      ]),
    );
    const problems = leastPrivilegeProblems(actual, expected);
    expect(problems).toContain("wildcard action dynamodb:*");
    expect(problems).toContain("action(s) ses:SendRawEmail on every resource");
  });

  it("rejects a missing grant and statements that are not plain Allow", () => {
    expect(leastPrivilegeProblems([], expected)).toEqual([
      "missing: dynamodb:GetItem,dynamodb:PutItem ON table",
    ]);
    const notAction = grantsOf(policy([{ Effect: "Allow", NotAction: ["iam:*"], Resource: ["*"] }]));
    expect(leastPrivilegeProblems(notAction, [])).toHaveLength(2);
  });

  it("reads who a trust policy lets assume the role", () => {
    const trust = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "lambda.amazonaws.com", AWS: ["arn:aws:iam::1:root"] },
        },
      ],
    };
    expect(trustedPrincipals(JSON.stringify(trust))).toEqual([
      "Service:lambda.amazonaws.com",
      "AWS:arn:aws:iam::1:root",
    ]);
  });
});

describe("trigger permissions follow the config", () => {
  it("grant nothing to pre sign-up and custom message, and no wildcard to anyone", () => {
    const permissions = triggerPermissions(lifecycleConfig, resources);
    expect(permissions.preSignUp).toEqual([]);
    expect(permissions.customMessage).toEqual([]);
    for (const trigger of triggerNames) {
      for (const statement of permissions[trigger]) {
        for (const action of statement.actions) expect(action).not.toContain("*");
      }
    }
  });

  it("add Cognito actions only for the features that call them", () => {
    const linking = defineConfig({
      linking: { enabled: true, trustedProviders: ["Okta"] },
      groups: { members: { roles: ["member"] } },
      defaultGroup: "members",
    });
    const permissions = triggerPermissions(linking, resources);
    expect(permissions.preSignUp).toEqual([
      {
        actions: ["cognito-idp:ListUsers", "cognito-idp:AdminLinkProviderForUser"],
        resources: ["userpool/this"],
      },
      // Linking reads the native user's record: how their email was verified.
      { actions: ["dynamodb:GetItem"], resources: ["table"] },
    ]);
    expect(permissions.postConfirmation).toContainEqual({
      actions: ["cognito-idp:AdminAddUserToGroup"],
      resources: ["userpool/this"],
    });
    expect(
      triggerPermissions(lifecycleConfig, resources).postConfirmation.flatMap((s) => s.actions),
    ).not.toContain("cognito-idp:AdminAddUserToGroup");
  });

  it("drop SES without welcome emails and PutItem without just-in-time records", () => {
    const quiet = defineConfig({ welcomeEmail: { enabled: false }, tokens: { createMissingRecords: false } });
    const permissions = triggerPermissions(quiet, resources);
    expect(permissions.postConfirmation.flatMap((s) => s.actions)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(permissions.preTokenGeneration).toEqual([{ actions: ["dynamodb:GetItem"], resources: ["table"] }]);
    expect(reconcilePermissions(quiet, resources).flatMap((s) => s.actions)).not.toContain("ses:SendEmail");
  });

  it("let the admin API act only on this pool, never on every pool", () => {
    const cognito = adminApiPermissions(resources).filter((s) =>
      s.actions.some((a) => a.startsWith("cognito-idp:")),
    );
    expect(cognito.flatMap((s) => s.resources)).toEqual(["userpool/this"]);
  });
});
