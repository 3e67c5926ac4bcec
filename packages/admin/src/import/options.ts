import { createHash } from "node:crypto";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import { type CredentialAlgorithm, credentialAlgorithms } from "@cognito-lifecycle/core/passwords/formats";
import { parseImportFile } from "./index.ts";
import { type WithoutHash, withoutHashChoices } from "./run.ts";
import type { ImportFormat, ImportParseResult } from "./types.ts";

export const importFormats = ["auth0", "firebase", "csv", "json"] as const satisfies readonly ImportFormat[];

/** One import as the CLI and the API take it: the file and every option that decides outcomes. */
export interface ImportRequest {
  text: string;
  format: ImportFormat;
  roleMapping?: Record<string, string[]>;
  firebaseHashConfig?: unknown;
  hashAlgorithm?: CredentialAlgorithm;
  withoutHash: WithoutHash;
}

/** A wrong option value: the message names the option. */
export class ImportOptionError extends Error {}

export function importFormatOf(value: string | undefined): ImportFormat {
  if (!(importFormats as readonly (string | undefined)[]).includes(value))
    throw new ImportOptionError(`--format must be one of ${importFormats.join(", ")}`);
  return value as ImportFormat;
}

export function withoutHashOf(value: string | undefined): WithoutHash {
  if (value === undefined) return "skip";
  if (!(withoutHashChoices as readonly string[]).includes(value))
    throw new ImportOptionError(`--without-hash must be one of ${withoutHashChoices.join(", ")}`);
  return value as WithoutHash;
}

export function hashAlgorithmOf(value: string | undefined): CredentialAlgorithm | undefined {
  if (value === undefined) return undefined;
  if (!(credentialAlgorithms as readonly string[]).includes(value))
    throw new ImportOptionError(`--hash-algorithm must be one of ${credentialAlgorithms.join(", ")}`);
  return value as CredentialAlgorithm;
}

/**
 * A role map, old role -> our roles: a JSON object (`{"Admin": ["admin"]}`, from a file or the
 * API) or the inline form `Admin=admin;owner=admin,member` (`;` between old roles, `,` between ours).
 */
export function roleMapOf(value: unknown): Record<string, string[]> {
  if (typeof value === "string") {
    const map: Record<string, string[]> = {};
    for (const entry of value
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [oldRole, ours] = entry.split("=");
      if (!oldRole?.trim() || ours === undefined)
        throw new ImportOptionError(`--role-map entry "${entry}" is not old=ours[,ours]`);
      map[oldRole.trim()] = ours
        .split(",")
        .map((role) => role.trim())
        .filter(Boolean);
    }
    return map;
  }
  const valid =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((roles) => Array.isArray(roles) && roles.every((r) => typeof r === "string"));
  if (!valid) throw new ImportOptionError('the role map must be {"old role": ["our role", ...]}');
  return value as Record<string, string[]>;
}

/**
 * Validates every record against the config's roles (nothing is written here). Old roles map
 * through the request's role map, else through `migration.roleMap`, as the trigger's do.
 */
export function validateImport(request: ImportRequest, config: LifecycleConfig): ImportParseResult {
  return parseImportFile(request.text, {
    format: request.format,
    knownRoles: Object.keys(config.roles),
    roleMapping: request.roleMapping ?? config.migration.roleMap,
    ...(request.firebaseHashConfig !== undefined ? { firebaseHashConfig: request.firebaseHashConfig } : {}),
    ...(request.hashAlgorithm ? { hashAlgorithm: request.hashAlgorithm } : {}),
  });
}

/** Identifies the options a resumed run must share with the run it continues. */
export function settingsKey(request: ImportRequest): string {
  const { text: _text, ...settings } = request;
  return createHash("sha256").update(JSON.stringify(settings)).digest("hex").slice(0, 16);
}

/** `import:auth0`, ...: the origin written into each credential item and audit entry. */
export const importOrigin = (format: ImportFormat) => `import:${format}`;
