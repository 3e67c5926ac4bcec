/**
 * Typed errors. A `UserFacingError` is the only kind whose message may reach a user (Cognito
 * shows a thrown trigger error to the client as `<Trigger> failed with error <message>.`);
 * every error also carries an internal reason for the log, which never reaches the user.
 */
export class LifecycleError extends Error {
  override readonly name: string = "LifecycleError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The configuration is invalid. The message names every bad field. */
export class ConfigError extends LifecycleError {
  override readonly name = "ConfigError";
}

/** An event did not carry what the trigger needs. Nothing was written. */
export class MalformedEventError extends LifecycleError {
  override readonly name = "MalformedEventError";
  constructor(
    readonly triggerSource: string,
    readonly issues: string[],
  ) {
    super(`Malformed ${triggerSource || "trigger"} event: ${issues.join("; ")}`);
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
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

/** The user store could not be reached in time. */
export class StoreUnavailableError extends LifecycleError {
  override readonly name = "StoreUnavailableError";
}

/** An optimistic version check failed: somebody else changed the record first. */
export class VersionConflictError extends LifecycleError {
  override readonly name = "VersionConflictError";
  constructor(
    readonly sub: string,
    readonly expected: number,
  ) {
    super(`User ${sub} changed since version ${expected}`);
  }
}

export class UserNotFoundError extends LifecycleError {
  override readonly name = "UserNotFoundError";
  constructor(readonly sub: string) {
    super(`No user record for ${sub}`);
  }
}
