import type { LifecycleConfig } from "./config/schema.ts";
import { normaliseEmail } from "./email.ts";

export type UserStatus = "active" | "disabled" | "deleted";
export type UserSource = "sign-up" | "admin-create" | "federated" | "reconcile" | "token-jit";

/**
 * Where the welcome email stands. `sending` is the claim a sender takes before calling SES, so
 * retries and concurrent invocations never send twice; `pending` is waiting for a retry by
 * reconcile; `failed` is a permanent rejection (bad address) and is not retried; `unknown` is a
 * send that may have reached SES (timed out, cut off, 5xx) and is never resent automatically.
 */
export type WelcomeEmailStatus = "sending" | "sent" | "pending" | "failed" | "skipped" | "unknown";

export interface WelcomeEmailState {
  status: WelcomeEmailStatus;
  at: string;
  attempts: number;
  messageId?: string;
  error?: string;
}

export interface LinkedIdentity {
  providerName: string;
  providerType?: string;
  userId?: string;
}

export interface UserRecord {
  sub: string;
  username: string;
  email?: string;
  /** Trimmed, NFC, lower-case: what searches and comparisons use. */
  emailNormalised?: string;
  emailVerified: boolean;
  name?: string;
  locale?: string;
  status: UserStatus;
  roles: string[];
  groups: string[];
  source: UserSource;
  identities: LinkedIdentity[];
  createdAt: string;
  confirmedAt?: string;
  lastSignInAt?: string;
  passwordChangedAt?: string;
  welcomeEmail?: WelcomeEmailState;
  version: number;
  updatedAt: string;
}

export function isTrue(value: string | undefined | null): boolean {
  return value === "true";
}

/**
 * Roles for a user we have never seen. The bootstrap admin role needs a verified email: an
 * unverified address proves nothing, and anyone could sign up with the admin's address.
 */
export function initialRoles(
  config: LifecycleConfig,
  email: string | undefined,
  emailVerified: boolean,
): string[] {
  const roles = new Set(config.defaultRoles);
  if (email && emailVerified && config.bootstrapAdmins.includes(normaliseEmail(email))) {
    roles.add("admin");
  }
  return [...roles].sort();
}

/** `identities` arrives as a JSON-encoded string on federated users. */
export function parseIdentities(raw: string | undefined): LinkedIdentity[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry): LinkedIdentity[] => {
      if (typeof entry !== "object" || entry === null) return [];
      const { providerName, providerType, userId } = entry as Record<string, unknown>;
      if (typeof providerName !== "string") return [];
      return [
        {
          providerName,
          ...(typeof providerType === "string" ? { providerType } : {}),
          ...(typeof userId === "string" ? { userId } : {}),
        },
      ];
    });
  } catch {
    return [];
  }
}

export interface NewRecordInput {
  sub: string;
  username: string;
  attributes: Record<string, string>;
  source: UserSource;
  now: string;
  groups?: string[];
  confirmed?: boolean;
}

/** A fresh record from Cognito attributes. Roles come from config only, never from attributes. */
export function newUserRecord(config: LifecycleConfig, input: NewRecordInput): UserRecord {
  const { attributes } = input;
  const email = attributes.email?.trim() || undefined;
  const emailVerified = isTrue(attributes.email_verified);
  const identities = parseIdentities(attributes.identities);
  const name = displayName(attributes);
  return {
    sub: input.sub,
    username: input.username,
    ...(email ? { email, emailNormalised: normaliseEmail(email) } : {}),
    emailVerified,
    ...(name ? { name } : {}),
    ...(attributes.locale ? { locale: attributes.locale } : {}),
    status: "active",
    roles: initialRoles(config, email, emailVerified),
    groups: [...new Set(input.groups ?? [])].sort(),
    source: input.source,
    identities,
    createdAt: input.now,
    ...(input.confirmed ? { confirmedAt: input.now } : {}),
    version: 1,
    updatedAt: input.now,
  };
}

export function displayName(attributes: Record<string, string>): string | undefined {
  const name =
    attributes.name?.trim() ||
    [attributes.given_name, attributes.family_name]
      .map((part) => part?.trim())
      .filter(Boolean)
      .join(" ");
  return name ? name.slice(0, 256) : undefined;
}

/** How a user came to exist, from the event that first shows them to us. */
export function sourceOf(triggerSource: string, attributes: Record<string, string>): UserSource {
  if (attributes.identities) return "federated";
  if (
    triggerSource === "TokenGeneration_NewPasswordChallenge" ||
    attributes["cognito:user_status"] === "FORCE_CHANGE_PASSWORD"
  ) {
    return "admin-create";
  }
  if (triggerSource.startsWith("PostConfirmation_")) return "sign-up";
  return "token-jit";
}
