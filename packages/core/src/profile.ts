import type { LifecycleConfig } from "./config/schema.ts";
import { profileLimits } from "./lists.ts";
import type { RecordFields } from "./record-lifecycle.ts";
import type { UserRecord } from "./users.ts";

/**
 * An admin's edit of a user's profile: the display name, the locale and the custom attributes
 * `admin.editableAttributes` lists. The decisions are pure: what is valid, what changes in Cognito
 * and on the record, and what the audit entry says.
 */

/** What an admin asks to set; a field left out stays as it is, `null` clears it. */
export interface ProfileEdit {
  name?: string | null;
  locale?: string | null;
  /** Custom attribute name (`custom:department`) -> value, or `null` to clear it. */
  attributes?: Record<string, string | null>;
}

/**
 * What the record shows once Cognito's `name` is cleared: the name Cognito's other attributes
 * give (`displayName`: given and family name, as every resync computes it), or none.
 */
export interface ProfileFallbacks {
  name?: string;
}

/**
 * Attributes Cognito owns, verifies or derives: never editable here, whatever the config says.
 * `name` and `locale` are editable without being listed.
 */
const protectedAttributes = new Set([
  "sub",
  "username",
  "email",
  "email_verified",
  "phone_number",
  "phone_number_verified",
  "identities",
  "updated_at",
]);

/** Words that would make an attribute read as a source of roles or permissions. */
const roleWords = new Set([
  "role",
  "roles",
  "group",
  "groups",
  "permission",
  "permissions",
  "admin",
  "admins",
]);

const customAttributeName = /^custom:[A-Za-z0-9_]{1,20}$/;

/**
 * Why `name` may not be in `admin.editableAttributes`, or undefined when it may. Never the
 * attribute IdP group roles come from, nor one named like a role or permission claim (an app
 * reading it from a token would trust what any admin can type); never what Cognito verifies.
 */
export function editableAttributeProblem(
  config: Pick<LifecycleConfig, "federation" | "claims">,
  name: string,
): string | undefined {
  if (name === "name" || name === "locale") return "is always editable: list only custom attributes";
  if (protectedAttributes.has(name) || name.startsWith("cognito:")) {
    return "is an attribute Cognito verifies or owns; it cannot be edited here";
  }
  if (!customAttributeName.test(name)) {
    return "must be a custom attribute such as custom:department (1-20 letters, digits or _)";
  }
  if (name === config.federation.groupsAttribute) {
    return "is federation.groupsAttribute, the source of IdP group roles; roles never come from an editable attribute";
  }
  const suffix = name.slice("custom:".length).toLowerCase();
  if (roleWords.has(suffix) || suffix === config.claims.roles || suffix === config.claims.permissions) {
    return "is named like a role or permission; roles live in the user table, never in an attribute";
  }
  return undefined;
}

/** C0 and C1 control characters: never part of a name or an attribute value an admin means. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/** The edit with its values trimmed, and one message per bad field (`name`, `attributes.custom:x`). */
export function checkProfileEdit(
  config: LifecycleConfig,
  edit: ProfileEdit,
): { edit: ProfileEdit; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  // null passes as null: every editable field is optional in Cognito, so each may be cleared.
  const text = (field: string, value: string | null, max: number) => {
    if (value === null) return null;
    const trimmed = value.trim();
    if (trimmed.length === 0) problems[field] = "must not be empty (null clears the field)";
    else if (trimmed.length > max) problems[field] = `must be at most ${max} characters`;
    else if (controlCharacters.test(trimmed)) problems[field] = "must not contain control characters";
    return trimmed;
  };
  const checked: ProfileEdit = {};
  if (edit.name !== undefined) checked.name = text("name", edit.name, profileLimits.name);
  if (edit.locale !== undefined) {
    checked.locale = edit.locale === null ? null : edit.locale.trim();
    if (checked.locale !== null && !config.locales.supported.includes(checked.locale)) {
      problems.locale = `must be one of ${config.locales.supported.join(", ")}`;
    }
  }
  if (edit.attributes !== undefined) {
    const editable = config.admin.editableAttributes;
    checked.attributes = {};
    for (const [attribute, value] of Object.entries(edit.attributes)) {
      const field = `attributes.${attribute}`;
      if (!editable.includes(attribute)) {
        problems[field] =
          editable.length > 0
            ? `is not editable (editable: ${editable.join(", ")})`
            : "is not editable: admin.editableAttributes lists none";
        continue;
      }
      checked.attributes[attribute] = text(field, value, profileLimits.attribute);
    }
  }
  if (isEmptyEdit(checked)) problems["(body)"] = "give at least one of name, locale or attributes";
  return { edit: checked, problems };
}

function isEmptyEdit(edit: ProfileEdit): boolean {
  return (
    edit.name === undefined && edit.locale === undefined && Object.keys(edit.attributes ?? {}).length === 0
  );
}

