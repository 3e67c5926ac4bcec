import type { UserSummary } from "./directory.ts";

export const csvColumns = [
  "sub",
  "email",
  "name",
  "roles",
  "status",
  "source",
  "createdAt",
  "lastSignInAt",
] as const;

/**
 * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula (it starts with
 * `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, since names and emails are
 * user-supplied.
 */
export function csvField(value: string | undefined): string {
  if (value === undefined || value === "") return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return `${csvColumns.join(",")}\r\n`;
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
