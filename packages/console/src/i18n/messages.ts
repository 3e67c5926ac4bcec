import type { en } from "./en.ts";

/** A message whose words depend on a number: one form per plural category the language uses. */
export type PluralMessage = Readonly<Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>;

/** A sentence with `{name}` placeholders, or its plural forms (which get `{count}`). */
export type Message = string | PluralMessage;

/** English, the source of truth: every key the console uses, with its English message. */
export type MessageKey = keyof typeof en;

/**
 * Another language: every English key, no other (a missing or extra key fails typecheck). Its
 * messages may use plural forms where English does not, and other categories (`few`, `many`).
 */
export type Translation = { readonly [Key in MessageKey]: Message };

type PlaceholdersIn<Text> = Text extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholdersIn<Rest>
  : never;

/** The `{name}`s an English message uses; a plural message always gets `count`. */
export type PlaceholderOf<Key extends MessageKey> = (typeof en)[Key] extends string
  ? PlaceholdersIn<(typeof en)[Key]>
  : PlaceholdersIn<Exclude<(typeof en)[Key][keyof (typeof en)[Key]], undefined>> | "count";

/** A message without placeholders. */
export type PlainKey = {
  [Key in MessageKey]: [PlaceholderOf<Key>] extends [never] ? Key : never;
}[MessageKey];

/** A placeholder's value: numbers are formatted for the locale; `count` picks the plural form. */
export type Values<Key extends MessageKey, Value = string | number> = {
  readonly [Name in PlaceholderOf<Key>]: Name extends "count" ? number : Value;
};

/** `t(key)` for a message without placeholders, `t(key, values)` for one with. */
export type ValuesArg<Key extends MessageKey, Value = string | number> = [PlaceholderOf<Key>] extends [never]
  ? []
  : [values: Values<Key, Value>];
