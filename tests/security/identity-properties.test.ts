import {
  defineConfig,
  type EmailVerificationMethod,
  isBootstrapAdmin,
  isCanonicalEmail,
  type LinkedIdentity,
  mayLink,
  mayLinkToRecord,
  newUserRecord,
} from "@cognito-lifecycle/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * Property-based checks of the linking and bootstrap rules (issue #12 findings 2 and 3): over
 * any address, verification method and provider, a link or the bootstrap admin role needs a
 * canonical address proven by the mailbox, an admin, or a trusted provider.
 */
const config = defineConfig({
  bootstrapAdmins: ["boss@example.com", "kate@example.com"],
  linking: { enabled: true, trustedProviders: ["Okta"] },
});

const methods: (EmailVerificationMethod | undefined)[] = [
  "code",
  "auto",
  "idp",
  "admin",
  "migration",
  undefined,
];
const method = fc.constantFrom(...methods);
const provider = fc.constantFrom("Okta", "okta", "Google", "Facebook", "SignInWithApple", "Corp-SAML");
/** Look-alikes of the bootstrap addresses: case, full-width, Kelvin sign, combining marks, spaces. */
const lookAlike = fc
  .tuple(
    fc.constantFrom("boss", "kate", "jane"),
    fc.constantFrom("", "\u212A", "ｂ", "\u0301", " "),
    fc.constantFrom("example.com", "EXAMPLE.com", "exampl\u0435.com"),
    fc.boolean(),
  )
  .map(([local, extra, domain, upper]) => {
    const address = `${extra === "ｂ" ? local.replace("b", "ｂ") : extra === "\u212A" ? local.replace("k", "\u212A") : `${local}${extra}`}@${domain}`;
    return upper ? address.toUpperCase() : address;
  });
const address = fc.oneof(lookAlike, fc.emailAddress());

describe("bootstrap admin: only a canonical, listed address proven by code, an admin or a trusted IdP", () => {
  it("holds for any address, method and identities", () => {
    fc.assert(
      fc.property(address, method, fc.array(provider, { maxLength: 2 }), (email, verifiedBy, providers) => {
        const identities: LinkedIdentity[] = providers.map((providerName) => ({ providerName }));
        const granted = isBootstrapAdmin(config, { email, emailVerifiedBy: verifiedBy, identities });
        if (!granted) return;
        expect(isCanonicalEmail(email.trim())).toBe(true);
        expect(config.bootstrapAdmins).toContain(email.trim().toLowerCase());
        const trustedIdp =
          verifiedBy === "idp" &&
          identities.length > 0 &&
          identities.every((identity) => identity.providerName.toLowerCase() === "okta");
        expect(verifiedBy === "code" || verifiedBy === "admin" || trustedIdp).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("linking: only a trusted IdP's canonical verified email, to a record proven by the mailbox", () => {
  it("holds for any IdP attributes and any native record", () => {
    fc.assert(
      fc.property(
        provider,
        address,
        fc.constantFrom("true", "false", "1", "", undefined),
        method,
        fc.boolean(),
        (providerName, email, idpVerified, recordMethod, recordVerified) => {
          const attributes: Record<string, string> = { email };
          if (idpVerified !== undefined) attributes.email_verified = idpVerified;
          const record = {
            ...newUserRecord(defineConfig(), {
              sub: "native",
              username: "native",
              source: "sign-up",
              now: "2030-01-01T00:00:00.000Z",
              attributes: { email, email_verified: String(recordVerified) },
            }),
            ...(recordMethod ? { emailVerifiedBy: recordMethod } : {}),
          };
          const linked =
            mayLink(config, providerName, attributes).link && mayLinkToRecord(record, email).link;
          if (!linked) return;
          expect(providerName.toLowerCase()).toBe("okta");
          expect(idpVerified).toBe("true");
          expect(isCanonicalEmail(email)).toBe(true);
          expect(recordVerified).toBe(true);
          expect(["code", "admin"]).toContain(recordMethod);
        },
      ),
      { numRuns: 500 },
    );
  });
});
