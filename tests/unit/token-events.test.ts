import { describe, expect, it } from "vitest";
import {
  applyPreTokenResponse,
  groupConfigurationFor,
  preTokenEvent,
} from "../../packages/local/src/token-events.ts";

// How the local stack applies a pre token generation answer, per Cognito's documented semantics.
const tokens = () => ({
  idToken: { sub: "s-1", email: "jane@example.com", "cognito:groups": ["admins"], token_use: "id" },
  accessToken: {
    sub: "s-1",
    scope: "aws.cognito.signin.user.admin",
    "cognito:groups": ["admins"],
    token_use: "access",
  },
});

describe("applyPreTokenResponse (V2/V3)", () => {
  it("applies claims of any JSON type to each token separately; suppress beats add", () => {
    const { idToken, accessToken, refused } = applyPreTokenResponse("v2", tokens(), {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: {
          claimsToAddOrOverride: {
            roles: ["member"],
            tier: 3,
            flags: { beta: true },
            email: "x@example.com",
          },
          claimsToSuppress: ["email"],
        },
        accessTokenGeneration: { claimsToAddOrOverride: { roles: ["member"], active: false } },
      },
    });
    expect(idToken).toMatchObject({ roles: ["member"], tier: 3, flags: { beta: true } });
    expect(idToken).not.toHaveProperty("email");
    expect(idToken).not.toHaveProperty("active");
    expect(accessToken).toMatchObject({ roles: ["member"], active: false });
    expect(accessToken).not.toHaveProperty("tier");
    expect(refused).toEqual([]);
  });

  it("never adds, overrides or suppresses a reserved claim, and says which it refused", () => {
    const { idToken, accessToken, refused } = applyPreTokenResponse("v2", tokens(), {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: {
          claimsToAddOrOverride: { sub: "evil", "cognito:username": "x" },
          claimsToSuppress: ["sub"],
        },
        accessTokenGeneration: { claimsToAddOrOverride: { scope: "admin", token_use: "id" } },
      },
    });
    expect(idToken.sub).toBe("s-1");
    expect(idToken).not.toHaveProperty("cognito:username");
    expect(accessToken.scope).toBe("aws.cognito.signin.user.admin");
    expect(accessToken.token_use).toBe("access");
    expect(refused.sort()).toEqual(["cognito:username", "scope", "sub", "sub", "token_use"]);
  });

  it("adds and suppresses scopes on the access token only; suppress wins; no scope with spaces", () => {
    const { idToken, accessToken, refused } = applyPreTokenResponse("v3", tokens(), {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          scopesToAdd: ["orders/read", "orders/write", "bad scope"],
          scopesToSuppress: ["aws.cognito.signin.user.admin", "orders/write"],
        },
      },
    });
    expect(accessToken.scope).toBe("orders/read");
    expect(idToken).not.toHaveProperty("scope");
    expect(refused).toEqual(['scope "bad scope"']);
  });

  it("removes the scope claim when every scope is suppressed", () => {
    const { accessToken } = applyPreTokenResponse("v2", tokens(), {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { scopesToSuppress: ["aws.cognito.signin.user.admin"] },
      },
    });
    expect(accessToken).not.toHaveProperty("scope");
  });

  it("groupOverrideDetails: replaces groups in both tokens; empty or null removes them; absent keeps them", () => {
    const replaced = applyPreTokenResponse("v2", tokens(), {
      claimsAndScopeOverrideDetails: {
        groupOverrideDetails: {
          groupsToOverride: ["support"],
          iamRolesToOverride: ["arn:aws:iam::1:role/a"],
          preferredRole: "arn:aws:iam::1:role/a",
        },
      },
    });
    expect(replaced.idToken["cognito:groups"]).toEqual(["support"]);
    expect(replaced.accessToken["cognito:groups"]).toEqual(["support"]);
    expect(replaced.idToken["cognito:roles"]).toEqual(["arn:aws:iam::1:role/a"]);
    expect(replaced.idToken["cognito:preferred_role"]).toBe("arn:aws:iam::1:role/a");
    expect(replaced.accessToken).not.toHaveProperty("cognito:roles");

    for (const empty of [{}, null]) {
      const removed = applyPreTokenResponse("v2", tokens(), {
        claimsAndScopeOverrideDetails: { groupOverrideDetails: empty },
      });
      expect(removed.idToken).not.toHaveProperty("cognito:groups");
      expect(removed.accessToken).not.toHaveProperty("cognito:groups");
    }
    const kept = applyPreTokenResponse("v2", tokens(), { claimsAndScopeOverrideDetails: {} });
    expect(kept.idToken["cognito:groups"]).toEqual(["admins"]);
    expect(kept.accessToken["cognito:groups"]).toEqual(["admins"]);
  });

  it("a null or empty answer changes nothing", () => {
    for (const response of [null, {}, { claimsAndScopeOverrideDetails: null }]) {
      expect(applyPreTokenResponse("v2", tokens(), response)).toEqual({ ...tokens(), refused: [] });
    }
  });
});

