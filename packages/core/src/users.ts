import type { LifecycleConfig } from "./config/schema.ts";
import { isCanonicalEmail, nfkcEmail, normaliseEmail } from "./email.ts";
import type { EmailDeliverabilityStatus, UserSource, UserStatus, WelcomeEmailStatus } from "./lists.ts";
import { isTrustedProvider, verifiedByMailbox } from "./policy/linking.ts";
import { signUpPolicy } from "./policy/sign-up.ts";
import { customAttributesOf } from "./profile.ts";

export type { EmailDeliverabilityStatus, UserSource, UserStatus, WelcomeEmailStatus } from "./lists.ts";

/**
 * How the address on a record came to be verified. `code`: the user typed the code Cognito
 * mailed; `auto`: pre sign-up auto-verified it (no mailbox proof); `idp`: an identity provider
 * asserted it; `admin`: an admin created or confirmed the user; `migration`: the old system said it was
 * verified when the user was migrated (user migration trigger). Absent means unknown; unknown is never trusted for linking or bootstrap.
 */
export type EmailVerificationMethod = "code" | "auto" | "idp" | "admin" | "migration";

export interface WelcomeEmailState {
  status: WelcomeEmailStatus;
  at: string;
  attempts: number;
  messageId?: string;
  error?: string;
}

/** The last bounce or complaint SES reported for the record's address (SES `bounceType`/`bounceSubType`). */
export interface EmailDeliverability {
  status: EmailDeliverabilityStatus;
  at: string;
  bounceType?: string;
  subType?: string;
}

/** One sign-in as post authentication saw it: when, through which app client, from a new device. */
export interface SignIn {
  at: string;
  clientId?: string;
  newDevice?: boolean;
}

/**
 * The sign-in history on the profile, newest first: it grows to `max` entries, and the sign-in
 * that finds it full rewrites it to its newest `keep` (so the trim costs a read and a write once
 * every `max - keep` sign-ins, never one per sign-in).
 */
export const signInHistory = { max: 20, keep: 10 } as const;

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
  /** How `email` was verified, recorded at creation; dropped when the email changes. */
  emailVerifiedBy?: EmailVerificationMethod;
  name?: string;
  locale?: string;
  /** The custom attributes `admin.editableAttributes` lists, as Cognito has them (absent: none set). */
  customAttributes?: Record<string, string>;
  status: UserStatus;
  roles: string[];
  groups: string[];
  source: UserSource;
  identities: LinkedIdentity[];
  createdAt: string;
  confirmedAt?: string;
  lastSignInAt?: string;
  /** Recent sign-ins, newest first (see `signInHistory`); written by post authentication only. */
  signIns?: SignIn[];
  /** The last IdP sign-in that delivered the IdP groups attribute; their roles expire after it. */
  idpGroupsAt?: string;
  passwordChangedAt?: string;
  /**
   * An admin invited the user (AdminCreateUser) and they have not signed in yet: Cognito's
   * FORCE_CHANGE_PASSWORD. Set by the invite, cleared by the first sign-in (post authentication)
   * and kept in line with Cognito by resync and reconcile.
   */
  invitePending?: boolean;
  welcomeEmail?: WelcomeEmailState;
  /** Set by SES bounce/complaint feedback; dropped when the email changes. */
  emailDeliverability?: EmailDeliverability;
  version: number;
  updatedAt: string;
}

/** Cognito sends `"true"`; some IdP mappings and loosened schemas pass a boolean through. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export interface BootstrapCandidate {
  /** The email as Cognito or the IdP sent it, before any normalisation. */
  email: string | undefined;
  emailVerifiedBy: EmailVerificationMethod | undefined;
  identities: readonly LinkedIdentity[];
}

/**
 * Whether a new user gets the bootstrap `admin` role. The address must be proven by the
 * mailbox (a code, or an admin who created the user), or asserted by a provider trusted in
 * `linking.trustedProviders`: any other IdP's `email_verified` proves nothing to us. The
 * address must be canonical (NFKC): the Kelvin sign U+212A would otherwise fold into "k".
 */
export function isBootstrapAdmin(config: LifecycleConfig, candidate: BootstrapCandidate): boolean {
  const { email, emailVerifiedBy, identities } = candidate;
  if (!email || !isCanonicalEmail(email.trim())) return false;
  const byTrustedIdp =
    emailVerifiedBy === "idp" &&
    identities.length > 0 &&
    identities.every((identity) => isTrustedProvider(config, identity.providerName));
  if (!verifiedByMailbox(emailVerifiedBy) && !byTrustedIdp) return false;
  const key = nfkcEmail(email);
  return config.bootstrapAdmins.some((listed) => nfkcEmail(listed) === key);
}

