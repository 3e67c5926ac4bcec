import type { DynamoUserStore } from "@cognito-lifecycle/aws";
import {
  defineConfig,
  isReservedClaim,
  type LifecycleConfig,
  type LifecycleConfigInput,
  MalformedEventError,
  newUserRecord,
  UserFacingError,
} from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/pre-token-generation.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import { who } from "./fixtures/common.ts";
import {
  clientCredentials,
  type PreTokenFixtureEvent,
  type TokenVersion,
  tokenEvent,
  userTokenFixtures,
} from "./fixtures/pre-token-generation.ts";
import {
  clone,
  expectOnlyResponseChanged,
  invoke,
  observedStore,
  runtime,
  unreachableStore,
} from "./support.ts";

const settings: LifecycleConfigInput = {
  roles: {
    admin: { permissions: ["users:read", "users:write"] },
    support: { permissions: ["users:read"] },
    member: { permissions: ["profile:read"] },
  },
  groups: { admins: { roles: ["admin"] }, helpdesk: { roles: ["support"] } },
  bootstrapAdmins: ["boss@example.com"],
  federation: { groupRoles: { Engineering: ["support"] } },
  claims: { machine: { "7m2m0client0id0example0abcd": { tenant: "acme", tiers: ["gold"] } } },
};
const config = defineConfig(settings);
checkIam(config);

let store: DynamoUserStore;
let table: Awaited<ReturnType<typeof freshStore>>;

beforeAll(async () => {
  table = await freshStore();
  store = table.store;
});

function handlerWith(parts: { config?: LifecycleConfig; store?: DynamoUserStore } = {}) {
  return createHandler(runtime({ config: parts.config ?? config, store: parts.store ?? store }));
}

interface TokenClaims {
  id: Record<string, unknown>;
  access?: Record<string, unknown>;
}

/** The claims a response adds, checked against the shape its event version requires. */
function claimsIn(response: PreTokenFixtureEvent["response"], version: TokenVersion): TokenClaims {
  const everyList: unknown[] = [];
  let claims: TokenClaims;
  if (version === "1") {
    expect(Object.keys(response)).toEqual(["claimsOverrideDetails"]);
    const details = response.claimsOverrideDetails as Record<string, unknown>;
    expect(
      Object.keys(details).every((key) => ["claimsToAddOrOverride", "claimsToSuppress"].includes(key)),
    ).toBe(true);
    const added = details.claimsToAddOrOverride as Record<string, unknown>;
    // V1 claim values are strings.
    for (const value of Object.values(added)) expect(value).toBeTypeOf("string");
    everyList.push(details.claimsToSuppress);
    claims = { id: added };
  } else {
    expect(Object.keys(response)).toEqual(["claimsAndScopeOverrideDetails"]);
    const details = response.claimsAndScopeOverrideDetails as Record<string, Record<string, unknown>>;
    expect(Object.keys(details).sort()).toEqual(["accessTokenGeneration", "idTokenGeneration"]);
    const id = details.idTokenGeneration as Record<string, unknown>;
    const access = details.accessTokenGeneration as Record<string, unknown>;
    everyList.push(id.claimsToSuppress, access.claimsToSuppress);
    for (const scope of (access.scopesToAdd as string[] | undefined) ?? []) expect(scope).not.toContain(" ");
    claims = {
      id: id.claimsToAddOrOverride as Record<string, unknown>,
      access: access.claimsToAddOrOverride as Record<string, unknown>,
    };
  }
  // Never a group override (an empty one strips every group), never a reserved claim.
  expect(JSON.stringify(response)).not.toContain("groupOverrideDetails");
  const names = [
    ...Object.keys(claims.id),
    ...Object.keys(claims.access ?? {}),
    ...everyList.flatMap((list) => (Array.isArray(list) ? list : [])),
  ];
  expect(names.filter((name) => isReservedClaim(String(name)))).toEqual([]);
  return claims;
}

