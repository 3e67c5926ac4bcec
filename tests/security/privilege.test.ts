import { randomUUID } from "node:crypto";
import {
  type Handler,
  type InstrumentedRuntime,
  instrumentedRuntime,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
  type TriggerName,
} from "@cognito-lifecycle/bench";
import { isReservedClaim, type LifecycleConfig, UserFacingError } from "@cognito-lifecycle/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { reliabilityEnvironment, triggerHandlers, userState } from "../reliability/support.ts";
import { checkIam } from "../support/iam.ts";

/**
 * Roles come from our table and from Cognito groups, never from attributes a user can write
 * (`custom:*`, `name`, `email`): no crafted attribute may change a role, a permission or a
 * reserved claim. The bootstrap admin role goes to a verified address that is the configured
 * one, not to a look-alike.
 */
const boss = "boss@example.com";
const config: LifecycleConfig = {
  ...lifecycleConfig,
  bootstrapAdmins: [boss],
  signUp: { ...lifecycleConfig.signUp, autoConfirmDomains: ["example.com"], autoVerifyEmail: true },
};
checkIam(config);
const memberPermissions = [...(config.roles.member?.permissions ?? [])].sort();

let environment: Awaited<ReturnType<typeof reliabilityEnvironment>>;
let instrumented: InstrumentedRuntime;
let handlers: Record<TriggerName, Handler>;

beforeAll(async () => {
  environment = await reliabilityEnvironment();
  instrumented = instrumentedRuntime({ config, tableName: environment.tableName });
  handlers = triggerHandlers(instrumented.runtime);
});

afterAll(async () => {
  instrumented.destroy();
  await environment.stop();
});

/** Attribute names a user can write themselves, and values made to look like privileges. */
const writableNames = [
  "custom:roles",
  "custom:role",
  "custom:groups",
  "custom:permissions",
  "custom:admin",
  "custom:idp_groups",
  "name",
  "given_name",
  "roles",
  "permissions",
  "cognito:groups",
  "cognito:roles",
  "cognito:preferred_role",
  "sub_override",
  "iss",
  "token_use",
];
const privilegeLooking = fc.constantFrom(
  "admin",
  "support",
  '["admin"]',
  "admin,support",
  "[admin, support]",
  "admins",
  "users:write",
  '{"roles":["admin"]}',
  "true",
  "https://evil.example/",
);
const craftedAttributes = fc.dictionary(fc.constantFrom(...writableNames), privilegeLooking, {
  minKeys: 1,
  maxKeys: 6,
});

interface ClaimsResponse {
  claimsAndScopeOverrideDetails?: {
    idTokenGeneration?: { claimsToAddOrOverride?: Record<string, unknown>; claimsToSuppress?: string[] };
    accessTokenGeneration?: { claimsToAddOrOverride?: Record<string, unknown>; claimsToSuppress?: string[] };
    groupOverrideDetails?: unknown;
  };
  claimsOverrideDetails?: {
    claimsToAddOrOverride?: Record<string, unknown>;
    claimsToSuppress?: string[];
    groupOverrideDetails?: unknown;
  };
}

/** Every claim the response adds or suppresses, per token. */
function claimsOf(response: ClaimsResponse): { added: Record<string, unknown>[]; suppressed: string[] } {
  const v2 = response.claimsAndScopeOverrideDetails;
  const v1 = response.claimsOverrideDetails;
  const parts = v2 ? [v2.idTokenGeneration, v2.accessTokenGeneration] : [v1];
  return {
    added: parts.map((part) => part?.claimsToAddOrOverride ?? {}),
    suppressed: parts.flatMap((part) => part?.claimsToSuppress ?? []),
  };
}

function expectMemberOnly(response: ClaimsResponse) {
  const { added, suppressed } = claimsOf(response);
  expect(suppressed).toEqual([]);
  expect(response.claimsAndScopeOverrideDetails?.groupOverrideDetails).toBeUndefined();
  expect(response.claimsOverrideDetails?.groupOverrideDetails).toBeUndefined();
  for (const claims of added) {
    expect(Object.keys(claims).sort()).toEqual([config.claims.permissions, config.claims.roles].sort());
    expect(Object.keys(claims).some(isReservedClaim)).toBe(false);
    const roles = claims[config.claims.roles];
    const permissions = claims[config.claims.permissions];
    // V1 claims are strings (JSON-encoded lists); V2 and V3 claims are arrays.
    expect(typeof roles === "string" ? JSON.parse(roles) : roles).toEqual(["member"]);
    expect(typeof permissions === "string" ? JSON.parse(permissions) : permissions).toEqual(
      memberPermissions,
    );
  }
}