/** Roles for a user we have never seen. Roles never come from attributes. */
export function initialRoles(config: LifecycleConfig, candidate: BootstrapCandidate): string[] {
  const roles = new Set(config.defaultRoles);
  if (isBootstrapAdmin(config, candidate)) roles.add("admin");
  return [...roles].sort();
}

export interface VerificationContext {
  triggerSource: string;
  source: UserSource;
  attributes: Record<string, string>;
  /** `callerContext.clientId`: null or `CLIENT_ID_NOT_APPLICABLE` for admin operations. */
  clientId?: string | null;
}

/**
 * How the email of a user we are creating was verified, from the event that creates them.
 * A native sign-up confirmed by the user was verified by code unless the sign-up policy
 * auto-verifies the address (pre sign-up and post confirmation of an auto-confirmed
 * sign-up run in the same SignUp call, so they see the same config). A record created at token
 * time is judged the same way. Anything else (reconcile, password reset) is unknown.
 */
export function emailVerificationMethod(
  config: LifecycleConfig,
  context: VerificationContext,
): EmailVerificationMethod | undefined {
  const { attributes, source, triggerSource } = context;
  if (!attributes.email || !isTrue(attributes.email_verified)) return undefined;
  if (source === "federated") return "idp";
  if (source === "admin-create") return "admin";
  if (source === "migration") return "migration";
  const confirmation = source === "sign-up" && triggerSource === "PostConfirmation_ConfirmSignUp";
  // A record missing at token time (lost post confirmation, or a user an admin gave a permanent
  // password): the address was verified, and not by the policy, so by a code or an admin.
  const lostRecord = source === "token-jit" && triggerSource.startsWith("TokenGeneration_");
  if (!confirmation && !lostRecord) return undefined;
  if (confirmation && (context.clientId === null || context.clientId === "CLIENT_ID_NOT_APPLICABLE")) {
    return "admin";
  }
  const policy = signUpPolicy(config, {
    source: "PreSignUp_SignUp",
    email: attributes.email,
    phoneNumber: attributes.phone_number,
  });
  return policy.allowed && policy.autoVerifyEmail ? "auto" : "code";
}

/**
 * Whether this event is a sign-in through an identity provider, which rewrites the mapped
 * attributes (the IdP groups among them). A native user with a linked identity signing in
 * with a password is not one: their IdP groups are not refreshed by it.
 */
export function deliversIdpGroups(triggerSource: string, attributes: Record<string, string>): boolean {
  return (
    attributes["cognito:user_status"] === "EXTERNAL_PROVIDER" &&
    (triggerSource === "PostConfirmation_ConfirmSignUp" ||
      triggerSource === "PostAuthentication_Authentication" ||
      triggerSource === "TokenGeneration_HostedAuth")
  );
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
  /** The event's trigger source and caller client, which tell how the email was verified. */
  triggerSource?: string;
  clientId?: string | null;
}

/** A fresh record from Cognito attributes. Roles come from config only, never from attributes. */
export function newUserRecord(config: LifecycleConfig, input: NewRecordInput): UserRecord {
  const { attributes } = input;
  const email = attributes.email?.trim() || undefined;
  const emailVerified = isTrue(attributes.email_verified);
  const identities = parseIdentities(attributes.identities);
  const name = displayName(attributes);
  const customAttributes = customAttributesOf(config, attributes);
  const triggerSource = input.triggerSource ?? "";
  const emailVerifiedBy = emailVerificationMethod(config, {
    triggerSource,
    source: input.source,
    attributes,
    clientId: input.clientId,
  });
  return {
    sub: input.sub,
    username: input.username,
    ...(email ? { email, emailNormalised: normaliseEmail(email) } : {}),
    emailVerified,
    ...(emailVerifiedBy ? { emailVerifiedBy } : {}),
    ...(name ? { name } : {}),
    ...(attributes.locale ? { locale: attributes.locale } : {}),
    ...(customAttributes ? { customAttributes } : {}),
    status: "active",
    roles: initialRoles(config, { email: attributes.email, emailVerifiedBy, identities }),
    groups: [...new Set(input.groups ?? [])].sort(),
    source: input.source,
    identities,
    createdAt: input.now,
    ...(input.confirmed ? { confirmedAt: input.now } : {}),
    ...(deliversIdpGroups(triggerSource, attributes) ? { idpGroupsAt: input.now } : {}),
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