/** The roles the ID token gets, whatever the version. */
function rolesIn(response: PreTokenFixtureEvent["response"], version: TokenVersion): unknown {
  const { id, access } = claimsIn(response, version);
  if (version === "1") return JSON.parse(String(id.roles));
  expect(access?.roles).toEqual(id.roles);
  return id.roles;
}

describe("pre token generation contract", () => {
  it.each(userTokenFixtures)(
    "$name: shaped for its version, roles and permissions added",
    async (fixture) => {
      const event = fixture.build();
      const result = await invoke(handlerWith(), clone(event));

      expectOnlyResponseChanged(event, result);
      const { id, access } = claimsIn(result.response, fixture.responseVersion);
      if (fixture.responseVersion === "1") {
        expect(JSON.parse(String(id.roles))).toEqual(["member"]);
        expect(JSON.parse(String(id.permissions))).toEqual(["profile:read"]);
      } else {
        for (const claims of [id, access]) {
          expect(claims).toEqual({ roles: ["member"], permissions: ["profile:read"] });
        }
      }
    },
  );

  it.each(userTokenFixtures)(
    "$name: a missing record is created just in time with its source",
    async (fixture) => {
      const event = fixture.build();
      await invoke(handlerWith(), clone(event));
      const record = await store.get(event.request.userAttributes.sub ?? "");
      const expected =
        fixture.triggerSource === "TokenGeneration_HostedAuth"
          ? "federated"
          : fixture.triggerSource === "TokenGeneration_NewPasswordChallenge"
            ? "admin-create"
            : "token-jit";
      expect(record).toMatchObject({ source: expected, status: "active", roles: ["member"] });
      expect(record?.welcomeEmail?.status).toBe("pending");
    },
  );

  it("passes a machine-to-machine token (V3 client credentials) the configured claims, access token only", async () => {
    const event = clientCredentials();
    // No user, so no store: one that cannot be reached proves it is never asked.
    const result = await invoke(handlerWith({ store: await unreachableStore() }), clone(event));
    expectOnlyResponseChanged(event, result);
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { tenant: "acme", tiers: ["gold"] } },
      },
    });
  });

  it("returns a client credentials event for an unconfigured client unchanged", async () => {
    const event = clientCredentials("unknown-client");
    const result = await invoke(handlerWith({ store: await unreachableStore() }), clone(event));
    expect(result).toEqual(event);
  });

  it("returns an event with an unknown trigger source unchanged and writes nothing", async () => {
    const event = {
      ...tokenEvent("2", "TokenGeneration_Authentication"),
      triggerSource: "TokenGeneration_Future",
    };
    const result = await invoke(handlerWith(), clone(event));
    expect(result).toEqual(event);
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
  });

  it("refuses a malformed event with an error naming the field, and creates nothing", async () => {
    const event = tokenEvent("2", "TokenGeneration_Authentication");
    (event.request.groupConfiguration as Record<string, unknown>).groupsToOverride = "admins";
    const error = await invoke(handlerWith(), event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toContain("request.groupConfiguration.groupsToOverride");
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
  });
});

