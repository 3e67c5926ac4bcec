import { localeStore, t } from "./i18n/locale.ts";
import { formatDateTime as formatDateTimeIn } from "./i18n/translate.ts";

/** A readable date and time in the console's locale (components use `useI18n().dateTime`). */
export function formatDateTime(iso: string): string {
  return formatDateTimeIn(localeStore.getLocale(), iso);
}

export function formatDetails(details: Record<string, unknown> | undefined): string {
  if (!details || Object.keys(details).length === 0) return "";
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${detailValue(value)}`)
    .join("; ");
}

function detailValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
    return value.length === 0 ? t("common.none") : value.join(", ");
  }
  return JSON.stringify(value);
}

/** Records in a CSV text: line breaks inside quoted values do not start a record. */
export function csvRecordCount(text: string): number {
  let records = 0;
  let quoted = false;
  let empty = true;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === "\n" && !quoted) {
      if (!empty) records += 1;
      empty = true;
    } else if (char !== "\r") {
      empty = false;
    }
  }
  return empty ? records : records + 1;
}
