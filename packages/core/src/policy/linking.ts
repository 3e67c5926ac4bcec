import type { LifecycleConfig } from "../config/schema.ts";

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
  if (!config.linking.trustedProviders.some((name) => name.toLowerCase() === providerName.toLowerCase())) {
    return { link: false, reason: `provider ${providerName} is not trusted for linking` };
  }
  if (!attributes.email) return { link: false, reason: "no email to link by" };
  if (attributes.email_verified !== "true") return { link: false, reason: "IdP email is not verified" };
  return { link: true };
}