describe("pre token generation roles", () => {
  it("issues stored roles plus the roles of the user's Cognito groups", async () => {
    const person = who({ groups: ["admins"] });
    const record = newUserRecord(config, {
      sub: person.sub,
      username: person.sub,
      attributes: { email: person.email, email_verified: "true" },
      source: "sign-up",
      now: new Date().toISOString(),
    });
    await store.create({ ...record, roles: ["support"] });

    for (const version of ["1", "2", "3"] as const) {
      const result = await invoke(
        handlerWith(),
        tokenEvent(version, "TokenGeneration_RefreshTokens", person),
      );
      expect(rolesIn(result.response, version)).toEqual(["admin", "support"]);
    }
    const v2 = await invoke(handlerWith(), tokenEvent("2", "TokenGeneration_Authentication", person));
    expect(claimsIn(v2.response, "2").access?.permissions).toEqual(["users:read", "users:write"]);
    // The token never writes group roles back into the record.
    expect((await store.get(person.sub))?.roles).toEqual(["support"]);
  });

  it("reads a known user's record once, strongly consistent, and writes nothing", async () => {
    const person = who();
    await store.create(
      newUserRecord(config, {
        sub: person.sub,
        username: person.sub,
        attributes: { email: person.email },
        source: "sign-up",
        now: new Date().toISOString(),
      }),
    );
    const { store: observed, commands } = observedStore(table.db, table.tableName);
    await invoke(handlerWith({ store: observed }), tokenEvent("2", "TokenGeneration_RefreshTokens", person));
    expect(commands.map((command) => command.name)).toEqual(["GetCommand"]);
    expect(commands[0]?.input.ConsistentRead).toBe(true);
  });

  it("maps IdP groups to roles for federated users only", async () => {
    const attributes = { "custom:idp_groups": "[Engineering, Sales]" };
    const federated = await invoke(
      handlerWith(),
      tokenEvent("2", "TokenGeneration_HostedAuth", { attributes }),
    );
    expect(rolesIn(federated.response, "2")).toEqual(["member", "support"]);
    const native = await invoke(
      handlerWith(),
      tokenEvent("2", "TokenGeneration_Authentication", { attributes }),
    );
    expect(rolesIn(native.response, "2")).toEqual(["member"]);
  });

  it("stops honouring IdP group roles past federation.groupsMaxAgeHours without a fresh IdP sign-in", async () => {
    const now = new Date("2031-06-01T12:00:00.000Z");
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
    const refresh = async (deliveredHoursAgo: number | undefined) => {
      const person = who({
        attributes: {
          "custom:idp_groups": "Engineering",
          identities: JSON.stringify([{ providerName: "Google", userId: "1" }]),
          "cognito:user_status": "EXTERNAL_PROVIDER",
        },
      });
      const record = newUserRecord(config, {
        sub: person.sub,
        username: `Google_${person.sub}`,
        attributes: { email: person.email },
        source: "federated",
        now: hoursAgo(48),
      });
      await store.create(
        deliveredHoursAgo === undefined ? record : { ...record, idpGroupsAt: hoursAgo(deliveredHoursAgo) },
      );
      const handler = createHandler(runtime({ config, store, now: () => now }));
      const result = await invoke(handler, tokenEvent("2", "TokenGeneration_RefreshTokens", person));
      return rolesIn(result.response, "2");
    };
    expect(await refresh(23)).toEqual(["member", "support"]);
    expect(await refresh(25)).toEqual(["member"]);
    expect(await refresh(undefined)).toEqual(["member"]);
  });

  it("gives a bootstrap admin the admin role only once the email is verified", async () => {
    const verified = tokenEvent("2", "TokenGeneration_NewPasswordChallenge", { email: "boss@example.com" });
    expect(rolesIn((await invoke(handlerWith(), verified)).response, "2")).toEqual(["admin", "member"]);

    const unverified = tokenEvent("2", "TokenGeneration_NewPasswordChallenge", {
      email: "boss@example.com",
      attributes: { email_verified: "false" },
    });
    expect(rolesIn((await invoke(handlerWith(), unverified)).response, "2")).toEqual(["member"]);
    expect((await store.get(unverified.request.userAttributes.sub ?? ""))?.roles).toEqual(["member"]);
  });

  it.each([
    ["custom:roles=admin", { "custom:roles": "admin" }],
    ["custom:role=admin", { "custom:role": "admin" }],
    ["a roles attribute", { roles: "admin" }],
    ["name=admin", { name: "admin" }],
    ["custom:idp_groups on a native user", { "custom:idp_groups": "Engineering,admins" }],
    ["a cognito:groups attribute", { "cognito:groups": "admins" }],
  ])("never yields the admin role from a user-writable attribute (%s)", async (_case, attributes) => {
    for (const version of ["1", "2"] as const) {
      const event = tokenEvent(version, "TokenGeneration_Authentication", { attributes });
      const result = await invoke(handlerWith(), event);
      expect(rolesIn(result.response, version)).toEqual(["member"]);
      expect((await store.get(event.request.userAttributes.sub ?? ""))?.roles).toEqual(["member"]);
    }
  });

  it("creates one record when first sign-ins race", async () => {
    const person = who();
    const handler = handlerWith();
    await Promise.all(
      Array.from({ length: 3 }, () =>
        invoke(handler, tokenEvent("2", "TokenGeneration_NewPasswordChallenge", person)),
      ),
    );
    const { items } = await store.auditHistory(person.sub);
    expect(items.filter((item) => item.action === "user.created")).toHaveLength(1);
  });

  it("issues claims without writing when just-in-time creation is off", async () => {
    const off = defineConfig({ ...settings, tokens: { createMissingRecords: false } });
    const event = tokenEvent("2", "TokenGeneration_Authentication");
    const result = await invoke(handlerWith({ config: off }), event);
    expect(rolesIn(result.response, "2")).toEqual(["member"]);
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
  });

  it("keeps the claims under the size bound by leaving out permissions first", async () => {
    const permissions = Array.from({ length: 40 }, (_, index) => `documents:action-${index}`);
    const small = defineConfig({
      roles: { admin: { permissions: ["users:write"] }, member: { permissions } },
      claims: { maxBytes: 256 },
    });
    const result = await invoke(
      handlerWith({ config: small }),
      tokenEvent("2", "TokenGeneration_Authentication"),
    );
    const { id, access } = claimsIn(result.response, "2");
    expect(id).toEqual({ roles: ["member"] });
    expect(access).toEqual({ roles: ["member"] });
    expect(Buffer.byteLength(JSON.stringify(id))).toBeLessThanOrEqual(256);
  });
});

