import type { LifecycleConfig, UserRecord } from "@cognito-lifecycle/core";
import { maskEmail } from "@cognito-lifecycle/core";
import type { LegacyCredentialStore } from "./legacy-credentials.ts";
import { logger } from "./logger.ts";
import { type AuditClock, UserRecords } from "./user-records.ts";
import type { UserStore } from "./user-store.ts";

export interface AdoptionDependencies extends AuditClock {
  config: LifecycleConfig;
  store: UserStore;
  legacy: LegacyCredentialStore;
}

export interface AdoptionInput {
  sub: string;
  username: string;
  attributes: Record<string, string>;
  triggerSource: string;
  /** What the caller knows beyond the attributes, e.g. the password change of a reset. */
  passwordChangedAt?: string;
}

/**
 * The record of a user the migration trigger brought in, created the first time a trigger sees
 * them with a `sub` (their first token, or the post confirmation of their password reset): the
 * migration trigger itself runs before Cognito creates the user, so it has no `sub`, and Cognito
 * may still refuse to create the user after it answered. The record gets source `migration`, the
 * mapped roles (on top of the default roles) and `user.created` through the record operations;
 * then the imported item goes. Both steps are idempotent, so a retried trigger repeats them safely.
 * Returns undefined when migration is off, the user is federated, or nothing was imported for them.
 */
export async function adoptMigratedUser(
  deps: AdoptionDependencies,
  input: AdoptionInput,
  abortSignal?: AbortSignal,
): Promise<UserRecord | undefined> {
  const { config, store, legacy } = deps;
  const email = input.attributes.email;
  if (!config.migration.enabled || !email || input.attributes.identities) return undefined;
  const imported = await legacy.get(email);
  if (!imported) return undefined;

  const known = new Set(Object.keys(config.roles));
  const roles = [...new Set([...config.defaultRoles, ...imported.roles.filter((role) => known.has(role))])];
  const { record, created } = await new UserRecords(store, config, deps).createIfMissing(
    "migration",
    {
      sub: input.sub,
      username: input.username,
      attributes: input.attributes,
      source: "migration",
      now: deps.now().toISOString(),
      confirmed: true,
      triggerSource: input.triggerSource,
    },
    {
      overrides: {
        roles: roles.sort(),
        ...(input.passwordChangedAt ? { passwordChangedAt: input.passwordChangedAt } : {}),
      },
      details: (fresh) => ({ source: fresh.source, roles: fresh.roles, origin: imported.origin }),
      abortSignal,
    },
  );
  await legacy.remove(email);
  if (created === "exists") return (await store.get(input.sub, { abortSignal })) ?? record;
  logger.info("migrated user record created", {
    sub: input.sub,
    email: maskEmail(email),
    roles: record.roles,
    origin: imported.origin,
  });
  return record;
}
