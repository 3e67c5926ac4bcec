import type { UserRecord } from "../../../types.ts";

/** What `GET /roles` says the profile form may offer. */
export interface ProfileFields {
  locales: string[];
  editableAttributes: string[];
}

/** The form's values: name, locale and each editable attribute, as text ("" when not set). */
export type Draft = Record<string, string>;

/** The body of `PATCH /users/{sub}/profile` without the version: a value sets a field, `null` clears it. */
export interface ProfileEdit {
  name?: string | null;
  locale?: string | null;
  attributes?: Record<string, string | null>;
}

export const valuesOf = (user: UserRecord, attributes: readonly string[]): Draft => ({
  name: user.name ?? "",
  locale: user.locale ?? "",
  ...Object.fromEntries(attributes.map((name) => [name, user.customAttributes?.[name] ?? ""])),
});

/**
 * The fields whose value differs from the record's, as the API takes them. A field the admin
 * emptied is cleared (`null`): every profile field is optional, so an empty one means "none".
 */
export function editOf(draft: Draft, base: Draft, attributes: readonly string[]): ProfileEdit {
  const differs = (field: string) => (draft[field] ?? "").trim() !== (base[field] ?? "");
  const sent = (field: string) => {
    const value = draft[field] ?? "";
    return value.trim() === "" ? null : value;
  };
  const changed = attributes.filter(differs);
  return {
    ...(differs("name") ? { name: sent("name") } : {}),
    ...(differs("locale") ? { locale: sent("locale") } : {}),
    ...(changed.length > 0
      ? { attributes: Object.fromEntries(changed.map((name) => [name, sent(name)])) }
      : {}),
  };
}

/** Where the API names a field's problem: `name`, `locale`, `attributes.custom:x`. */
export const errorKeyOf = (field: string) =>
  field === "name" || field === "locale" ? field : `attributes.${field}`;
