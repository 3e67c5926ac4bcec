/**
 * The one error model. Every error of ours extends `LifecycleError` and carries a stable `code`,
 * an optional HTTP `status` (none: a server-side failure, 500) and `expose`: whether its message
 * may be shown to whoever made the request (middy's convention; 4xx errors are exposed unless they
 * say otherwise). `reason` is for the log only. `describeError` turns any error into what the API,
 * the CLI and the logs show. A `UserFacingError` is the only kind whose message may reach a user
 * of a trigger (Cognito shows it as `<Trigger> failed with error <message>.`).
 */
export interface LifecycleErrorOptions {
  code?: string;
  status?: number;
  expose?: boolean;
  /** Why, for the log. Never a token, password, code or full email. */
  reason?: string;
  cause?: unknown;
}

export class LifecycleError extends Error {
  override readonly name: string = "LifecycleError";
  readonly code: string;
  readonly status: number | undefined;
  readonly expose: boolean;
  readonly reason: string | undefined;
  constructor(message: string, options: LifecycleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "internal";
    this.status = options.status;
    this.expose = options.expose ?? (options.status !== undefined && options.status < 500);
    this.reason = options.reason;
  }

  /** The sentence a caller reads when the message itself is not exposed. */
  get publicMessage(): string {
    return this.expose ? this.message : genericMessage;
  }

  /** Fields an API answer adds beside `error` and `message` (such as `fields`, `current`). */
  details(): Record<string, unknown> {
    return {};
  }
}

const genericMessage = "Something went wrong; try again.";

/** The configuration is invalid. The message names every bad field. */
export class ConfigError extends LifecycleError {
  override readonly name = "ConfigError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: "config_invalid" });
  }
}

/** An event did not carry what the trigger needs. Nothing was written. */
export class MalformedEventError extends LifecycleError {
  override readonly name = "MalformedEventError";
  constructor(
    readonly triggerSource: string,
    readonly issues: string[],
  ) {
    super(`Malformed ${triggerSource || "trigger"} event: ${issues.join("; ")}`, {
      code: "malformed_event",
    });
  }
}

/** Message keys that a user may see, translated by `userMessage`. */
export type UserMessageKey =
  | "signUpNotAllowed"
  | "emailDomainNotAllowed"
  | "disposableEmail"
  | "inviteOnly"
  | "invalidEmail"
  | "accountDisabled"
  | "temporarilyUnavailable";

export class UserFacingError extends LifecycleError {
  override readonly name = "UserFacingError";
  constructor(
    /** Already translated, short, safe to show. */
    readonly userMessage: string,
    readonly key: UserMessageKey,
    /** For the log only. */
    override readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, { ...options, code: "refused", expose: true, reason });
  }
}

/** The user store could not be reached in time. */
export class StoreUnavailableError extends LifecycleError {
  override readonly name = "StoreUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: "store_unavailable" });
  }
}

/** An optimistic version check failed: somebody else changed the record first. */
export class VersionConflictError extends LifecycleError {
  override readonly name = "VersionConflictError";
  constructor(
    readonly sub: string,
    readonly expected: number,
  ) {
    super(`User ${sub} changed since version ${expected}`, { code: "version_conflict" });
  }
}

/**
 * A write that had to leave another user active with a role (the last-admin safeguard) found,
 * in the same transaction, that they no longer are.
 */
export class RoleHolderChangedError extends LifecycleError {
  override readonly name = "RoleHolderChangedError";
  constructor(
    readonly sub: string,
    readonly role: string,
  ) {
    super(`User ${sub} is no longer an active ${role}`, { code: "role_holder_changed" });
  }
}

export class UserNotFoundError extends LifecycleError {
  override readonly name = "UserNotFoundError";
  constructor(readonly sub: string) {
    super(`No user record for ${sub}`, { code: "user_not_found" });
  }
}

/** What the API answers, the CLI prints and the logs record for one error. */
export interface ErrorDescription {
  /** Stable code; the API shows `internal` for every server-side failure. */
  code: string;
  /** The HTTP status to answer with: the error's own, else 500. */
  status: number;
  /** What a caller may read: the message when exposed, else a fixed sentence. */
  message: string;
  /** Extra fields of the API answer (`fields`, `current`). */
  details: Record<string, unknown>;
  /** The one line an operator reads (CLI): our own message with its fields, or what failed. */
  detail: string;
  /** Structured log fields: never a foreign error's message (SDK messages can quote addresses). */
  log: { error: string; code: string; reason?: string; message?: string };
}

/** A readable one-liner from field errors (`roles.1: unknown role; reason: required`). */
export function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([path, message]) => `${path}: ${message}`)
    .join("; ");
}

/** The one place an error becomes an API answer, a CLI line and log fields. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof LifecycleError) {
    const status = error.status ?? 500;
    const details = error.details();
    const fields = details.fields as Record<string, string> | undefined;
    const extra =
      fields && Object.values(fields).some((text) => text !== error.message)
        ? ` (${describeFields(fields)})`
        : "";
    return {
      code: status < 500 ? error.code : "internal",
      status,
      message: error.publicMessage,
      details,
      // The table module wraps SDK failures: what failed (no table, unreachable) is its cause.
      detail:
        error instanceof StoreUnavailableError && error.cause !== undefined
          ? describeError(error.cause).detail
          : `${error.message}${extra}`,
      log: {
        error: error.name,
        code: error.code,
        message: error.message,
        ...(error.reason === undefined ? {} : { reason: error.reason }),
      },
    };
  }
  const foreign = foreignError(error);
  return {
    code: "internal",
    status: 500,
    message: genericMessage,
    details: {},
    detail: foreign.detail,
    log: { error: foreign.name, code: foreign.code },
  };
}

/** SDK and Node errors we recognise by name or code; anything else is named as it is. */
function foreignError(error: unknown): { name: string; code: string; detail: string } {
  const name = (error as Error)?.name ?? "Error";
  const message = (error as Error)?.message ?? String(error);
  if (name === "ResourceNotFoundException") {
    return { name, code: "resource_not_found", detail: `the user table does not exist (${message})` };
  }
  if (
    ["ECONNREFUSED", "TimeoutError"].includes(name) ||
    (error as { code?: string })?.code === "ECONNREFUSED"
  ) {
    return {
      name,
      code: "unreachable",
      detail: `could not reach AWS or the local stack (${message}); is it running?`,
    };
  }
  return { name, code: "internal", detail: `${name}: ${message}` };
}
