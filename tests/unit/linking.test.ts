import { defineConfig, federatedIdentity, mayLink } from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

const identities = (providerName: string, userId: string) =>
  JSON.stringify([{ userId, providerName, providerType: "OIDC", issuer: null, primary: "true" }]);

describe("federatedIdentity: provider and id from userName", () => {
  it.each([
    ["Google_1234", ["Google"], "Google", "1234"],
    ["google_1234", ["Google"], "Google", "1234"],
    ["GOOGLE_1234", ["Google"], "Google", "1234"],
    ["SignInWithApple_000123.abc", ["SignInWithApple"], "SignInWithApple", "000123.abc"],
    ["corp-saml_jane_doe@corp.test", ["Corp-SAML"], "Corp-SAML", "jane_doe@corp.test"],
  ])("%s with trusted %j -> %s / %s", (userName, trusted, providerName, providerUserId) => {
    expect(federatedIdentity(userName, undefined, trusted)).toEqual({ providerName, providerUserId });
  });

  it("prefers the spelling in identities over the prefix", () => {
    expect(federatedIdentity("okta_00u1_abc", identities("Okta", "00u1_abc"), [])).toEqual({
      providerName: "Okta",
      providerUserId: "00u1_abc",
    });
  });

  it.each([
    ["no separator", "1234567890"],
    ["a leading separator", "_1234"],
    ["a trailing separator", "Google_"],
  ])("finds nothing with %s", (_case, userName) => {
    expect(federatedIdentity(userName, undefined, ["Google"])).toBeUndefined();
  });

  it("finds nothing for a provider neither configured nor in identities", () => {
    expect(federatedIdentity("Facebook_1234", identities("Google", "1"), ["Google"])).toBeUndefined();
  });

  it("survives an identities attribute that is not JSON", () => {
    expect(federatedIdentity("Google_1", "not json", ["Google"])).toEqual({
      providerName: "Google",
      providerUserId: "1",
    });
  });
});

describe("mayLink: only trusted providers and verified emails", () => {
  const config = defineConfig({ linking: { enabled: true, trustedProviders: ["Google"] } });

  it("links a trusted provider's verified email, whatever the provider name's case", () => {
    expect(mayLink(config, "google", { email: "a@example.com", email_verified: "true" })).toEqual({
      link: true,
    });
  });

  it.each([
    [
      "linking is off",
      defineConfig(),
      "Google",
      { email: "a@example.com", email_verified: "true" },
      "linking disabled",
    ],
    [
      "the provider is untrusted",
      config,
      "Facebook",
      { email: "a@example.com", email_verified: "true" },
      "not trusted",
    ],
    [
      "the email is unverified",
      config,
      "Google",
      { email: "a@example.com", email_verified: "false" },
      "not verified",
    ],
    [
      "email_verified is a boolean-ish string",
      config,
      "Google",
      { email: "a@example.com", email_verified: "1" },
      "not verified",
    ],
    ["email_verified is missing", config, "Google", { email: "a@example.com" }, "not verified"],
    ["there is no email", config, "Google", { email_verified: "true" }, "no email"],
  ])("refuses when %s", (_case, settings, provider, attributes, reason) => {
    const decision = mayLink(settings, provider, attributes);
    expect(decision.link).toBe(false);
    if (!decision.link) expect(decision.reason).toContain(reason);
  });
});
