import type { MessageKind } from "@cognito-lifecycle/core";
import { de } from "./locales/de.ts";
import { en } from "./locales/en.ts";
import { es } from "./locales/es.ts";

type ActionKind = Exclude<MessageKind, "authentication">;
type CodeKind = Exclude<MessageKind, "welcome" | "accountTakeOver">;

/** Every string a message uses. Kinds without a button have no `action`; only welcome and the take-over notice have `detail`. */
export type CopyKey =
  | "common.greeting"
  | "common.greetingNoName"
  | "common.help"
  | `${MessageKind}.${"subject" | "preheader" | "heading" | "intro" | "note" | "sms"}`
  | `${CodeKind}.codeLabel`
  | `${ActionKind}.action`
  | "adminCreateUser.usernameLabel"
  | "welcome.detail"
  | "accountTakeOver.detail";

/** A complete catalog: English. */
export type Catalog = Readonly<Record<CopyKey, string>>;
/** Any other locale: a missing (or empty) string falls back to English on its own. */
export type Translation = Readonly<Partial<Record<CopyKey, string>>>;
export type Catalogs = Readonly<{ en: Catalog } & Record<string, Translation>>;

export const catalogs: Catalogs = { en, de, es };

/**
 * The `{token}`s a string may use. `{code}` and `{username}` are Cognito's placeholders and
 * appear only in the SMS: in the HTML they have a place of their own.
 */
export function allowedTokens(key: CopyKey): readonly string[] {
  if (key === "common.greeting") return ["name"];
  if (key === "common.greetingNoName" || key === "common.help") return [];
  if (key === "welcome.detail") return ["product", "email"];
  if (key === "welcome.note") return ["product", "appUrl"];
  if (key === "accountTakeOver.detail") return ["time", "device", "location", "ip"];
  if (key === "adminCreateUser.sms") return ["product", "code", "username"];
  if (key.endsWith(".sms") && key !== "welcome.sms") return ["product", "code"];
  return ["product"];
}

const tokenPattern = /\{([A-Za-z]+)\}/g;

export function tokensOf(text: string): string[] {
  return [...text.matchAll(tokenPattern)].map((match) => match[1] as string);
}

/** The string for `key` in `locale`: exact locale, then its language, then English. */
export function lookup(all: Catalogs, locale: string, key: CopyKey): string {
  const language = locale.split("-")[0] ?? locale;
  return all[locale]?.[key] || all[language]?.[key] || all.en[key];
}

/** The catalog whose language a message in `locale` is mostly written in (for `lang`). */
export function catalogLanguage(all: Catalogs, locale: string): string {
  if (all[locale]) return locale;
  const language = locale.split("-")[0] ?? locale;
  return all[language] ? language : "en";
}

/**
 * Replaces each `{token}` with its value. Literal text and values go through separate
 * functions, so HTML can escape the catalog text and escape user values harder.
 */
export function interpolate(
  text: string,
  values: Readonly<Record<string, string>>,
  literal: (value: string) => string = (value) => value,
): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(tokenPattern)) {
    const token = match[1] as string;
    const value = values[token];
    if (value === undefined) continue;
    result += literal(text.slice(last, match.index)) + value;
    last = match.index + match[0].length;
  }
  return result + literal(text.slice(last));
}
