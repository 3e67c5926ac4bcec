import type { UserRecord } from "@cognito-lifecycle/core";
import type * as z from "zod/mini";

export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "mfa_required"
  | "not_found"
  | "conflict"
  | "internal";

/** The JSON body of every error the admin API answers with. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  current?: UserRecord;
}

/** An admin operation refused for a reason the caller can act on. */
export class AdminError extends Error {
  override readonly name: string = "AdminError";
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

export class ValidationError extends AdminError {
  override readonly name = "ValidationError";
  constructor(
    readonly fields: Record<string, string>,
    message = "The request is not valid.",
  ) {
    super(400, "invalid_request", message);
  }

  override body(): ErrorBody {
    return { ...super.body(), fields: this.fields };
  }
}

export class NotFoundError extends AdminError {
  override readonly name = "NotFoundError";
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

export class ConflictError extends AdminError {
  override readonly name = "ConflictError";
  constructor(
    message: string,
    readonly current: UserRecord,
  ) {
    super(409, "conflict", message);
  }

  override body(): ErrorBody {
    return { ...super.body(), current: this.current };
  }
}

/** One message per bad field, keyed by its dotted path (`roles.1`, `limit`). */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        fields[[...issue.path.map(String), key].join(".")] = "is not a known field";
      continue;
    }
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
    fields[path] ??= issue.message;
  }
  return fields;
}

/** A readable one-liner from field errors, for the CLI. */
export function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([path, message]) => `${path}: ${message}`)
    .join("; ");
}
