const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A readable local date and time; the exact ISO value stays in `<time dateTime>` and its tooltip. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
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
    return value.length === 0 ? "none" : value.join(", ");
  }
  return JSON.stringify(value);
}

export function describeCount(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
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