describe("applyPreTokenResponse (V1)", () => {
  it("changes the ID token only, and ignores a V2-shaped answer", () => {
    const v1 = applyPreTokenResponse("v1", tokens(), {
      claimsOverrideDetails: {
        claimsToAddOrOverride: { roles: '["member"]' },
        groupOverrideDetails: { groupsToOverride: [] },
      },
    });
    expect(v1.idToken.roles).toBe('["member"]');
    expect(v1.accessToken).not.toHaveProperty("roles");
    expect(v1.accessToken).not.toHaveProperty("cognito:groups");

    const ignored = applyPreTokenResponse("v1", tokens(), {
      claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { roles: ["member"] } } },
    });
    expect(ignored.idToken).not.toHaveProperty("roles");
  });
});

describe("the event", () => {
  it("is shaped as the pool's version sends it: V2/V3 carry scopes, V1 does not", () => {
    const input = {
      source: "Authentication",
      region: "us-east-1",
      userPoolId: "local_1",
      userName: "u-1",
      clientId: "c-1",
      userAttributes: { sub: "s-1" },
      groupConfiguration: groupConfigurationFor([{ GroupName: "admins" }]),
      scopes: ["aws.cognito.signin.user.admin"],
      clientMetadata: undefined,
    };
    const v2 = preTokenEvent({ ...input, version: "v2" });
    expect(v2).toMatchObject({
      version: "2",
      triggerSource: "TokenGeneration_Authentication",
      request: {
        groupConfiguration: { groupsToOverride: ["admins"], iamRolesToOverride: [], preferredRole: null },
        scopes: ["aws.cognito.signin.user.admin"],
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(preTokenEvent({ ...input, version: "v3" }).version).toBe("3");
    const v1 = preTokenEvent({ ...input, version: "v1" });
    expect(v1).toMatchObject({ version: "1", response: { claimsOverrideDetails: null } });
    expect(v1.request).not.toHaveProperty("scopes");
  });

  it("picks the preferred role from the group with the lowest precedence, none on a tie", () => {
    const role = (name: string) => `arn:aws:iam::1:role/${name}`;
    expect(
      groupConfigurationFor([
        { GroupName: "a", RoleArn: role("a"), Precedence: 2 },
        { GroupName: "b", RoleArn: role("b"), Precedence: 1 },
        { GroupName: "c" },
      ]),
    ).toEqual({
      groupsToOverride: ["a", "b", "c"],
      iamRolesToOverride: [role("a"), role("b")],
      preferredRole: role("b"),
    });
    expect(
      groupConfigurationFor([
        { GroupName: "a", RoleArn: role("a"), Precedence: 1 },
        { GroupName: "b", RoleArn: role("b"), Precedence: 1 },
      ]).preferredRole,
    ).toBeNull();
  });
});
