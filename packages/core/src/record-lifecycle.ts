import type { AuditEvent } from "./audit.ts";
import type { LifecycleConfig } from "./config/schema.ts";
import { normaliseEmail } from "./email.ts";
import { customAttributesOf, sameAttributes } from "./profile.ts";
import {
  displayName,
  isTrue,
  type LinkedIdentity,
  type NewRecordInput,
  newUserRecord,
  parseIdentities,
  type UserRecord,
  type UserStatus,
  type WelcomeEmailState,
} from "./users.ts";

/**
 * The record's lifecycle as pure decisions: the record a creation starts with (and its welcome
 * email state) by who creates it, and how a record has drifted from its Cognito user. The
 * operations that write them live beside the user table (packages/aws/src/user-records.ts).
 */

/** Who creates a record, which decides its welcome email and what its audit entry says. */
export const recordOrigins = {
  /**
   * A confirmed sign-up. The welcome email starts pending: the events function claims and sends
   * it on the record's `user.created`, off Cognito's 5 s path (reconcile if that never happens).
   */
  "post-confirmation": { actor: "system:post-confirmation", welcome: "pending" },
  /** A password reset found no record (lost earlier): its `user.created` sends the welcome. */
  "password-reset": {
    actor: "system:post-confirmation",
    welcome: "pending",
    reason: "missing at password reset",
  },
  /** The first token of an admin-created or federated user, or after a lost post confirmation. */
  "pre-token-generation": {
    actor: "system:pre-token-generation",
    welcome: "pending",
    reason: "record missing at token time",
  },
  /**
   * Whether a welcome went out before the record was lost cannot be known, and it goes out at
   * most once, so a repaired record never sends one.
   */
  reconcile: { actor: "system:reconcile", welcome: "never", reason: "missing from the user table" },
  /**
   * A user brought in by the user migration trigger, created at their first token (or password
   * reset) with the roles the old system gave them. They already knew the product: no welcome.
   */
  migration: { actor: "system:user-migration", welcome: "never", reason: "migrated from the old system" },
  /** An admin's invitation (AdminCreateUser): the branded invitation is its welcome. */
  invite: { actor: "system:admin", welcome: "never", reason: "invited by an admin" },
  /**
   * A user without a usable hash pre-created by a bulk import (AdminCreateUser, messages
   * suppressed): no welcome, the invitation an admin sends later is the first message.
   */
  import: { actor: "system:admin", welcome: "never", reason: "pre-created by an import" },
} as const satisfies Record<string, { actor: string; welcome: "pending" | "never"; reason?: string }>;

export type RecordOrigin = keyof typeof recordOrigins;

/** The welcome email state a record created by `origin` starts in. */
export function initialWelcomeEmail(
  config: LifecycleConfig,
  origin: RecordOrigin,
  email: string | undefined,
  now: string,
): WelcomeEmailState | undefined {
  const { welcome } = recordOrigins[origin];
  const sends = welcome !== "never" && config.welcomeEmail.enabled && email !== undefined;
  if (sends) return { status: "pending", at: now, attempts: 0 };
  // A password reset has always left the state out when no email is due; kept as it was.
  return origin === "password-reset" ? undefined : { status: "skipped", at: now, attempts: 0 };
}

/** The record `origin` creates from Cognito's attributes; `overrides` carry what Cognito says beyond them. */
export function initialRecord(
  config: LifecycleConfig,
  origin: RecordOrigin,
  input: NewRecordInput,
  overrides: Partial<
    Pick<UserRecord, "createdAt" | "status" | "passwordChangedAt" | "roles" | "invitePending">
  > = {},
): UserRecord {
  const record: UserRecord = { ...newUserRecord(config, input), ...overrides };
  const welcomeEmail = initialWelcomeEmail(config, origin, record.email, input.now);
  if (welcomeEmail) record.welcomeEmail = welcomeEmail;
  return record;
}

/** What an audit entry says; its id and time are the writer's. */
export type AuditEntry = Omit<AuditEvent, "id" | "at">;

/** The audit entry of a record's creation by `origin`. */
export function creationAudit(
  origin: RecordOrigin,
  record: UserRecord,
  details?: Record<string, unknown>,
  actor: string = recordOrigins[origin].actor,
): AuditEntry {
  const { reason } = recordOrigins[origin] as { reason?: string };
  return {
    sub: record.sub,
    actor,
    action: "user.created",
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
  };
}

