import { logger, type Page } from "@cognito-lifecycle/aws";
import {
  type AuditAction,
  type AuditEvent,
  driftOf,
  effectiveRoles,
  type LifecycleConfig,
  permissionsFor,
  rolesFromGroups,
  type UserRecord,
  type UserStatus,
  unknownRoles,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { isUserNotFound } from "./cognito.ts";
import { ConflictError, NotFoundError, ValidationError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";

export interface UserDetail {
  user: UserRecord;
  audit: Page<AuditEvent>;
}

/** A role change and, when it removed a privileged role, the global sign-out that followed. */
export interface RoleChange {
  user: UserRecord;
  /** Present when a privileged role was removed: `done` or `failed: <error name>`. */
  signOut?: string;
  removedPrivileged?: string[];
}

/**
 * Roles that grant more than every user has: any permission the default roles lack (with the
 * default config, `admin` and `support`), and always `admin`, which the admin API requires.
 */
export function privilegedRoles(config: LifecycleConfig): string[] {
  const ordinary = new Set(permissionsFor(config, config.defaultRoles));
  return Object.entries(config.roles)
    .filter(([name, role]) => name === "admin" || role.permissions.some((p) => !ordinary.has(p)))
    .map(([name]) => name)
    .sort();
}

/** One step of a multi-step change and how it went; `error` is the AWS error name, never a message with data. */
export interface StepOutcome {
  step: "cognito-disable" | "sign-out" | "record";
  ok: boolean;
  error?: string;
}

/** A status change and what each of its steps did. */
export interface StatusChange {
  user: UserRecord;
  steps: StepOutcome[];
}

async function attemptStep(step: StepOutcome["step"], call: () => Promise<void>): Promise<StepOutcome> {
  try {
    await call();
    return { step, ok: true };
  } catch (error) {
    return { step, ok: false, error: (error as Error)?.name ?? "Error" };
  }
}

export interface ResyncResult {
  user: UserRecord;
  changes: string[];
}

const looksLikeEmail = (value: string) => value.includes("@");

/**
 * The admin operations, shared by the HTTP API and the CLI. Cognito is changed first and the
 * record second, so a failure in between leaves drift that reconcile repairs, never a record
 * that claims more than Cognito does. Every change writes an audit event with the actor.
 */
export class AdminService {
  constructor(private readonly runtime: AdminRuntime) {}

  /**
   * The roles `record`'s user holds now: stored roles plus those of their Cognito groups, read
   * from Cognito (not from a token, which keeps a removed role until it expires). When the stored
   * roles already include `sufficient`, Cognito is not asked.
   */
  async currentRoles(record: UserRecord, sufficient?: string): Promise<string[]> {
    const { config, cognito } = this.runtime;
    if (sufficient && record.roles.includes(sufficient)) return effectiveRoles(config, record.roles);
    const groups = await cognito.groupsOf(record.username);
    return effectiveRoles(config, record.roles, rolesFromGroups(config, groups));
  }

  async require(sub: string): Promise<UserRecord> {
    const record = await this.runtime.store.get(sub);
    if (!record) throw new NotFoundError(`No user with sub ${sub}.`);
    return record;
  }

  /** A user by sub, or by email when the argument has an `@` (the CLI accepts either). */
  async resolve(subOrEmail: string): Promise<UserRecord> {
    if (!looksLikeEmail(subOrEmail)) return this.require(subOrEmail);
    const matches = await this.runtime.directory.findByEmail(subOrEmail);
    if (matches.length === 0) throw new NotFoundError(`No user with email ${subOrEmail}.`);
    if (matches.length > 1) {
      throw new NotFoundError(
        `${matches.length} users have email ${subOrEmail} (${matches.map((user) => user.sub).join(", ")}); use a sub.`,
      );
    }
    return this.require((matches[0] as UserRecord).sub);
  }

  async show(sub: string, audit: { limit?: number; cursor?: string } = {}): Promise<UserDetail> {
    const user = await this.require(sub);
    return { user, audit: await this.runtime.store.auditHistory(sub, audit) };
  }

  private async conflict(sub: string, message: string): Promise<never> {
    throw new ConflictError(message, await this.require(sub));
  }

  private refuseDeleted(record: UserRecord, action: string): void {
    if (record.status === "deleted") {
      throw new ConflictError(`User ${record.sub} is deleted; it cannot be ${action}.`, record);
    }
  }

  /**
   * Replaces the roles if the record is still at `expectedVersion` (409 with the current record if
   * not). Removing a privileged role then signs the user out everywhere (AdminUserGlobalSignOut),
   * so no refresh token keeps the old sessions going; the outcome is returned and audited.
   */
  async setRoles(
    actor: string,
    sub: string,
    roles: string[],
    expectedVersion: number,
    reason: string,
  ): Promise<RoleChange> {
    const { before, user } = await this.replaceRoles(actor, sub, roles, expectedVersion, reason);
    const privileged = privilegedRoles(this.runtime.config);
    const removed = before.roles.filter((role) => privileged.includes(role) && !user.roles.includes(role));
    if (removed.length === 0) return { user };
    let signOut = "done";
    try {
      await this.runtime.cognito.signOutEverywhere(user.username);
    } catch (error) {
      signOut = `failed: ${(error as Error)?.name ?? "error"}`;
      logger.warn("global sign-out failed after removing a privileged role", {
        sub,
        error: (error as Error)?.name,
      });
    }
    await this.runtime.records.note(sub, {
      actor,
      action: "user.signed-out",
      reason: "privileged role removed",
      details: { removed, signOut },
    });
    return { user, signOut, removedPrivileged: removed };
  }

  private async replaceRoles(
    actor: string,
    sub: string,
    roles: string[],
    expectedVersion: number,
    reason: string,
  ): Promise<{ before: UserRecord; user: UserRecord }> {
    const unknown = unknownRoles(this.runtime.config, roles);
    if (unknown.length > 0) {
      const known = Object.keys(this.runtime.config.roles).join(", ");
      const fields: Record<string, string> = {};
      roles.forEach((role, index) => {
        if (unknown.includes(role)) fields[`roles.${index}`] = `unknown role "${role}" (known: ${known})`;
      });
      throw new ValidationError(fields, `Unknown role: ${unknown.join(", ")}.`);
    }
    const before = await this.require(sub);
    this.refuseDeleted(before, "given roles");
    if (before.version !== expectedVersion) {
      throw new ConflictError(
        `User ${sub} changed since version ${expectedVersion} (now ${before.version}); reload and retry.`,
        before,
      );
    }
    try {
      const user = await this.runtime.records.setRoles(before, roles, expectedVersion, {
        actor,
        action: "user.roles.set",
        ...(reason ? { reason } : {}),
      });
      return { before, user };
    } catch (error) {
      if (error instanceof VersionConflictError) {
        return this.conflict(sub, `User ${sub} changed while saving; reload and retry.`);
      }
      throw error;
    }
  }

  private async setStatus(
    actor: string,
    record: UserRecord,
    status: UserStatus,
    action: AuditAction,
    reason: string | undefined,
    details?: Record<string, unknown>,
  ): Promise<UserRecord> {
    try {
      return await this.runtime.records.changeStatus(record, status, {
        actor,
        action,
        ...(reason ? { reason } : {}),
        ...(details ? { details } : {}),
      });
    } catch (error) {
      if (error instanceof VersionConflictError) {
        return this.conflict(record.sub, `User ${record.sub} changed while saving; reload and retry.`);
      }
      throw error;
    }
  }

  /** Runs a Cognito call for the record's user; a user missing from Cognito is a 409. */
  private async inCognito(record: UserRecord, call: (username: string) => Promise<void>): Promise<void> {
    try {
      await call(record.username);
    } catch (error) {
      if (isUserNotFound(error)) {
        throw new ConflictError(
          `User ${record.sub} no longer exists in Cognito; resync or reconcile marks the record deleted.`,
          record,
        );
      }
      throw error;
    }
  }

  /**
   * AdminDisableUser, then AdminUserGlobalSignOut (so no refresh token outlives it), then the
   * record. A failed sign-out does not stop the disable (a disabled user cannot sign in or
   * refresh); each step's outcome is returned and audited, so nobody is told more than happened.
   */
  async disable(actor: string, sub: string, reason?: string): Promise<StatusChange> {
    const record = await this.require(sub);
    this.refuseDeleted(record, "disabled");
    const { cognito } = this.runtime;
    await this.inCognito(record, (username) => cognito.disable(username));
    const signOut = await attemptStep("sign-out", () => cognito.signOutEverywhere(record.username));
    if (!signOut.ok) logger.warn("global sign-out failed after disable", { sub, error: signOut.error });
    // The record step is the audited write itself: if it fails, nothing below is returned.
    const steps: StepOutcome[] = [
      { step: "cognito-disable", ok: true },
      signOut,
      { step: "record", ok: true },
    ];
    const user = await this.setStatus(actor, record, "disabled", "user.disabled", reason, { steps });
    return { user, steps };
  }

  async enable(actor: string, sub: string, reason?: string): Promise<UserRecord> {
    const record = await this.require(sub);
    this.refuseDeleted(record, "enabled");
    await this.inCognito(record, (username) => this.runtime.cognito.enable(username));
    return this.setStatus(actor, record, "active", "user.enabled", reason);
  }

  /** AdminDeleteUser (a user already gone from Cognito is fine), then a soft delete of the record. */
  async delete(actor: string, sub: string, reason?: string): Promise<UserRecord> {
    const record = await this.require(sub);
    if (record.status === "deleted") return record;
    let cognitoUser = "deleted";
    try {
      await this.runtime.cognito.delete(record.username);
    } catch (error) {
      if (!isUserNotFound(error)) throw error;
      cognitoUser = "already gone";
    }
    return this.setStatus(actor, record, "deleted", "user.deleted", reason, { cognitoUser });
  }

  /** Refreshes the record from Cognito (AdminGetUser + AdminListGroupsForUser). */
  async resync(actor: string, sub: string, reason?: string): Promise<ResyncResult> {
    const record = await this.require(sub);
    const { cognito } = this.runtime;
    const user = await cognito.get(record.username);
    if (!user) {
      if (record.status === "deleted") {
        await this.runtime.records.note(sub, {
          actor,
          action: "user.resynced",
          ...(reason ? { reason } : {}),
          details: { changes: [] },
        });
        return { user: record, changes: [] };
      }
      const updated = await this.setStatus(actor, record, "deleted", "user.resynced", reason, {
        changes: ["status"],
        to: "deleted",
        cognitoUser: "missing",
      });
      return { user: updated, changes: ["status"] };
    }
    const drift = driftOf(record, user, await cognito.groupsOf(user.username));
    const by = { actor, action: "user.resynced" as const, ...(reason ? { reason } : {}) };
    let current = record;
    try {
      current = await this.runtime.records.applyDrift(record, drift, by);
    } catch (error) {
      if (error instanceof VersionConflictError) {
        return this.conflict(sub, `User ${sub} changed while saving; reload and retry.`);
      }
      throw error;
    }
    if (drift.changes.length === 0) await this.runtime.records.note(sub, { ...by, details: { changes: [] } });
    return { user: current, changes: drift.changes };
  }
}
