import type { LegacyCredentialItem, LegacyCredentialStore } from "@cognito-lifecycle/aws";
import type { AdminRuntime } from "../runtime.ts";
import { TokenBucket } from "./rate.ts";
import type { ImportJob, ImportTargets } from "./run.ts";
import type { ImportUser } from "./types.ts";

/** The part of the migration trigger's legacy credential store an import writes through. */
export type ImportCredentialStore = Pick<LegacyCredentialStore, "put" | "get">;

/**
 * Requests per second an import spends of Cognito's quotas (per account and region, shared with
 * the app): AdminCreateUser counts against UserCreation (50/s by default), AdminGetUser and
 * AdminDisableUser against UserRead and UserUpdate. Half or less, so sign-ups keep working.
 */
export interface ImportRates {
  createsPerSecond: number;
  readsPerSecond: number;
}

export const defaultImportRates: ImportRates = { createsPerSecond: 20, readsPerSecond: 50 };

/** The import's targets over the admin runtime (table, Cognito) and the credential store. */
export function runtimeTargets(
  runtime: AdminRuntime,
  credentials: ImportCredentialStore,
  rates: ImportRates = defaultImportRates,
  clock: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): ImportTargets {
  const creates = new TokenBucket({ ratePerSecond: rates.createsPerSecond, ...clock });
  // AdminGetUser (UserRead) and the rare AdminDisableUser (UserUpdate) share the smaller pace.
  const reads = new TokenBucket({ ratePerSecond: rates.readsPerSecond, ...clock });
  const { cognito, records, directory } = runtime;
  const getUser = async (email: string) => {
    await reads.take();
    return cognito.get(email);
  };
  return {
    inTable: async (email) => (await directory.findByEmail(email)).length > 0,
    inCognito: async (email) => (await getUser(email)) !== undefined,
    storedCredential: (email) => credentials.get(email),
    putCredential: (user, job) => credentials.put(credentialItem(user, job, runtime.now())),
    async preCreate(user, job, { adopt }) {
      await creates.take();
      let created: Awaited<ReturnType<typeof cognito.createSuppressed>> | undefined;
      try {
        created = await cognito.createSuppressed(user.email, user);
      } catch (error) {
        if ((error as Error)?.name !== "UsernameExistsException") throw error;
        if (!adopt) return "exists";
        created = await getUser(user.email);
        if (!created) throw error;
      }
      if (user.disabled && created.enabled) {
        await reads.take();
        await cognito.disable(created.username);
      }
      await records.createIfMissing(
        "import",
        {
          sub: created.sub,
          username: created.username,
          attributes: { ...created.attributes, "cognito:user_status": created.status },
          source: "admin-create",
          now: runtime.now().toISOString(),
        },
        {
          actor: job.actor,
          overrides: {
            invitePending: true,
            // The mapped roles on top of every new user's defaults, as a sign-up would get.
            roles: [...new Set([...runtime.config.defaultRoles, ...user.roles])].sort(),
            ...(user.disabled ? { status: "disabled" as const } : {}),
          },
          details: () => ({ importJob: job.id, origin: job.origin, line: user.line }),
        },
      );
      return "created";
    },
  };
}

function credentialItem(user: ImportUser, job: ImportJob, now: Date): LegacyCredentialItem {
  return {
    email: user.email,
    emailVerified: user.emailVerified,
    ...(user.name ? { name: user.name } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    roles: user.roles,
    ...(user.credential ? { credential: user.credential } : {}),
    disabled: user.disabled,
    ...(user.sourceId ? { sourceId: user.sourceId } : {}),
    origin: job.origin,
    importedAt: now.toISOString(),
    importJob: job.id,
  };
}
