/**
 * Email addresses as we compare them: trimmed, Unicode NFC, lower-case. Cognito compares
 * usernames case-insensitively but does not fold Unicode forms, so a sign-up whose address is
 * not already in canonical form is refused (see `isCanonicalEmail`): otherwise "é" written as
 * e + combining accent, or full-width letters, could register a look-alike second account.
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

const emailShape = /^[^\s@]{1,64}@[^\s@]{1,253}$/u;

/** RFC 5321 caps an address at 254 characters; longer ones are refused at sign-up. */
export const maxEmailLength = 254;

export function isPlausibleEmail(normalised: string): boolean {
  if (Array.from(normalised).length > maxEmailLength || !emailShape.test(normalised)) return false;
  const domain = emailDomain(normalised);
  return domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".") && !domain.includes("..");
}

/**
 * The compatibility form used to compare addresses against lists an operator wrote (bootstrap
 * admins): full-width letters and the Kelvin sign fold to their ASCII look-alikes, so a
 * look-alike matches, and `isCanonicalEmail` then decides whether it may be trusted at all.
 */
export function nfkcEmail(raw: string): string {
  return raw.trim().normalize("NFKC").toLowerCase();
}

/** True when the address is already what NFKC normalisation and trimming would make it. */
export function isCanonicalEmail(raw: string): boolean {
  return raw === raw.trim() && raw === raw.normalize("NFKC");
}

export function emailDomain(normalised: string): string {
  return normalised.slice(normalised.lastIndexOf("@") + 1);
}

/** True if `domain` is `listed` or one of its subdomains. */
export function domainMatches(domain: string, listed: string): boolean {
  return domain === listed || domain.endsWith(`.${listed}`);
}

/** For logs: `j***@example.com`. Never log a full address. */
export function maskEmail(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf("@");
  if (at < 1) return "***";
  return `${Array.from(value)[0]}***@${value.slice(at + 1)}`;
}
