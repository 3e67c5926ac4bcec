import { LifecycleError } from "../errors.ts";
import { chooseLocale } from "../i18n.ts";
import type { UserMigrationSource } from "./event.ts";

/** A user found in the old system (imported credentials or the legacy endpoint), already mapped. */
export interface LegacyUser {
  /** Canonical (normalised) email: also what the user types as username. */
  email: string;
  /** Only what the old system asserted; never inferred. */
  emailVerified: boolean;
  name?: string;
  /** As the old system stored it (`de_DE`, `es`); mapped to a supported locale. */
  locale?: string;
  /** Our roles, mapped from the old system's roles/groups by config. Never sent to Cognito. */
  roles: string[];
}

/** The `response` Cognito reads. Attribute values are strings. */
export interface MigrationResponse {
  userAttributes: Record<string, string>;
  finalUserStatus?: "CONFIRMED";
  messageAction: "SUPPRESS";
}

export type RefusalReason =
  | "unknown-user"
  | "wrong-password"
  | "missing-password"
  | "unverified-email"
  | "rate-limited"
  | "unusable-credential"
  | "disabled";

export type MigrationDecision =
  | { migrate: true; response: MigrationResponse; user: LegacyUser }
  | { migrate: false; reason: RefusalReason };

export interface MigrationInput {
  triggerSource: UserMigrationSource;
  /** Undefined when neither source knows the user. */
  legacyUser: LegacyUser | undefined;
  /** The verifier's answer for Authentication; ignored for ForgotPassword. */
  passwordVerified: boolean;
  locales: { supported: readonly string[]; default: string };
}

/**
 * Whether to migrate, and what Cognito should create. Authentication needs the old password to
 * verify; ForgotPassword needs an email the old system verified, because Cognito sends the
 * reset code there and an unverified address proves nothing about who owns the account.
 * The user is created confirmed and silent: no welcome message from Cognito.
 */
export function migrationDecision(input: MigrationInput): MigrationDecision {
  const { legacyUser: user } = input;
  if (!user) return { migrate: false, reason: "unknown-user" };
  if (input.triggerSource === "UserMigration_ForgotPassword") {
    if (!user.emailVerified) return { migrate: false, reason: "unverified-email" };
    return {
      migrate: true,
      user,
      response: { userAttributes: attributesOf(user, input), messageAction: "SUPPRESS" },
    };
  }
  if (!input.passwordVerified) return { migrate: false, reason: "wrong-password" };
  return {
    migrate: true,
    user,
    response: {
      userAttributes: attributesOf(user, input),
      finalUserStatus: "CONFIRMED",
      messageAction: "SUPPRESS",
    },
  };
}

function attributesOf(user: LegacyUser, input: MigrationInput): Record<string, string> {
  const name = user.name?.trim();
  return {
    email: user.email,
    ...(user.emailVerified ? { email_verified: "true" } : {}),
    ...(name ? { name: name.slice(0, 256) } : {}),
    ...(user.locale
      ? { locale: chooseLocale([user.locale], input.locales.supported, input.locales.default) }
      : {}),
  };
}

/**
 * Cognito's own wording for a failed sign-in. A thrown migration error reaches the client as
 * `UserNotFoundException` ("UserMigration failed with error <message>."), so every refusal
 * throws exactly this: an unknown user, a wrong password, an unverified email or a rate limit
 * all look the same to the caller.
 */
export const migrationRefusalMessage = "Incorrect username or password";

/** The one refusal. `reason` is for the log only; the message never varies. */
export class MigrationRefusedError extends LifecycleError {
  override readonly name = "MigrationRefusedError";
  constructor(override readonly reason: RefusalReason) {
    super(migrationRefusalMessage, { code: "migration_refused", reason });
  }
}