/** Fields of a profile that an admin or reconcile may rewrite from Cognito. */
export type SyncedFields = Partial<
  Pick<
    UserRecord,
    | "email"
    | "emailNormalised"
    | "emailVerified"
    | "name"
    | "locale"
    | "customAttributes"
    | "groups"
    | "identities"
    | "username"
    | "invitePending"
  >
>;

/** What an admin's edit may write: the synced fields, and how the email was verified. */
export type RecordFields = SyncedFields & Partial<Pick<UserRecord, "emailVerifiedBy">>;

/** What the record's lifecycle needs to know of a Cognito user (AdminGetUser, ListUsers). */
export interface CognitoUserView {
  username: string;
  attributes: Record<string, string>;
  enabled: boolean;
  /** Cognito's UserStatus (FORCE_CHANGE_PASSWORD, CONFIRMED, ...), when the call reports it. */
  status?: string;
}

/** An invited user who has not signed in yet: Cognito still wants their temporary password changed. */
export function invitePendingIn(user: Pick<CognitoUserView, "status">): boolean {
  return user.status === "FORCE_CHANGE_PASSWORD";
}

/** How a record differs from the Cognito user it mirrors. Cognito is the source of truth. */
export interface Drift {
  /** The synced fields to rewrite (only those that differ). */
  fields: SyncedFields;
  /** The status the record should have, when it differs. */
  status?: Exclude<UserStatus, "deleted">;
  /** Names of what differs, e.g. `email`, `groups`, `status`. */
  changes: string[];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function sameIdentities(a: readonly LinkedIdentity[], b: readonly LinkedIdentity[]): boolean {
  const key = (identities: readonly LinkedIdentity[]) =>
    JSON.stringify(
      identities
        .map((identity) => [identity.providerName, identity.providerType ?? "", identity.userId ?? ""])
        .sort(),
    );
  return key(a) === key(b);
}

export function statusInCognito(user: CognitoUserView): Exclude<UserStatus, "deleted"> {
  return user.enabled ? "active" : "disabled";
}

/**
 * What would change if `record` were refreshed from `user` and its `groups`; with `config`, the
 * editable custom attributes (`admin.editableAttributes`) too.
 */
export function driftOf(
  record: UserRecord,
  user: CognitoUserView,
  groups: readonly string[],
  config?: Pick<LifecycleConfig, "admin">,
): Drift {
  const { attributes } = user;
  const fields: SyncedFields = {};
  const changes: string[] = [];
  const set = <K extends keyof SyncedFields>(name: K, value: SyncedFields[K], differs: boolean) => {
    if (!differs) return;
    fields[name] = value;
    changes.push(name);
  };

  const email = attributes.email?.trim() || undefined;
  set("email", email, email !== record.email);
  const emailNormalised = email ? normaliseEmail(email) : undefined;
  if (emailNormalised !== record.emailNormalised) fields.emailNormalised = emailNormalised;
  const emailVerified = isTrue(attributes.email_verified);
  set("emailVerified", emailVerified, emailVerified !== record.emailVerified);
  const name = displayName(attributes);
  set("name", name, name !== record.name);
  const locale = attributes.locale || undefined;
  set("locale", locale, locale !== record.locale);
  if (config) {
    const customAttributes = customAttributesOf(config, attributes);
    set("customAttributes", customAttributes, !sameAttributes(customAttributes, record.customAttributes));
  }
  const sortedGroups = [...new Set(groups)].sort();
  set("groups", sortedGroups, !sameList(sortedGroups, [...record.groups].sort()));
  const identities = parseIdentities(attributes.identities);
  set("identities", identities, !sameIdentities(identities, record.identities));
  set("username", user.username, user.username !== record.username);
  if (user.status !== undefined) {
    const invitePending = invitePendingIn(user);
    set("invitePending", invitePending, invitePending !== (record.invitePending ?? false));
  }

  const status = statusInCognito(user);
  if (status !== record.status) changes.push("status");
  return { fields, ...(status !== record.status ? { status } : {}), changes };
}
