import {
  ConfigError,
  defineConfig,
  deliversIdpGroups,
  emailVerificationMethod,
  idpGroupsAreFresh,
  isBootstrapAdmin,
  type LinkedIdentity,
  mayLinkToRecord,
  newUserRecord,
  type UserSource,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

const google: LinkedIdentity[] = [{ providerName: "Google", providerType: "Google", userId: "1" }];
const okta: LinkedIdentity[] = [{ providerName: "Okta", providerType: "OIDC", userId: "00u1" }];

describe("config: linking with auto-verified sign-ups is refused", () => {
  it("names signUp.autoVerifyEmail and says why", () => {
    const error = (() => {
      try {
        defineConfig({
          linking: { enabled: true, trustedProviders: ["Google"] },
          signUp: { autoConfirmDomains: ["corp.example"], autoVerifyEmail: true },
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("signUp.autoVerifyEmail: must be false when linking.enabled");
  });

  it("accepts either feature on its own", () => {
    expect(() =>
      defineConfig({ signUp: { autoConfirmDomains: ["corp.example"], autoVerifyEmail: true } }),
    ).not.toThrow();
    expect(() =>
      defineConfig({
        linking: { enabled: true, trustedProviders: ["Google"] },
        signUp: { autoConfirmDomains: ["corp.example"] },
      }),
    ).not.toThrow();
  });

  it("defaults: IdP groups expire after 24 hours, no provider bypasses email_verified", () => {
    const config = defineConfig();
    expect(config.federation.groupsMaxAgeHours).toBe(24);
    expect(config.signUp.federatedDomainTrust).toEqual([]);
  });
});

describe("emailVerificationMethod: how a new user's email was verified", () => {
  const autoVerify = defineConfig({
    signUp: { autoConfirmDomains: ["corp.example"], autoVerifyEmail: true },
  });
  const verified = (email: string) => ({ email, email_verified: "true" });

  it.each<[string, UserSource, string, string | null | undefined, string, string | undefined]>([
    [
      "a sign-up confirmed with the mailed code",
      "sign-up",
      "PostConfirmation_ConfirmSignUp",
      "client",
      "jane@other.example",
      "code",
    ],
    [
      "a sign-up the policy auto-verified",
      "sign-up",
      "PostConfirmation_ConfirmSignUp",
      "client",
      "jane@corp.example",
      "auto",
    ],
    [
      "a sign-up an admin confirmed (clientId null)",
      "sign-up",
      "PostConfirmation_ConfirmSignUp",
      null,
      "jane@other.example",
      "admin",
    ],
    [
      "an admin-created user",
      "admin-create",
      "TokenGeneration_NewPasswordChallenge",
      undefined,
      "jane@corp.example",
      "admin",
    ],
    ["a federated user", "federated", "PostConfirmation_ConfirmSignUp", "client", "jane@corp.example", "idp"],
    [
      "a record missing at password reset",
      "sign-up",
      "PostConfirmation_ConfirmForgotPassword",
      "client",
      "jane@other.example",
      undefined,
    ],
    [
      "a record made just in time",
      "token-jit",
      "TokenGeneration_RefreshTokens",
      undefined,
      "jane@other.example",
      "code",
    ],
    [
      "a record made just in time for an address the policy auto-verifies",
      "token-jit",
      "TokenGeneration_Authentication",
      undefined,
      "jane@corp.example",
      "auto",
    ],
    ["a record made by reconcile", "reconcile", "", undefined, "jane@other.example", undefined],
  ])("%s", (_case, source, triggerSource, clientId, email, expected) => {
    expect(
      emailVerificationMethod(autoVerify, { source, triggerSource, clientId, attributes: verified(email) }),
    ).toBe(expected);
  });

  it("is unknown while the email is unverified", () => {
    expect(
      emailVerificationMethod(autoVerify, {
        source: "sign-up",
        triggerSource: "PostConfirmation_ConfirmSignUp",
        attributes: { email: "jane@other.example", email_verified: "false" },
      }),
    ).toBeUndefined();
  });
});

describe("isBootstrapAdmin", () => {
  const config = defineConfig({
    bootstrapAdmins: ["boss@example.com", "kate@example.com"],
    linking: { enabled: true, trustedProviders: ["Okta"] },
  });

  it.each([
    ["a native user verified by code", "boss@example.com", "code", []],
    ["an admin-created user", "boss@example.com", "admin", []],
    ["a user of a trusted provider", "Boss@Example.com", "idp", okta],
  ] as const)("grants admin to %s", (_case, email, method, identities) => {
    expect(isBootstrapAdmin(config, { email, emailVerifiedBy: method, identities })).toBe(true);
  });

  it.each([
    ["an untrusted provider's verified email", "boss@example.com", "idp", google],
    ["an auto-verified address", "boss@example.com", "auto", []],
    ["an unknown verification", "boss@example.com", undefined, []],
    ["the Kelvin sign U+212A from a trusted IdP", "\u212Aate@example.com", "idp", okta],
    ["full-width letters", "ｂｏｓｓ@example.com", "code", []],
    ["an address not on the list", "jane@example.com", "code", []],
  ] as const)("refuses %s", (_case, email, method, identities) => {
    expect(isBootstrapAdmin(config, { email, emailVerifiedBy: method, identities })).toBe(false);
  });

  it("a federated record from an untrusted IdP gets no admin, from a trusted one it does", () => {
    const federated = (provider: string) =>
      newUserRecord(config, {
        sub: "s",
        username: `${provider}_1`,
        source: "federated",
        now: "2030-01-01T00:00:00.000Z",
        triggerSource: "PostConfirmation_ConfirmSignUp",
        attributes: {
          email: "boss@example.com",
          email_verified: "true",
          identities: JSON.stringify([{ providerName: provider, userId: "1" }]),
        },
      });
    expect(federated("Google").roles).toEqual(["member"]);
    expect(federated("Okta").roles).toEqual(["admin", "member"]);
  });
});

describe("mayLinkToRecord", () => {
  const base = newUserRecord(defineConfig(), {
    sub: "n",
    username: "n",
    source: "sign-up",
    now: "2030-01-01T00:00:00.000Z",
    attributes: { email: "Jane@Example.com", email_verified: "true" },
  });

  it("links to a record whose email was proven by code or by an admin", () => {
    expect(mayLinkToRecord({ ...base, emailVerifiedBy: "code" }, "jane@example.com")).toEqual({ link: true });
    expect(mayLinkToRecord({ ...base, emailVerifiedBy: "admin" }, "jane@example.com")).toEqual({
      link: true,
    });
  });

  it.each([
    ["no record", undefined, "no record"],
    ["an auto-verified email", { ...base, emailVerifiedBy: "auto" as const }, "verified by auto"],
    ["an unknown method", base, "verified by unknown"],
    [
      "another email on the record",
      { ...base, email: "old@example.com", emailVerifiedBy: "code" as const },
      "differs",
    ],
    [
      "an unverified record",
      { ...base, emailVerified: false, emailVerifiedBy: "code" as const },
      "verified by code",
    ],
  ])("refuses %s", (_case, record, reason) => {
    const decision = mayLinkToRecord(record, "jane@example.com");
    expect(decision.link).toBe(false);
    if (!decision.link) expect(decision.reason).toContain(reason);
  });
});

describe("IdP group freshness", () => {
  const config = defineConfig({ federation: { groupsMaxAgeHours: 24 } });
  const now = new Date("2030-01-02T00:00:00.000Z");

  it.each([
    ["delivered an hour ago", "2030-01-01T23:00:00.000Z", true],
    ["delivered exactly 24 hours ago", "2030-01-01T00:00:00.000Z", true],
    ["delivered 24 hours and a second ago", "2029-12-31T23:59:59.000Z", false],
    ["delivered 25 hours ago", "2029-12-31T23:00:00.000Z", false],
    ["never recorded", undefined, false],
    ["not a time", "yesterday", false],
  ])("%s -> %s", (_case, at, fresh) => {
    expect(idpGroupsAreFresh(config, at, now)).toBe(fresh);
  });

  it("only a federated user's IdP sign-in delivers groups", () => {
    const federated = { "cognito:user_status": "EXTERNAL_PROVIDER" };
    expect(deliversIdpGroups("PostAuthentication_Authentication", federated)).toBe(true);
    expect(deliversIdpGroups("PostConfirmation_ConfirmSignUp", federated)).toBe(true);
    expect(deliversIdpGroups("TokenGeneration_RefreshTokens", federated)).toBe(false);
    expect(
      deliversIdpGroups("PostAuthentication_Authentication", { "cognito:user_status": "CONFIRMED" }),
    ).toBe(false);
  });
});
