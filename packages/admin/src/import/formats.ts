import {
  auth0CustomCredential,
  auth0CustomPasswordHashSchema,
  type FirebaseHashConfig,
  firebaseCredential,
} from "@cognito-lifecycle/core/passwords/formats";
import {
  finish,
  hashString,
  importEmail,
  joinName,
  mapRoles,
  optionalBoolean,
  optionalString,
  type RecordProblems,
} from "./record.ts";
import type { ImportOptions, ImportUser } from "./types.ts";

type Json = Record<string, unknown>;

function stringList(value: unknown, field: string, problems: RecordProblems): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  problems.add(field, "must be a list of strings");
  return [];
}

/**
 * One user of Auth0's bulk import schema: `password_hash` (bcrypt) and `custom_password_hash`
 * are mutually exclusive; roles come from `app_metadata.roles`.
 * @see https://auth0.com/docs/manage-users/user-migration/bulk-user-import-database-schema-and-examples
 */
export function auth0User(
  record: Json,
  problems: RecordProblems,
  options: ImportOptions,
): ImportUser | undefined {
  const email = importEmail(record.email, problems);
  const appMetadata = (record.app_metadata ?? {}) as Json;
  if (typeof appMetadata !== "object" || Array.isArray(appMetadata))
    problems.add("app_metadata", "must be an object");
  const name =
    optionalString(record.name, "name", problems) ??
    joinName(
      optionalString(record.given_name, "given_name", problems),
      optionalString(record.family_name, "family_name", problems),
    );
  if (record.password_hash !== undefined && record.custom_password_hash !== undefined) {
    problems.add("custom_password_hash", "cannot be combined with password_hash");
  }
  let credential: ImportUser["credential"];
  if (typeof record.password_hash === "string") {
    credential = hashString(record.password_hash, problems, { ...options, hashAlgorithm: "bcrypt" });
  } else if (record.password_hash !== undefined) {
    problems.add("password_hash", "must be a bcrypt string");
  } else if (record.custom_password_hash !== undefined) {
    const parsed = auth0CustomPasswordHashSchema.safeParse(record.custom_password_hash);
    credential = parsed.success
      ? problems.credential("custom_password_hash", () => auth0CustomCredential(parsed.data))
      : problems.add("custom_password_hash", "needs algorithm and hash.value (see Auth0's schema)");
  }
  const sourceId = optionalString(record.user_id, "user_id", problems);
  return finish(
    {
      line: problems.line,
      ...(sourceId ? { sourceId } : {}),
      email,
      emailVerified: optionalBoolean(record.email_verified, "email_verified", problems),
      ...(name ? { name } : {}),
      roles: mapRoles(stringList(appMetadata?.roles, "app_metadata.roles", problems), options),
      disabled: optionalBoolean(record.blocked, "blocked", problems),
      ...(credential ? { credential } : {}),
    },
    problems,
  );
}

/**
 * One user of `firebase auth:export --format=json`. Roles come from the custom claims
 * (`customAttributes`, a JSON string) `roles` list or `role` string. A user without a
 * `passwordHash` (federated only, or not project scrypt) has no credential.
 * @see https://github.com/firebase/firebase-tools/blob/master/src/accountExporter.ts
 */
export function firebaseUser(
  record: Json,
  problems: RecordProblems,
  options: ImportOptions,
  hashConfig: FirebaseHashConfig | undefined,
): ImportUser | undefined {
  const email = importEmail(record.email, problems);
  const name = optionalString(record.displayName, "displayName", problems);
  const claims = customClaims(record.customAttributes, problems);
  const oldRoles = [...stringList(claims.roles, "customAttributes.roles", problems)];
  if (typeof claims.role === "string") oldRoles.push(claims.role);
  let credential: ImportUser["credential"];
  if (typeof record.passwordHash === "string" && record.passwordHash !== "") {
    if (typeof record.salt !== "string") problems.add("salt", "is required with passwordHash");
    else if (!hashConfig) problems.add("passwordHash", "needs the project's hash config (--hash-config)");
    else {
      const user = { passwordHash: record.passwordHash, salt: record.salt };
      credential = problems.credential("passwordHash", () => firebaseCredential(user, hashConfig));
    }
  }
  const sourceId = optionalString(record.localId, "localId", problems);
  return finish(
    {
      line: problems.line,
      ...(sourceId ? { sourceId } : {}),
      email,
      emailVerified: optionalBoolean(record.emailVerified, "emailVerified", problems),
      ...(name ? { name } : {}),
      roles: mapRoles(oldRoles, options),
      disabled: optionalBoolean(record.disabled, "disabled", problems),
      ...(credential ? { credential } : {}),
    },
    problems,
  );
}

function customClaims(raw: unknown, problems: RecordProblems): Json {
  if (raw === undefined || raw === null || raw === "") return {};
  try {
    const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // Reported below.
  }
  problems.add("customAttributes", "must be a JSON object");
  return {};
}

/**
 * A plain user (CSV row or JSON object): `email`, `email_verified`, `name` or `given_name` +
 * `family_name`, `locale`, `roles` (list, or `;`-separated in CSV), `password_hash`, `id`.
 */
export function plainUser(
  record: Json,
  problems: RecordProblems,
  options: ImportOptions,
): ImportUser | undefined {
  const email = importEmail(record.email, problems);
  const name =
    optionalString(record.name, "name", problems) ??
    joinName(
      optionalString(record.given_name, "given_name", problems),
      optionalString(record.family_name, "family_name", problems),
    );
  const locale = optionalString(record.locale, "locale", problems);
  if (locale && !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/u.test(locale))
    problems.add("locale", "is not a language tag");
  const oldRoles =
    typeof record.roles === "string"
      ? record.roles
          .split(";")
          .map((role) => role.trim())
          .filter(Boolean)
      : stringList(record.roles, "roles", problems);
  const hash = optionalString(record.password_hash, "password_hash", problems);
  const credential = hash ? hashString(hash, problems, options) : undefined;
  const sourceId = optionalString(record.id, "id", problems);
  return finish(
    {
      line: problems.line,
      ...(sourceId ? { sourceId } : {}),
      email,
      emailVerified: optionalBoolean(record.email_verified, "email_verified", problems),
      ...(name ? { name } : {}),
      ...(locale ? { locale } : {}),
      roles: mapRoles(oldRoles, options),
      disabled: optionalBoolean(record.disabled, "disabled", problems),
      ...(credential ? { credential } : {}),
    },
    problems,
  );
}