describe("user-writable attributes never grant privileges", () => {
  it("at confirmation and at token time, whatever the attributes say", async () => {
    await fc.assert(
      fc.asyncProperty(
        craftedAttributes,
        fc.constantFrom("1", "2", "3") as fc.Arbitrary<"1" | "2" | "3">,
        async (extra, version) => {
          const user = { sub: randomUUID(), email: `crafted.${randomUUID().slice(0, 8)}@example.com`, extra };
          await handlers["post-confirmation"](postConfirmationEvent(user));
          const state = await userState(environment.db, environment.tableName, user.sub);
          expect(state.profile?.roles).toEqual(["member"]);
          expect(state.roleItems).toEqual(["member"]);
          expect(state.profile?.groups).toEqual([]);
          const token = await handlers["pre-token-generation"](preTokenEvent(user, { version }));
          expectMemberOnly(token.response as ClaimsResponse);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("when the record is created at token time", async () => {
    await fc.assert(
      fc.asyncProperty(craftedAttributes, async (extra) => {
        const user = { sub: randomUUID(), email: `jit.${randomUUID().slice(0, 8)}@example.com`, extra };
        const token = await handlers["pre-token-generation"](preTokenEvent(user));
        expectMemberOnly(token.response as ClaimsResponse);
        const state = await userState(environment.db, environment.tableName, user.sub);
        expect(state.profile?.roles).toEqual(["member"]);
      }),
      { numRuns: 15 },
    );
  });

  it("an IdP groups attribute on a native (non-federated) user grants nothing", async () => {
    const user = {
      sub: randomUUID(),
      email: `native.${randomUUID().slice(0, 8)}@example.com`,
      extra: { [config.federation.groupsAttribute]: "admins" },
    };
    const token = await handlers["pre-token-generation"](preTokenEvent(user));
    expectMemberOnly(token.response as ClaimsResponse);
  });
});

describe("the bootstrap admin role goes to the configured address only", () => {
  async function rolesAfterConfirmation(email: string, verified: boolean): Promise<string[] | undefined> {
    const sub = randomUUID();
    await handlers["post-confirmation"](postConfirmationEvent({ sub, email, emailVerified: verified }));
    return (await userState(environment.db, environment.tableName, sub)).profile?.roles;
  }

  it("the verified address itself gets admin (as does its case variant, the same Cognito user)", async () => {
    expect(await rolesAfterConfirmation(boss, true)).toEqual(["admin", "member"]);
    // The pool is case-insensitive (SST's CognitoUserPool sets CaseSensitive false), so this is the same mailbox.
    expect(await rolesAfterConfirmation("Boss@Example.COM", true)).toEqual(["admin", "member"]);
  });

  it.each([
    ["unverified", boss, false],
    ["full-width letters", "ｂｏｓｓ@example.com", true],
    ["Cyrillic а in the domain", "boss@exаmple.com", true],
    ["zero-width space", "boss\u200b@example.com", true],
    ["soft hyphen", "bo\u00adss@example.com", true],
    ["plus tag", "boss+admin@example.com", true],
    ["longer domain", "boss@example.com.evil.test", true],
  ])("%s: no admin role", async (_label, email, verified) => {
    expect(await rolesAfterConfirmation(email, verified)).toEqual(["member"]);
  });

  it("pre sign-up refuses Unicode and whitespace variants, and never auto-verifies the admin address", async () => {
    for (const variant of [
      "ｂｏｓｓ@example.com",
      " boss@example.com",
      "boss@example.com ",
      "ＢＯＳＳ@example.com",
    ]) {
      await expect(
        handlers["pre-sign-up"](preSignUpEvent({ sub: randomUUID(), email: variant })),
      ).rejects.toThrow(UserFacingError);
    }
    for (const variant of [boss, "BOSS@example.com", "Boss@Example.com"]) {
      const result = await handlers["pre-sign-up"](preSignUpEvent({ sub: randomUUID(), email: variant }));
      // Auto-confirmed (the domain is listed) but never auto-verified: the owner must prove the address.
      expect(result.response).toMatchObject({ autoConfirmUser: true, autoVerifyEmail: false });
    }
  });

  it("a second confirmation with a variant of the email creates no second record and changes no role", async () => {
    const sub = randomUUID();
    await handlers["post-confirmation"](postConfirmationEvent({ sub, email: "member@example.com" }));
    for (const variant of [boss, "BOSS@example.com", "member@example.com "]) {
      await handlers["post-confirmation"](postConfirmationEvent({ sub, email: variant }));
      await handlers["pre-token-generation"](preTokenEvent({ sub, email: variant }));
    }
    const state = await userState(environment.db, environment.tableName, sub);
    expect(state.problems).toEqual([]);
    expect(state.created).toBe(1);
    expect(state.profile?.email).toBe("member@example.com");
    expect(state.profile?.roles).toEqual(["member"]);
  });
});
