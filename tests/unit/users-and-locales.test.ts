import {
  chooseLocale,
  defineConfig,
  displayName,
  initialRoles,
  maskEmail,
  newUserRecord,
  parseIdentities,
  sourceOf,
  userMessage,
  userMessageLocales,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

const config = defineConfig({ bootstrapAdmins: ["boss@example.com"] });

const byCode = (email: string) => ({ email, emailVerifiedBy: "code" as const, identities: [] });

describe("initial roles", () => {
  it("gives new users the default roles", () => {
    expect(initialRoles(config, byCode("jane@example.com"))).toEqual(["member"]);
  });

  it("adds admin for a verified bootstrap address, compared normalised", () => {
    expect(initialRoles(config, byCode(" Boss@Example.COM"))).toEqual(["admin", "member"]);
  });

  it("never for an unverified bootstrap address", () => {
    expect(
      initialRoles(config, { email: "boss@example.com", emailVerifiedBy: undefined, identities: [] }),
    ).toEqual(["member"]);
  });
});

describe("new user records", () => {
  const base = { sub: "s-1", username: "s-1", source: "sign-up" as const, now: "2030-01-01T00:00:00.000Z" };

  it("takes profile fields from attributes and roles from config only", () => {
    const record = newUserRecord(config, {
      ...base,
      attributes: {
        email: " Jane@Example.com ",
        email_verified: "true",
        given_name: "Jane",
        family_name: "Doe",
        locale: "de",
        "custom:roles": "admin",
        roles: "admin",
        "cognito:groups": "admins",
      },
      confirmed: true,
    });
    expect(record).toMatchObject({
      email: "Jane@Example.com",
      emailNormalised: "jane@example.com",
      emailVerified: true,
      name: "Jane Doe",
      locale: "de",
      status: "active",
      roles: ["member"],
      groups: [],
      version: 1,
      confirmedAt: base.now,
    });
  });

  it("reads email_verified as the string Cognito sends", () => {
    for (const value of ["True", "1", "yes", "false"]) {
      expect(newUserRecord(config, { ...base, attributes: { email_verified: value } }).emailVerified).toBe(
        false,
      );
    }
  });

  it("parses the identities JSON string and ignores junk", () => {
    expect(
      parseIdentities('[{"providerName":"Google","providerType":"Google","userId":"1","primary":"true"}]'),
    ).toEqual([{ providerName: "Google", providerType: "Google", userId: "1" }]);
    expect(parseIdentities("not json")).toEqual([]);
    expect(parseIdentities('{"providerName":"Google"}')).toEqual([]);
    expect(parseIdentities('[null, 3, {"userId":"x"}]')).toEqual([]);
  });

  it("caps display names", () => {
    expect(displayName({ name: "x".repeat(1000) })?.length).toBe(256);
    expect(displayName({})).toBeUndefined();
  });

  it.each([
    ["PostConfirmation_ConfirmSignUp", {}, "sign-up"],
    ["PostConfirmation_ConfirmSignUp", { identities: "[]" }, "federated"],
    ["TokenGeneration_HostedAuth", { identities: "[]" }, "federated"],
    ["TokenGeneration_NewPasswordChallenge", {}, "admin-create"],
    ["TokenGeneration_Authentication", { "cognito:user_status": "FORCE_CHANGE_PASSWORD" }, "admin-create"],
    ["TokenGeneration_Authentication", { "cognito:user_status": "CONFIRMED" }, "token-jit"],
    ["TokenGeneration_RefreshTokens", {}, "token-jit"],
  ])("%s with %j is a %s user", (source, attributes, expected) => {
    expect(sourceOf(source, attributes)).toBe(expected);
  });
});

describe("locale choice", () => {
  const supported = ["en", "de", "es", "pt-BR"];

  it.each([
    [["de"], "de"],
    [["de-AT"], "de"],
    [["DE_at"], "de"],
    [["pt"], "pt-BR"],
    [["pt_BR"], "pt-BR"],
    [[undefined, null, "", "es"], "es"],
    [["fr", "es-MX"], "es"],
    [["fr"], "en"],
    [[], "en"],
  ])("%j -> %s", (candidates, expected) => {
    expect(chooseLocale(candidates as (string | null | undefined)[], supported, "en")).toBe(expected);
  });

  it("has every refusal message in every shipped language, none ending in a full stop", () => {
    const keys = [
      "signUpNotAllowed",
      "emailDomainNotAllowed",
      "disposableEmail",
      "inviteOnly",
      "invalidEmail",
      "accountDisabled",
      "temporarilyUnavailable",
    ] as const;
    for (const locale of userMessageLocales) {
      for (const key of keys) {
        const message = userMessage(key, locale);
        expect(message.length).toBeGreaterThan(0);
        // Cognito appends a period itself.
        expect(message.endsWith(".")).toBe(false);
      }
    }
  });

  it("falls back by language, then to English", () => {
    expect(userMessage("inviteOnly", "es-MX")).toBe("El registro es solo por invitación");
    expect(userMessage("inviteOnly", "ja")).toBe("Sign-up is by invitation only");
  });
});

describe("masked emails for logs", () => {
  it.each([
    ["jane@example.com", "j***@example.com"],
    ["élise@example.com", "é***@example.com"],
    ["nobody", "***"],
    ["", undefined],
    [null, undefined],
  ])("%s -> %s", (value, expected) => {
    expect(maskEmail(value)).toBe(expected);
  });
});
