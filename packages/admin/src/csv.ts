import { listingFields, type UserSummary } from "@cognito-lifecycle/aws";

/** The export has exactly the columns of a listing row, in the same order. */
export const csvColumns = listingFields;

/** Excel reads a CSV without a byte-order mark as the local code page, garbling non-Latin names. */
const utf8Bom = "\uFEFF";

/** Characters some spreadsheet or import setting splits cells or rows on. */
const segmentBreak = /[,;\t|\r\n]/;

/**
 * A segment a spreadsheet would run as a formula (OWASP CSV injection): after optional spaces or
 * quotes, it starts with `=`, `+`, `-`, `@`, tab, carriage return or their full-width forms.
 */
const formulaStart = /^[\p{Zs}"]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** Prefixes `'` to the value and to every segment after a split character that starts a formula. */
function neutraliseFormulas(value: string): string {
  let out = "";
  let atSegmentStart = true;
  for (let index = 0; index < value.length; index++) {
    if (atSegmentStart && formulaStart.test(value.slice(index))) out += "'";
    const char = value[index] as string;
    out += char;
    atSegmentStart = segmentBreak.test(char);
  }
  return out;
}

/** A field that holds a delimiter, quote, line break, tab or edge space is quoted (RFC 4180). */
const needsQuotes = /[",;\t|\r\n]|^\s|\s$/u;

/**
 * One CSV field. Names and emails are user-supplied, so formulas are neutralised in every segment
 * a spreadsheet may split on (`Bob;=1+1` -> `"Bob;'=1+1"`), whichever delimiter its locale uses.
 */
export function csvField(value: string | undefined): string {
  if (value === undefined || value === "") return "";
  const safe = neutraliseFormulas(value);
  return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The first line of every export, after a UTF-8 byte-order mark. */
export function csvHeader(): string {
  return `${utf8Bom}${csvColumns.join(",")}\r\n`;
}

export function csvRow(user: UserSummary): string {
  const values: Record<(typeof csvColumns)[number], string | undefined> = {
    sub: user.sub,
    email: user.email,
    name: user.name,
    roles: (user.roles ?? []).join(";"),
    status: user.status,
    source: user.source,
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
  };
  return `${csvColumns.map((column) => csvField(values[column])).join(",")}\r\n`;
}
