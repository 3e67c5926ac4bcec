import { isCanonicalEmail, isPlausibleEmail, normaliseEmail } from "@cognito-lifecycle/core";
import {
  CredentialError,
  checkCost,
  type PasswordCredential,
  parsePasswordHash,
} from "@cognito-lifecycle/core/passwords/formats";
import type { ImportOptions, ImportProblem, ImportUser } from "./types.ts";

/** Collects the problems of one record, each with the record's position. */
export class RecordProblems {
  readonly problems: ImportProblem[] = [];
  constructor(
    readonly line: number,
    readonly index?: number,
  ) {}

  add(field: string, message: string): undefined {
    this.problems.push({
      line: this.line,
      ...(this.index === undefined ? {} : { index: this.index }),
      field,
      message,
    });
    return undefined;
  }

  /**
   * Runs `parse` and checks the cost limits the migration trigger verifies under (a hash it would
   * refuse is refused here, naming the parameter); a `CredentialError` becomes a problem on
   * `field`, anything else propagates.
   */
  credential(field: string, parse: () => PasswordCredential): PasswordCredential | undefined {
    try {
      const credential = parse();
      checkCost(credential);
      return credential;
    } catch (error) {
      if (error instanceof CredentialError) return this.add(field, error.message);
      throw error;
    }
  }
}

/** Trimmed, canonical (NFKC) and plausible, then normalised the way sign-up compares emails. */
export function importEmail(raw: unknown, problems: RecordProblems, field = "email"): string | undefined {
  if (typeof raw !== "string" || raw.trim() === "") return problems.add(field, "is required");
  const trimmed = raw.trim();
  if (!isCanonicalEmail(trimmed)) return problems.add(field, "is not in canonical Unicode form (NFKC)");
  const email = normaliseEmail(trimmed);
  if (!isPlausibleEmail(email)) return problems.add(field, "is not a valid email address");
  return email;
}

/** Old roles or groups -> ours, through the configured mapping only. */
export function mapRoles(oldRoles: readonly string[], options: ImportOptions): string[] {
  const mapping = options.roleMapping ?? {};
  return [
    ...new Set(oldRoles.flatMap((role) => (Object.hasOwn(mapping, role) ? (mapping[role] ?? []) : []))),
  ].sort();
}

/** A self-describing hash string, optionally held to the declared algorithm. */
export function hashString(
  value: string,
  problems: RecordProblems,
  options: ImportOptions,
  field = "password_hash",
): PasswordCredential | undefined {
  const credential = problems.credential(field, () => parsePasswordHash(value));
  if (credential && options.hashAlgorithm && credential.algorithm !== options.hashAlgorithm) {
    return problems.add(field, `is ${credential.algorithm}, not the declared ${options.hashAlgorithm}`);
  }
  return credential;
}

export function optionalString(value: unknown, field: string, problems: RecordProblems): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") return problems.add(field, "must be a string");
  return value.trim() || undefined;
}

export function optionalBoolean(value: unknown, field: string, problems: RecordProblems): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  problems.add(field, "must be true or false");
  return false;
}

export function joinName(given: string | undefined, family: string | undefined): string | undefined {
  return [given, family].filter(Boolean).join(" ") || undefined;
}

/** Builds the user when the record had no problems. */
export function finish(
  user: Omit<ImportUser, "email"> & { email: string | undefined },
  problems: RecordProblems,
) {
  if (problems.problems.length > 0 || user.email === undefined) return undefined;
  return { ...user, email: user.email } satisfies ImportUser;
}
