import { type LastChange, LifecycleError, type UserRecord } from "@cognito-lifecycle/core";
import type * as z from "zod/mini";

export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "mfa_required"
  | "recent_sign_in_required"
  | "not_found"
  | "conflict"
  | "last_admin"
  | "confirmation_required"
  | "user_exists"
  | "internal";

/** The JSON body of every error the admin API answers with. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  current?: UserRecord;
  lastChange?: LastChange;
}

/** An admin operation refused for a reason the caller can act on (its message is shown). */
export class AdminError extends LifecycleError {
  override readonly name: string = "AdminError";
  declare readonly status: 400 | 404 | 409;
  declare readonly code: ErrorCode;
  constructor(status: 400 | 404 | 409, code: ErrorCode, message: string) {
    super(message, { status, code });
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

  override details(): Record<string, unknown> {
    return { fields: this.fields };
  }
}

export class NotFoundError extends AdminError {
  override readonly name = "NotFoundError";
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

export class ConflictError extends AdminError {
  override readonly name: string = "ConflictError";
  constructor(
    message: string,
    readonly current: UserRecord,
    /** Who changed the record last, when the conflict is a stale version. */
    readonly lastChange?: LastChange,
    code: ErrorCode = "conflict",
  ) {
    super(409, code, message);
  }

  override details(): Record<string, unknown> {
    return { current: this.current, ...(this.lastChange ? { lastChange: this.lastChange } : {}) };
  }
}

/** The change would leave no active user with the `admin` role. */
export class LastAdminError extends ConflictError {
  override readonly name = "LastAdminError";
  constructor(current: UserRecord, action: string) {
    super(
      `This user is the last active admin: ${action} would leave nobody able to administer users. Make another user an admin first.`,
      current,
      undefined,
      "last_admin",
    );
  }
}

/** A change to the caller's own account without `confirmSelf: true`. */
export class SelfChangeError extends AdminError {
  override readonly name = "SelfChangeError";
  constructor(action: string) {
    super(
      400,
      "confirmation_required",
      `This would ${action} your own account; confirm it with confirmSelf: true.`,
    );
  }

  override details(): Record<string, unknown> {
    return { fields: { confirmSelf: "must be true to change your own account" } };
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

/** An invitation for an email that already has a Cognito user (invite once, then resend). */
export class UserExistsError extends AdminError {
  override readonly name = "UserExistsError";
  constructor(message: string) {
    super(409, "user_exists", message);
  }
}
