import type { PasswordCredential } from "@cognito-lifecycle/core/passwords/formats";

export type ImportFormat = "auth0" | "firebase" | "csv" | "json";

/** One user ready to import: validated, email canonical, roles already ours. */
export interface ImportUser {
  /** 1-based line where the user's record starts in the file. */
  line: number;
  /** The old system's id (`user_id`, `localId`, `id`), for the summary and the audit trail. */
  sourceId?: string;
  email: string;
  emailVerified: boolean;
  name?: string;
  locale?: string;
  roles: string[];
  disabled: boolean;
  /** Absent when the old system had no usable hash: pre-create with a forced reset, or skip. */
  credential?: PasswordCredential;
}

/** A problem with one record (`line`, `index` into the file's user list) or with the whole file. */
export interface ImportProblem {
  line?: number;
  index?: number;
  field?: string;
  message: string;
}

export interface ImportOptions {
  format: ImportFormat;
  /** Old role or group name -> our roles. Old roles not listed are dropped. */
  roleMapping?: Record<string, readonly string[]>;
  /** Our role names; a mapping to anything else is refused before any row is read. */
  knownRoles?: readonly string[];
  /** Firebase: the project's password hash parameters (console or `--hash-config`). */
  firebaseHashConfig?: unknown;
  /** CSV/JSON: the algorithm every `password_hash` must be in (self-describing strings). */
  hashAlgorithm?: PasswordCredential["algorithm"];
}

export interface ImportParseResult {
  users: ImportUser[];
  /** Empty means every record is valid; otherwise nothing should be imported. */
  problems: ImportProblem[];
}
