import { csvField, csvHeader, csvRow } from "@cognito-lifecycle/admin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyText } from "./support.ts";

/**
 * The admin CSV export against CSV injection (finding 8 of issue #12, OWASP's guidance): names
 * and emails are user-supplied, and a spreadsheet may split the file on `,`, `;`, tab or `|`
 * (by locale or import setting), honour quotes or not, and trim spaces. No cell it can make may
 * start a formula.
 */

/** Where a spreadsheet may start a cell or a row. */
const splitChars = new Set([",", ";", "\t", "|", "\r", "\n"]);
/** OWASP's formula starts, with their full-width forms. */
const formulaChars = new Set(["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]);

/** Every cell start (after skipped spaces and quotes) that would begin a formula. */
function formulaCells(text: string): string[] {
  const found: string[] = [];
  for (let index = 0; index < text.length; index++) {
    if (index > 0 && !splitChars.has(text[index - 1] as string)) continue;
    let start = index;
    while (start < text.length && /^[\p{Zs}"\uFEFF]$/u.test(text[start] as string)) start++;
    if (formulaChars.has(text[start] as string)) found.push(text.slice(index, index + 20));
  }
  return found;
}

/** RFC 4180 parse of one record with `,` as the delimiter. */
function parseRecord(line: string): string[] {
  const fields: string[] = [];
  let index = 0;
  while (index <= line.length) {
    if (line[index] === '"') {
      let value = "";
      index++;
      while (index < line.length) {
        if (line[index] === '"' && line[index + 1] === '"') {
          value += '"';
          index += 2;
        } else if (line[index] === '"') {
          index++;
          break;
        } else value += line[index++];
      }
      fields.push(value);
      index++; // the comma (or the end)
    } else {
      const end = line.indexOf(",", index);
      fields.push(line.slice(index, end === -1 ? line.length : end));
      index = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

/** Text rich in what matters here: delimiters, quotes, spaces and (full-width) formula starts. */
const hostile = fc.string({
  unit: fc.constantFrom(
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    ",",
    ";",
    "|",
    '"',
    "'",
    " ",
    "\u3000",
    "＝",
    "＋",
    "－",
    "＠",
    "a",
    "1",
    "é",
    "名",
  ),
  maxLength: 24,
});
const value = fc.oneof(hostile, anyText);

const user = fc.record({
  sub: fc.uuid(),
  email: value,
  name: value,
  roles: fc.array(fc.constantFrom("admin", "member", "=cmd", "support"), { maxLength: 3 }),
  status: fc.constantFrom("active", "disabled"),
  source: value,
  createdAt: fc.constant("2025-01-01T00:00:00.000Z"),
});

describe("CSV export against formula injection", () => {
  it("neutralises every formula start, in every field and every segment, quoted or not", () => {
    fc.assert(
      fc.property(user, (row) => {
        // The record's own CRLF ends it; what follows a CR inside a value is checked.
        // `source` is any text here, not only the values the store writes.
        const line = csvRow(row as Parameters<typeof csvRow>[0]);
        expect(formulaCells(csvHeader() + line.slice(0, -2))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips through an RFC 4180 parser: one record, the value plus only inserted `'`", () => {
    fc.assert(
      fc.property(value, (text) => {
        const field = csvField(text);
        const parsed = parseRecord(field);
        expect(parsed).toHaveLength(1);
        const [read] = parsed as [string];
        expect(read.replaceAll("'", "")).toBe(text.replaceAll("'", ""));
        expect(read.length - text.length).toBe(
          [...read].filter((c) => c === "'").length - [...text].filter((c) => c === "'").length,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("quotes every field holding a delimiter, quote, line break, tab or edge space", () => {
    fc.assert(
      fc.property(value, (text) => {
        const field = csvField(text);
        const quoted = field.startsWith('"') && field.endsWith('"') && field.length >= 2;
        if (!quoted) {
          expect(field).not.toMatch(/[",;\t|\r\n]/);
          expect(field).not.toMatch(/^\s|\s$/u);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("examples: a `;` locale, leading spaces, full-width signs, tabs, quotes", () => {
    expect(csvField("Bob;=1+1")).toBe(`"Bob;'=1+1"`);
    expect(csvField(" =cmd")).toBe("' =cmd");
    expect(csvField("＝1+1")).toBe("'＝1+1");
    expect(csvField("＠SUM(A1)")).toBe("'＠SUM(A1)");
    expect(csvField("\t=1")).toBe(`"'\t'=1"`);
    expect(csvField('a;"=1')).toBe(`"a;'""=1"`);
    expect(csvField("Ann, -2")).toBe(`"Ann,' -2"`);
    expect(csvField("trailing ")).toBe(`"trailing "`);
    expect(csvField("Zoë 名前")).toBe("Zoë 名前");
  });

  it("starts with a UTF-8 byte-order mark, so Excel reads non-Latin names", () => {
    expect(csvHeader()).toBe("\uFEFFsub,email,name,roles,status,source,createdAt,lastSignInAt\r\n");
    const bytes = Buffer.from(csvHeader(), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
