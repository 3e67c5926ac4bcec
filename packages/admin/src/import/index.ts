import {
  CredentialError,
  type FirebaseHashConfig,
  readFirebaseHashConfig,
} from "@cognito-lifecycle/core/passwords/formats";
import { readCsv } from "./csv-reader.ts";
import { auth0User, firebaseUser, plainUser } from "./formats.ts";
import { arrayElementLines } from "./json-lines.ts";
import { RecordProblems } from "./record.ts";
import type { ImportOptions, ImportParseResult, ImportProblem, ImportUser } from "./types.ts";

export { readCsv } from "./csv-reader.ts";
export type { ImportFormat, ImportOptions, ImportParseResult, ImportProblem, ImportUser } from "./types.ts";

type Json = Record<string, unknown>;
type ReadUser = (record: Json, problems: RecordProblems) => ImportUser | undefined;

/**
 * Parses and validates a whole import file before anything is written: every record is read,
 * every problem is reported with its line (and index for JSON), and duplicate emails are refused.
 * Callers import nothing unless `problems` is empty.
 */
export function parseImportFile(text: string, options: ImportOptions): ImportParseResult {
  const fileProblems = checkOptions(options);
  if (fileProblems.length > 0) return { users: [], problems: fileProblems };
  try {
    const records =
      options.format === "csv" ? csvRecords(text) : jsonRecords(text, options.format === "firebase");
    const hashConfig = firebaseConfig(options);
    const read: ReadUser =
      options.format === "auth0"
        ? (record, problems) => auth0User(record, problems, options)
        : options.format === "firebase"
          ? (record, problems) => firebaseUser(record, problems, options, hashConfig)
          : (record, problems) => plainUser(record, problems, options);
    return validateAll(records, read);
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof CredentialError) {
      return {
        users: [],
        problems: [{ ...(error instanceof ImportFileError ? error.at : {}), message: error.message }],
      };
    }
    throw error;
  }
}

class ImportFileError extends Error {
  constructor(
    message: string,
    readonly at: { line?: number } = {},
  ) {
    super(message);
  }
}

interface FileRecord {
  line: number;
  index?: number;
  value: unknown;
  /** Set when the record is unreadable as a whole (a CSV row with the wrong field count). */
  problem?: string;
}

function validateAll(records: FileRecord[], read: ReadUser): ImportParseResult {
  const users: ImportUser[] = [];
  const problems: ImportProblem[] = [];
  const firstLineByEmail = new Map<string, number>();
  for (const record of records) {
    const recordProblems = new RecordProblems(record.line, record.index);
    const isObject =
      typeof record.value === "object" && record.value !== null && !Array.isArray(record.value);
    const user = record.problem
      ? recordProblems.add("", record.problem)
      : isObject
        ? read(record.value as Json, recordProblems)
        : recordProblems.add("", "must be an object");
    const duplicateOf = user ? firstLineByEmail.get(user.email) : undefined;
    if (user && duplicateOf !== undefined) {
      recordProblems.add("email", `repeats the email on line ${duplicateOf}`);
    } else if (user) {
      firstLineByEmail.set(user.email, user.line);
      users.push(user);
    }
    problems.push(...recordProblems.problems);
  }
  if (records.length === 0) problems.push({ message: "the file holds no users" });
  return { users: problems.length > 0 ? [] : users, problems };
}

function jsonRecords(text: string, firebase: boolean): FileRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/u, ""));
  } catch (error) {
    throw new ImportFileError(`the file is not valid JSON (${(error as Error).message})`);
  }
  const list = firebase ? (parsed as { users?: unknown } | null)?.users : parsed;
  if (!Array.isArray(list)) {
    throw new ImportFileError(
      firebase ? 'the file must be {"users": [...]}' : "the file must be a JSON array of users",
    );
  }
  const lines = arrayElementLines(text, firebase ? "users" : undefined);
  return list.map((value: unknown, index) => ({ line: lines[index] ?? 1, index, value }));
}

function csvRecords(text: string): FileRecord[] {
  let rows: ReturnType<typeof readCsv>;
  try {
    rows = readCsv(text);
  } catch (error) {
    throw new ImportFileError((error as Error).message);
  }
  const [header, ...body] = rows;
  const columns = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  if (!columns.includes("email"))
    throw new ImportFileError("the header row must name an email column", { line: 1 });
  return body.map((row) => {
    if (row.fields.length !== columns.length) {
      return {
        line: row.line,
        value: undefined,
        problem: `has ${row.fields.length} fields, the header has ${columns.length}`,
      };
    }
    return { line: row.line, value: Object.fromEntries(columns.map((column, i) => [column, row.fields[i]])) };
  });
}

function firebaseConfig(options: ImportOptions): FirebaseHashConfig | undefined {
  return options.format === "firebase" && options.firebaseHashConfig !== undefined
    ? readFirebaseHashConfig(options.firebaseHashConfig)
    : undefined;
}

/** The role mapping must only name roles we know. */
function checkOptions(options: ImportOptions): ImportProblem[] {
  if (!options.knownRoles) return [];
  const known = new Set(options.knownRoles);
  return Object.entries(options.roleMapping ?? {}).flatMap(([oldRole, roles]) =>
    roles
      .filter((role) => !known.has(role))
      .map((role) => ({ message: `role mapping ${oldRole} -> ${role}: unknown role ${role}` })),
  );
}
