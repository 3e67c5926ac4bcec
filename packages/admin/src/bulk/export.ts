import { listingFields, type UserSummary } from "@cognito-lifecycle/aws";
import { csvHeader, csvRow } from "../csv.ts";
import { auditJob } from "../job-audit.ts";
import type { AdminRuntime } from "../runtime.ts";
import { type BulkTarget, isFilterTarget, uniqueSubs } from "./plan.ts";

/** CSV (with the UTF-8 byte-order mark of every export) or JSON lines of the listing's fields. */
export const exportFormats = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportMediaTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
};

/** One JSON line: exactly the CSV's columns, so both formats carry the same data. */
function jsonLine(user: UserSummary): string {
  const row = Object.fromEntries(
    listingFields.filter((field) => user[field] !== undefined).map((field) => [field, user[field]]),
  );
  return `${JSON.stringify(row)}\n`;
}

/** The target's users, a page at a time: the directory's listing, or a selection 100 subs per read. */
async function* targetPages(runtime: AdminRuntime, target: BulkTarget): AsyncGenerator<UserSummary[]> {
  if (isFilterTarget(target)) {
    yield* runtime.directory.eachUserPage(target.filter);
    return;
  }
  const subs = uniqueSubs(target.subs);
  for (let start = 0; start < subs.length; start += 100) {
    const chunk = subs.slice(start, start + 100);
    const records = await runtime.directory.getMany(chunk);
    const users = chunk.map((sub) => records.get(sub)).filter((user) => user !== undefined);
    if (users.length > 0) yield users;
  }
}

/** The export's text in chunks: the header (CSV), then one chunk per page; `count` says how many rows. */
export async function* exportChunks(
  runtime: AdminRuntime,
  target: BulkTarget,
  format: ExportFormat,
  tally: { count: number } = { count: 0 },
): AsyncGenerator<string> {
  if (format === "csv") yield csvHeader();
  for await (const users of targetPages(runtime, target)) {
    tally.count += users.length;
    yield users.map(format === "csv" ? csvRow : jsonLine).join("");
  }
}

/** A bulk export in the audit trail (`bulk.exported` under `bulk:<id>`): who, what, how many rows. */
export function auditExport(
  runtime: AdminRuntime,
  entry: { id: string; actor: string; target: BulkTarget; format: ExportFormat; users: number },
): Promise<void> {
  const { target } = entry;
  return auditJob(runtime, {
    subject: `bulk:${entry.id}`,
    actor: entry.actor,
    action: "bulk.exported",
    details: {
      format: entry.format,
      users: entry.users,
      ...(isFilterTarget(target) ? { filter: target.filter } : { subs: uniqueSubs(target.subs).length }),
    },
  });
}
