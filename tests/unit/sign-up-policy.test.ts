import {
  defineConfig,
  isCanonicalEmail,
  type LifecycleConfigInput,
  normaliseEmail,
  type SignUpRequest,
  type SignUpSource,
  signUpPolicy,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

function decide(settings: LifecycleConfigInput, request: Partial<SignUpRequest> & { email?: string }) {
  return signUpPolicy(defineConfig(settings), {
    source: "PreSignUp_SignUp",
    phoneNumber: undefined,
    ...request,
    email: request.email,
  });
}

const sources: SignUpSource[] = [
  "PreSignUp_SignUp",
  "PreSignUp_AdminCreateUser",
  "PreSignUp_ExternalProvider",
];

describe("disposable and denied domains", () => {
  it.each(["jane@mailinator.com", "jane@MAILINATOR.com", "jane@eu.mailinator.com"])(
    "refuses the disposable address %s",
    (email) => {
      expect(decide({}, { email })).toMatchObject({ allowed: false, key: "disposableEmail" });
    },
  );

  it("refuses extra disposable domains and lets blockDisposable be turned off", () => {
    expect(
      decide({ signUp: { extraDisposableDomains: ["trash.test"] } }, { email: "a@x.trash.test" }),
    ).toMatchObject({
      allowed: false,
      key: "disposableEmail",
    });
    expect(decide({ signUp: { blockDisposable: false } }, { email: "jane@mailinator.com" }).allowed).toBe(
      true,
    );
  });

  it("refuses denied domains and their subdomains, not look-alike siblings", () => {
    const settings = { signUp: { deniedDomains: ["rival.test"] } };
    expect(decide(settings, { email: "a@rival.test" })).toMatchObject({
      allowed: false,
      key: "emailDomainNotAllowed",
    });
    expect(decide(settings, { email: "a@mail.rival.test" })).toMatchObject({ allowed: false });
    expect(decide(settings, { email: "a@notrival.test" }).allowed).toBe(true);
  });

  it("applies domain rules to federated sign-ups too", () => {
    expect(decide({}, { source: "PreSignUp_ExternalProvider", email: "a@mailinator.com" })).toMatchObject({
      allowed: false,
      key: "disposableEmail",
    });
  });

  it("lets an admin invite any plausible address", () => {
    const settings = { signUp: { allowedDomains: ["acme.test"], deniedDomains: ["rival.test"] } };
    expect(decide(settings, { source: "PreSignUp_AdminCreateUser", email: "a@rival.test" }).allowed).toBe(
      true,
    );
  });
});

describe("allowed domains", () => {
  const settings = { signUp: { allowedDomains: ["acme.test"] } };

  it.each([
    ["a@acme.test", true],
    ["a@eu.acme.test", true],
    ["a@ACME.test", true],
    ["a@acme.test.evil.test", false],
    ["a@notacme.test", false],
  ])("%s allowed: %s", (email, allowed) => {
    expect(decide(settings, { email }).allowed).toBe(allowed);
  });

  it("refuses a sign-up without an email when domains are restricted", () => {
    expect(decide(settings, { email: undefined, phoneNumber: "+14255550100" })).toMatchObject({
      allowed: false,
    });
  });
});

describe("invite-only", () => {
  it.each(sources)("%s", (source) => {
    const decision = decide({ signUp: { inviteOnly: true } }, { source, email: "a@example.com" });
    expect(decision.allowed).toBe(source === "PreSignUp_AdminCreateUser");
    if (!decision.allowed) expect(decision.key).toBe("inviteOnly");
  });

  it("federated sign-up can be turned off on its own", () => {
    const settings = { signUp: { allowFederated: false } };
    expect(decide(settings, { source: "PreSignUp_ExternalProvider", email: "a@example.com" })).toMatchObject({
      allowed: false,
      key: "signUpNotAllowed",
    });
    expect(decide(settings, { email: "a@example.com" }).allowed).toBe(true);
  });
});

describe("look-alike addresses", () => {
  it.each([
    ["full-width letters", "ｊａｎｅ@example.com"],
    ["a ligature", "ﬁnance@example.com"],
    ["a decomposed accent", "rene\u0301@example.com"],
    ["a superscript digit", "user²@example.com"],
    ["surrounding spaces", " jane@example.com "],
  ])("refuses %s in a self sign-up", (_case, email) => {
    expect(isCanonicalEmail(email)).toBe(false);
    expect(decide({}, { email })).toMatchObject({ allowed: false, key: "invalidEmail" });
  });

  it("accepts the composed, canonical form of the same address", () => {
    expect(decide({}, { email: "rené@example.com" })).toMatchObject({
      allowed: true,
      email: "rené@example.com",
    });
  });

  it("compares addresses trimmed, NFC and lower-case", () => {
    expect(normaliseEmail("  Rene\u0301@Example.COM ")).toBe("rené@example.com");
  });

  it.each(["jane", "jane@", "@example.com", "jane@example", "jane@exa..mple.com", "ja ne@example.com"])(
    "refuses the implausible address %s",
    (email) => {
      expect(decide({}, { email })).toMatchObject({ allowed: false, key: "invalidEmail" });
    },
  );

  it("needs an email or a phone number", () => {
    expect(decide({}, { email: undefined })).toMatchObject({ allowed: false, key: "invalidEmail" });
    expect(decide({}, { email: "", phoneNumber: "+14255550100" }).allowed).toBe(true);
  });
});

describe("auto-confirm and auto-verify", () => {
  const settings = {
    signUp: { autoConfirmDomains: ["acme.test"], autoVerifyEmail: true },
    bootstrapAdmins: ["boss@acme.test"],
  };

  it("confirms and verifies a self sign-up from an auto-confirm domain", () => {
    expect(decide(settings, { email: "a@eu.acme.test" })).toMatchObject({
      allowed: true,
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
  });

  it.each(["PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"] as const)("never for %s", (source) => {
    expect(decide(settings, { source, email: "a@acme.test" })).toMatchObject({
      allowed: true,
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it("never verifies an absent email or any phone number", () => {
    expect(decide(settings, { email: undefined, phoneNumber: "+14255550100" })).toMatchObject({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it("confirms without verifying unless autoVerifyEmail is on", () => {
    expect(decide({ signUp: { autoConfirmDomains: ["acme.test"] } }, { email: "a@acme.test" })).toMatchObject(
      {
        autoConfirmUser: true,
        autoVerifyEmail: false,
      },
    );
  });

  it("never verifies a bootstrap admin's address", () => {
    expect(decide(settings, { email: "Boss@acme.test" })).toMatchObject({
      autoConfirmUser: true,
      autoVerifyEmail: false,
    });
  });

  it("does nothing automatic for other domains", () => {
    expect(decide(settings, { email: "a@example.com" })).toMatchObject({
      autoConfirmUser: false,
      autoVerifyEmail: false,
    });
  });
});
