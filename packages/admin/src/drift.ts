import type { SyncedFields } from "@cognito-lifecycle/aws";
import {
  displayName,
  isTrue,
  type LinkedIdentity,
  normaliseEmail,
  parseIdentities,
  type UserRecord,
  type UserStatus,
} from "@cognito-lifecycle/core";
import type { CognitoUser } from "./cognito.ts";

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

export function statusInCognito(user: CognitoUser): Exclude<UserStatus, "deleted"> {
  return user.enabled ? "active" : "disabled";
}

/** What would change if `record` were refreshed from `user` and its `groups`. */
export function driftOf(record: UserRecord, user: CognitoUser, groups: readonly string[]): Drift {
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
  const sortedGroups = [...new Set(groups)].sort();
  set("groups", sortedGroups, !sameList(sortedGroups, [...record.groups].sort()));
  const identities = parseIdentities(attributes.identities);
  set("identities", identities, !sameIdentities(identities, record.identities));
  set("username", user.username, user.username !== record.username);

  const status = statusInCognito(user);
  if (status !== record.status) changes.push("status");
  return { fields, ...(status !== record.status ? { status } : {}), changes };
}
