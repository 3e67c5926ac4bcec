import type { LifecycleConfig } from "../config/schema.ts";
import { isCanonicalEmail, normaliseEmail } from "../email.ts";
import type { EmailVerificationMethod, UserRecord } from "../users.ts";

/** Verification methods that prove the mailbox (or an admin vouched for it). */
const mailboxProven: ReadonlySet<EmailVerificationMethod> = new Set(["code", "admin"]);

/** Whether a record's email may stand for its owner when linking a federated identity to it. */
export function verifiedByMailbox(method: EmailVerificationMethod | undefined): boolean {
  return method !== undefined && mailboxProven.has(method);
}

/**
 * A federated `userName` is `<ProviderName>_<provider user id>`; the id may itself contain
 * underscores (SAML NameIDs often do), and Cognito may change the prefix's case (`google_123`
 * for provider `Google`). Split on the first `_` only, and take the provider's real name from
 * the `identities` attribute or the configured trusted providers.
 */
export function federatedIdentity(
  userName: string,
  identitiesAttribute: string | undefined,
  knownProviders: readonly string[],
): { providerName: string; providerUserId: string } | undefined {
  const separator = userName.indexOf("_");
  if (separator <= 0 || separator === userName.length - 1) return undefined;
  const prefix = userName.slice(0, separator);
  const providerUserId = userName.slice(separator + 1);
  const fromIdentities = identityProviderNames(identitiesAttribute);
  const providerName =
    fromIdentities.find((name) => name.toLowerCase() === prefix.toLowerCase()) ??
    knownProviders.find((name) => name.toLowerCase() === prefix.toLowerCase());
  return providerName ? { providerName, providerUserId } : undefined;
}

function identityProviderNames(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.flatMap((entry) =>
          typeof entry?.providerName === "string" ? [entry.providerName as string] : [],
        )
      : [];
  } catch {
    return [];
  }
}

/** Provider names compare case-insensitively: Cognito varies the prefix's case. */
export function isTrustedProvider(config: LifecycleConfig, providerName: string): boolean {
  const name = providerName.toLowerCase();
  return config.linking.trustedProviders.some((trusted) => trusted.toLowerCase() === name);
}

/**
 * Whether a federated sign-up may be linked to an existing user: linking on, the provider
 * trusted, and the IdP asserting a verified email (an unverified one would let anyone who
 * controls an IdP account take over the native account with that address).
 */
export function mayLink(
  config: LifecycleConfig,
  providerName: string,
  attributes: Record<string, string>,
): { link: true } | { link: false; reason: string } {
  if (!config.linking.enabled) return { link: false, reason: "linking disabled" };
  if (!isTrustedProvider(config, providerName)) {
    return { link: false, reason: `provider ${providerName} is not trusted for linking` };
  }
  if (!attributes.email) return { link: false, reason: "no email to link by" };
  if (attributes.email_verified !== "true") return { link: false, reason: "IdP email is not verified" };
  // A look-alike (the Kelvin sign U+212A folds into "k" under NFC) must not reach a real address.
  if (!isCanonicalEmail(attributes.email)) return { link: false, reason: "IdP email is not canonical" };
  return { link: true };
}

/**
 * Whether the native user's record shows that they proved `email` themselves. An address
 * auto-verified at sign-up proves no mailbox: linking to it would hand the victim's federated
 * sign-ins to whoever registered their address. A missing record or method is unknown: no link.
 */
export function mayLinkToRecord(
  record: UserRecord | undefined,
  email: string,
): { link: true } | { link: false; reason: string } {
  if (!record) return { link: false, reason: "native user has no record: verification unknown" };
  if (!record.email || normaliseEmail(record.email) !== normaliseEmail(email)) {
    return { link: false, reason: "record email differs: verification unknown" };
  }
  if (!record.emailVerified || !verifiedByMailbox(record.emailVerifiedBy)) {
    return { link: false, reason: `native email verified by ${record.emailVerifiedBy ?? "unknown"}` };
  }
  return { link: true };
}
