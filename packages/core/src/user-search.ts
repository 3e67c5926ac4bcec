/**
 * How admins search users: one free-text query (`q`) whose shape picks the cheapest way to
 * answer it (see docs/admin.md#search). Pure, so the directory, the API and the CLI agree.
 */

/** What a query asks for, and so which key or filter serves it. */
export type UserSearch =
  | { kind: "sub"; sub: string }
  | { kind: "email"; email: string }
  | { kind: "domain"; domain: string }
  | { kind: "text"; text: string };

/** The orders a listing can be served in without reading everything. */
export const userSortOrders = ["newest", "oldest", "email"] as const;
export type UserSortOrder = (typeof userSortOrders)[number];

/** The longest query accepted: an email address's length limit. */
export const maxSearchLength = 254;

/** Cognito's `sub` is a UUID. */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const wholeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const domainName = /^[^\s@]+\.[^\s@]+$/u;

/**
 * Diacritics that do not change which letter it is for an admin typing a name: Latin combining
 * accents, Hebrew points and cantillation, Arabic harakat. Marks of other scripts (Japanese voicing
 * marks, Indic vowel signs) stay, because there they make a different letter.
 */
const ignoredMarks = /[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]/g;

/**
 * The form both the stored text and a query are compared in: compatibility-normalised (NFKC:
 * full-width letters, Arabic presentation forms), case-folded and without the marks above, so
 * "JOSÉ", "josé" and "jose" match, and "מֹשֶׁה" matches "משה".
 */
export function searchFold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(ignoredMarks, "")
    .normalize("NFKC")
    .toLowerCase()
    .replaceAll("ß", "ss")
    .replaceAll("ς", "σ");
}

/** Line breaks and other controls in a name would let one field's text match across into another. */
const controls = /\p{Cc}/gu;

/**
 * The searchable text of a user, stored with their profile and role items: the folded email and
 * name, one per line, so a domain query can anchor on the end of the email (`@example.com\n`).
 */
export function searchTextOf(user: { email?: string | undefined; name?: string | undefined }): string {
  const email = searchFold((user.email ?? "").trim().replace(controls, " "));
  const name = searchFold((user.name ?? "").replace(controls, " "));
  return `${email}\n${name}`;
}

/**
 * What `q` asks for: a UUID is a `sub`; a whole address (`ann@example.com`) an exact email;
 * `@example.com` a domain (and its subdomains); anything else, `@acme` included, a substring of
 * the email or the name. Undefined for a query that holds nothing to search for.
 */
export function parseUserSearch(q: string): UserSearch | undefined {
  const trimmed = q.trim();
  if (!trimmed) return undefined;
  if (uuid.test(trimmed)) return { kind: "sub", sub: trimmed.toLowerCase() };
  if (trimmed.startsWith("@") && domainName.test(trimmed.slice(1)))
    return { kind: "domain", domain: searchFold(trimmed.slice(1)) };
  if (wholeEmail.test(trimmed) && domainName.test(trimmed.slice(trimmed.lastIndexOf("@") + 1)))
    return { kind: "email", email: trimmed };
  const text = searchFold(trimmed.replace(controls, " "));
  return text.trim() ? { kind: "text", text } : undefined;
}

/** The stored-text fragments a domain query matches: the domain itself and its subdomains. */
export function domainNeedles(domain: string): [exact: string, subdomains: string] {
  return [`@${domain}\n`, `.${domain}\n`];
}