describe("pre token generation refusals", () => {
  async function storedUser(status: "disabled" | "deleted") {
    const person = who();
    const record = newUserRecord(config, {
      sub: person.sub,
      username: person.sub,
      attributes: { email: person.email },
      source: "sign-up",
      now: new Date().toISOString(),
    });
    await store.create(record);
    await store.setStatus(person.sub, status, {
      sub: person.sub,
      id: "status-change",
      at: new Date().toISOString(),
      actor: "admin-sub",
      action: `user.${status}`,
    });
    return person;
  }

  it.each(["disabled", "deleted"] as const)("refuses a %s user with a clear message", async (status) => {
    const person = await storedUser(status);
    const error = await invoke(handlerWith(), tokenEvent("2", "TokenGeneration_RefreshTokens", person)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({
      key: "accountDisabled",
      message: "Your account is disabled. Please contact support",
    });
  });

  it("refuses a disabled user in the client's language", async () => {
    const person = await storedUser("disabled");
    const event = tokenEvent("1", "TokenGeneration_NewPasswordChallenge", {
      ...person,
      clientMetadata: { locale: "de" },
    });
    await expect(invoke(handlerWith(), event)).rejects.toThrow(
      "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an den Support",
    );
  });

  it("denies the token when the store is unavailable (the default)", async () => {
    const event = tokenEvent("2", "TokenGeneration_Authentication", { groups: ["admins"] });
    await expect(invoke(handlerWith({ store: await unreachableStore() }), event)).rejects.toMatchObject({
      name: "UserFacingError",
      key: "temporarilyUnavailable",
      message: "Sign-in is temporarily unavailable. Please try again in a moment",
    });
  });

  it("issues group-derived roles only when configured to degrade", async () => {
    const degrade = defineConfig({ ...settings, tokens: { onStoreUnavailable: "groups-only" } });
    const unreachable = await unreachableStore();
    for (const version of ["1", "2"] as const) {
      const event = tokenEvent(version, "TokenGeneration_Authentication", { groups: ["helpdesk"] });
      const result = await invoke(handlerWith({ config: degrade, store: unreachable }), event);
      expect(rolesIn(result.response, version)).toEqual(["support"]);
    }
  });
});
