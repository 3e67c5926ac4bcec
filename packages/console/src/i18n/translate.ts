import { de } from "./de.ts";
import { en } from "./en.ts";
import { es } from "./es.ts";
import type { Message, MessageKey, Translation, ValuesArg } from "./messages.ts";

/** Every language the console is written in. A configured locale uses its own, or its language's. */
export const catalogues: Readonly<Record<string, Translation>> = { en, de, es };

/** The catalogue for `locale`: exact (`de-AT`), then its language (`de`), then English. */
export function catalogueFor(locale: string): Translation {
  return catalogues[locale] ?? catalogues[languageOf(locale)] ?? en;
}

/** Whether the console has text in `locale`'s language (so it may offer it). */
export function hasCatalogue(locale: string): boolean {
  return Boolean(catalogues[locale] ?? catalogues[languageOf(locale)]);
}

function languageOf(locale: string): string {
  return locale.split("-")[0]?.toLowerCase() ?? locale;
}

const cache = new Map<string, Intl.PluralRules | Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.PluralRules | Intl.NumberFormat | Intl.DateTimeFormat>(
  key: string,
  make: () => T,
): T {
  let found = cache.get(key);
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found as T;
}

export function formatNumber(locale: string, value: number): string {
  return cached(`number|${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

/** A readable date and time in `locale`; an unreadable value is shown as it is. */
export function formatDateTime(locale: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = cached(
    `date|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
  );
  return format.format(date);
}

/** The text of a message: its plural form for `count` when it has forms. */
function pick(locale: string, message: Message, count: unknown): string {
  if (typeof message === "string") return message;
  const category =
    typeof count === "number"
      ? cached(`plural|${locale}`, () => new Intl.PluralRules(locale)).select(count)
      : "other";
  return message[category] ?? message.other;
}

const placeholder = /\{([A-Za-z]+)\}/g;

/**
 * The message split at its placeholders, each replaced by its value: strings stay strings,
 * numbers are formatted for the locale, anything else (a React element) is passed through.
 */
export function messageParts<Value>(
  locale: string,
  key: MessageKey,
  values: Readonly<Record<string, Value | string | number>> = {},
): (string | Value)[] {
  const text = pick(locale, catalogueFor(locale)[key] ?? en[key], values.count);
  const parts: (string | Value)[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    const value = values[match[1] as string];
    if (value === undefined) continue;
    parts.push(
      text.slice(last, match.index),
      typeof value === "number" ? formatNumber(locale, value) : value,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== "");
}

/** The message for `key` in `locale`, as one string. */
export function translate<Key extends MessageKey>(
  locale: string,
  key: Key,
  ...values: ValuesArg<Key>
): string {
  return messageParts<string>(locale, key, values[0] as Record<string, string | number> | undefined).join("");
}

/** The `{name}`s a message text uses (the tests compare each translation's with English's). */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === "string" ? [message] : Object.values(message);
  return [
    ...new Set(texts.flatMap((text) => [...(text ?? "").matchAll(placeholder)].map((m) => m[1] as string))),
  ].sort();
}
