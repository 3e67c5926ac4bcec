import {
  claimBytes,
  claimsFor,
  defineConfig,
  effectiveRoles,
  isReservedClaim,
  machineTokenResponse,
  permissionsFor,
  readListClaim,
  rolesFromGroups,
  rolesFromIdpGroups,
  tokenResponse,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

const config = defineConfig({
  roles: {
    admin: { permissions: ["users:write", "users:read"] },
    support: { permissions: ["users:read"] },
    member: { permissions: ["profile:read"] },
  },
  groups: { admins: { roles: ["admin"] }, helpdesk: { roles: ["support"] }, empty: {} },
  federation: { groupRoles: { Engineering: ["support"], "Domain Admins": ["admin"] } },
});

const federated = { identities: '[{"providerName":"Okta","userId":"00u1"}]' };

describe("roles", () => {
  it("maps Cognito groups to roles and ignores unknown groups", () => {
    expect(rolesFromGroups(config, ["admins", "helpdesk", "empty", "strangers"]).sort()).toEqual([
      "admin",
      "support",
    ]);
  });

  it.each([
    ["JSON", '["Engineering","Sales"]'],
    ["bracketed", "[Engineering, Sales]"],
    ["comma separated", "Engineering, Sales"],
  ])("reads IdP groups written as %s", (_case, value) => {
    expect(rolesFromIdpGroups(config, { ...federated, "custom:idp_groups": value })).toEqual(["support"]);
  });

  it("trusts IdP groups only on federated users", () => {
    expect(rolesFromIdpGroups(config, { "custom:idp_groups": "Domain Admins" })).toEqual([]);
    expect(rolesFromIdpGroups(config, { ...federated, "custom:idp_groups": "Domain Admins" })).toEqual([
      "admin",
    ]);
  });

  it("never reads roles from other attributes", () => {
    const attributes = {
      ...federated,
      "custom:roles": "admin",
      roles: "admin",
      "custom:groups": "Domain Admins",
    };
    expect(rolesFromIdpGroups(config, attributes)).toEqual([]);
  });

  it("unites stored, group and IdP roles, sorted, without duplicates or unknown roles", () => {
    expect(effectiveRoles(config, ["member", "ghost"], ["admin", "member"], ["support"])).toEqual([
      "admin",
      "member",
      "support",
    ]);
  });

  it("derives permissions from roles", () => {
    expect(permissionsFor(config, ["admin", "support", "ghost"])).toEqual(["users:read", "users:write"]);
  });
});

describe("claims size bound", () => {
  const many = Array.from({ length: 60 }, (_, index) => `documents:action-${index}`);
  const roles = ["admin", "member"];

  it("keeps roles and permissions that fit", () => {
    expect(claimsFor(config, { roles, permissions: ["a:b"] })).toEqual({
      claims: { roles, permissions: ["a:b"] },
      dropped: [],
    });
  });

  it("leaves out permissions first", () => {
    const small = defineConfig({ claims: { maxBytes: 256 } });
    const { claims, dropped } = claimsFor(small, { roles, permissions: many });
    expect(claims).toEqual({ roles });
    expect(dropped).toEqual(["permissions"]);
  });

  it("stays under the bound even when the roles alone would not fit", () => {
    const roleNames = Array.from(
      { length: 12 },
      (_, index) => `role-with-a-long-name-${String(index).padStart(2, "0")}`,
    );
    const small = defineConfig({
      roles: Object.fromEntries(["admin", ...roleNames].map((role) => [role, { permissions: [] }])),
      defaultRoles: [],
      groups: {},
      claims: { maxBytes: 256 },
    });
    const { claims, dropped } = claimsFor(small, { roles: roleNames, permissions: [] });
    expect(claimBytes(claims)).toBeLessThanOrEqual(256);
    expect((claims.roles as string[]).length).toBeGreaterThan(0);
    expect(roleNames).toEqual(expect.arrayContaining(claims.roles as string[]));
    expect(dropped).toContain("roles");
  });

  it.each(["1", "2"])("holds in the encoding of a V%s token", (version) => {
    const bound = 300;
    const small = defineConfig({ claims: { maxBytes: bound } });
    for (let count = 0; count < many.length; count += 3) {
      const { claims } = claimsFor(small, { roles, permissions: many.slice(0, count) });
      const response = tokenResponse(version, claims) as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      const added =
        version === "1"
          ? response.claimsOverrideDetails?.claimsToAddOrOverride
          : response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride;
      expect(Buffer.byteLength(JSON.stringify(added))).toBeLessThanOrEqual(bound);
    }
  });
});

describe("token responses", () => {
  const claims = { roles: ["admin", "member"], permissions: ["users:read"], tier: "gold" };

  it.each(["1", "0"])("version %s: claimsOverrideDetails with string values, ID token only", (version) => {
    expect(tokenResponse(version, claims)).toEqual({
      claimsOverrideDetails: {
        claimsToAddOrOverride: { roles: '["admin","member"]', permissions: '["users:read"]', tier: "gold" },
      },
    });
  });

  it.each(["2", "3"])(
    "version %s: claimsAndScopeOverrideDetails with arrays, ID and access token",
    (version) => {
      expect(tokenResponse(version, claims)).toEqual({
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: claims },
          accessTokenGeneration: { claimsToAddOrOverride: claims },
        },
      });
    },
  );

  it.each(["1", "2", "3"])("version %s never carries a reserved claim or a group override", (version) => {
    const hostile = { sub: "x", "cognito:username": "x", aud: "x", token_use: "id", roles: ["member"] };
    const text = JSON.stringify(tokenResponse(version, hostile));
    expect(text).not.toContain("groupOverrideDetails");
    for (const name of ["sub", "cognito:username", "aud", "token_use"])
      expect(text).not.toContain(`"${name}"`);
    expect(text).toContain("member");
  });

  it("machine tokens get access-token claims only", () => {
    expect(machineTokenResponse({ tenant: "acme", iss: "evil" })).toEqual({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant: "acme" } } },
    });
  });

  it.each([
    ["sub", true],
    ["cognito:username", true],
    ["cognito:groups", false],
    ["cognito:preferred_role", false],
    ["identities", true],
    ["roles", false],
    ["custom:tenant", false],
  ])("%s is reserved: %s", (name, reserved) => {
    expect(isReservedClaim(name)).toBe(reserved);
  });
});

describe("readListClaim", () => {
  it.each([
    [
      ["admin", "member"],
      ["admin", "member"],
    ],
    ['["admin","member"]', ["admin", "member"]],
    ["admin member", ["admin", "member"]],
    ["admin,member", ["admin", "member"]],
    ["", []],
    [42, []],
    ["[not json", []],
  ])("%j -> %j", (value, expected) => {
    expect(readListClaim(value)).toEqual(expected);
  });
});