/** What an edit changes: the Cognito attributes to write and the record fields, only those that differ. */
export interface ProfileChange {
  /** Cognito attribute name -> new value (AdminUpdateUserAttributes). */
  cognito: Record<string, string>;
  /** Cognito attributes to clear (AdminDeleteUserAttributes). */
  cleared: string[];
  /** The record fields to write; `undefined` removes one. */
  fields: Pick<RecordFields, "name" | "locale" | "customAttributes">;
  /** Names of what changes, cleared ones included: `name`, `locale`, `custom:department`. */
  changes: string[];
}

/**
 * The part of `edit` that differs from `record`. A cleared field is removed from the record,
 * except a cleared name, which becomes `fallbacks.name` when Cognito's other attributes give one.
 */
export function profileChange(
  record: UserRecord,
  edit: ProfileEdit,
  fallbacks: ProfileFallbacks = {},
): ProfileChange {
  const change: ProfileChange = { cognito: {}, cleared: [], fields: {}, changes: [] };
  const apply = (attribute: string, value: string | null) => {
    if (value === null) change.cleared.push(attribute);
    else change.cognito[attribute] = value;
    change.changes.push(attribute);
  };
  const name = edit.name === null ? (fallbacks.name ?? null) : edit.name;
  if (name !== undefined && (name ?? undefined) !== record.name) {
    apply("name", edit.name ?? null);
    change.fields.name = name ?? undefined;
  }
  if (edit.locale !== undefined && (edit.locale ?? undefined) !== record.locale) {
    apply("locale", edit.locale);
    change.fields.locale = edit.locale ?? undefined;
  }
  const current = record.customAttributes ?? {};
  const attributes = Object.entries(edit.attributes ?? {}).filter(
    ([attribute, value]) => current[attribute] !== (value ?? undefined),
  );
  if (attributes.length > 0) {
    const next = { ...current };
    for (const [attribute, value] of attributes) {
      if (value === null) delete next[attribute];
      else next[attribute] = value;
      apply(attribute, value);
    }
    change.fields.customAttributes = Object.keys(next).length > 0 ? next : undefined;
  }
  return change;
}

/** What `change` leaves in `field` of the record. */
function valueAfter(change: ProfileChange, field: string): string | undefined {
  if (field === "name") return change.fields.name;
  if (field === "locale") return change.fields.locale;
  return change.fields.customAttributes?.[field];
}

/** Whether `record` holds what `edit` would set for every field of `change` (someone else wrote it already). */
export function holdsChange(record: UserRecord, change: ProfileChange): boolean {
  return sameFields(record, change, (field) => valueAfter(change, field));
}

/** Whether `record` still has `before`'s values in every field `change` touches. */
export function untouchedSince(record: UserRecord, before: UserRecord, change: ProfileChange): boolean {
  return sameFields(record, change, (field) => profileValue(before, field));
}

function profileValue(record: UserRecord, field: string): string | undefined {
  if (field === "name") return record.name;
  if (field === "locale") return record.locale;
  return record.customAttributes?.[field];
}

function sameFields(
  record: UserRecord,
  change: ProfileChange,
  expected: (field: string) => unknown,
): boolean {
  return change.changes.every((field) => profileValue(record, field) === expected(field));
}

/**
 * The audit details of a profile edit: the changed field names, and their values before and
 * after, except the name, which is personal (the audit log outlives the profile by months and
 * is read by everyone with `audit:read`): for it only that it changed. The locale and the
 * editable attributes (organisational data the app chose to let admins set) keep their values.
 * `before`/`after` are not among the details a scrub keeps, so an erasure removes them.
 */
export function profileAuditDetails(record: UserRecord, change: ProfileChange): Record<string, unknown> {
  const valued = change.changes.filter((field) => field !== "name");
  return {
    changes: change.changes,
    ...(change.cleared.length > 0 ? { cleared: change.cleared } : {}),
    ...(valued.length > 0
      ? {
          before: Object.fromEntries(valued.map((field) => [field, profileValue(record, field) ?? null])),
          after: Object.fromEntries(valued.map((field) => [field, valueAfter(change, field) ?? null])),
        }
      : {}),
  };
}

/** The editable custom attributes of a Cognito user, as the record mirrors them. */
export function customAttributesOf(
  config: Pick<LifecycleConfig, "admin">,
  attributes: Record<string, string>,
): Record<string, string> | undefined {
  const present = config.admin.editableAttributes.flatMap((name) =>
    attributes[name] !== undefined && attributes[name] !== "" ? [[name, attributes[name]]] : [],
  );
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/** Whether two attribute maps hold the same values, whatever their order (absent = none). */
export function sameAttributes(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const entries = (map: Record<string, string> | undefined) =>
    JSON.stringify(Object.entries(map ?? {}).sort());
  return entries(a) === entries(b);
}
