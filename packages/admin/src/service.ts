import { logger, type Page, type RoleHolder, type UserDataExport } from "@cognito-lifecycle/aws";
import {
  type AuditAction,
  type AuditEvent,
  driftOf,
  effectiveRoles,
  isUserActor,
  type LastChange,
  type LifecycleConfig,
  permissionsFor,
  RoleHolderChangedError,
  rolesFromGroups,
  type UserRecord,
  type UserStatus,
  unknownRoles,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { isUserNotFound } from "./cognito.ts";
import { ConflictError, LastAdminError, NotFoundError, SelfChangeError, ValidationError } from "./errors.ts";
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
    .filter(([name, role]) => name === adminRole || role.permissions.some((p) => !ordinary.has(p)))
    .map(([name]) => name)
    .sort();
}

/** The role the admin API requires, which the last-admin safeguard keeps someone holding. */
const adminRole = "admin";

/** A role change: what to add and remove (applied to the current roles), or the whole new set. */
export type RoleEdit = { roles: string[] } | { add: string[]; remove: string[] };

/** The roles after `edit`: `{ add, remove }` applied to `current`, or the whole new set. */
export function rolesAfter(current: readonly string[], edit: RoleEdit): string[] {
  if ("roles" in edit) return edit.roles;
  return [...new Set([...current, ...edit.add])].filter((role) => !edit.remove.includes(role));
}

/** What a change to a user may carry besides its reason. */
export interface ChangeOptions {
  reason?: string;
  /** The version the caller saw: if the record moved since, the change is a 409. */
  expectedVersion?: number;
  /** Must be true when the caller changes their own account (API callers only). */
  confirmSelf?: boolean;
  /** The bulk job this change is part of, recorded in its audit entry. */
  bulkJob?: string;
}

/** The audit details a change's options add (its bulk job). */
const optionDetails = (options: ChangeOptions) =>
  options.bulkJob ? { bulkJob: options.bulkJob } : undefined;

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

/** What an erase did; `already` when the user had been erased (or scrubbed) before. */
export interface ErasureResult {
  sub: string;
  already: boolean;
  /** `deleted`, `already gone`, or `not asked` for a user erased before. */
  cognitoUser: string;
  /** Audit entries this call rewrote without their personal data. */
  auditEntries: number;
  user: UserRecord;
}

/** Where an export or a deletion was asked for, recorded on its audit entry. */
export type DataRightsChannel = "admin-api" | "cli" | "self-service";

const looksLikeEmail = (value: string) => value.includes("@");

/**
 * Whether `text` names the user: their email, its local part, their name or a part of it. An
 * erasure keeps its reason, so the reason must not bring back what the erasure removes.
 */
export function mentionsUser(record: UserRecord, text: string): boolean {
  const haystack = text.normalize("NFKC").toLowerCase();
  const email = record.email?.normalize("NFKC").toLowerCase();
  const name = record.name?.normalize("NFKC").toLowerCase();
  const needles = [
    email,
    email?.split("@")[0],
    name,
    ...(name?.split(/\s+/) ?? []).filter((part) => part.length >= 4),
  ].filter((needle): needle is string => needle !== undefined && needle.length >= 3);
  return needles.some((needle) => haystack.includes(needle));
}

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

  /** A 409 with the record as it is now and who changed it last. */
  async conflict(sub: string, message: string): Promise<never> {
    const current = await this.require(sub);
    throw new ConflictError(message, current, await this.lastChange(sub));
  }

  /** The user's newest audit entry, naming a user actor by email (system and CLI actors have a `:`). */
  private async lastChange(sub: string): Promise<LastChange | undefined> {
    const [entry] = (await this.runtime.store.auditHistory(sub, { limit: 1 })).items;
    if (!entry) return undefined;
    const actorEmail = isUserActor(entry.actor)
      ? (await this.runtime.directory.namesOf([entry.actor])).get(entry.actor)?.email
      : undefined;
    return {
      actor: entry.actor,
      ...(actorEmail ? { actorEmail } : {}),
      action: entry.action,
      at: entry.at,
      ...(entry.details ? { details: entry.details } : {}),
    };
  }

  /** 409 when the caller saw another version than the record's (no version given: no check). */
  private async checkVersion(record: UserRecord, expectedVersion: number | undefined): Promise<void> {
    if (expectedVersion === undefined || record.version === expectedVersion) return;
    await this.conflict(
      record.sub,
      `User ${record.sub} changed since version ${expectedVersion} (now ${record.version}); nothing was saved.`,
    );
  }

  private refuseDeleted(record: UserRecord, action: string): void {
    if (record.status === "deleted") {
      throw new ConflictError(`User ${record.sub} is deleted; it cannot be ${action}.`, record);
    }
  }

  /** A change to the caller's own account needs `confirmSelf` (the API's; the CLI's actor is never a sub). */
  private confirmSelf(actor: string, sub: string, options: ChangeOptions, action: string): void {
    if (actor === sub && options.confirmSelf !== true) throw new SelfChangeError(action);
  }

  /**
   * When a change takes `target` out of the active admins, another active admin the write must
   * keep (checked again in its transaction); none is a 409 `last_admin`. Counts stored roles
   * only (the role index): admins only through a Cognito group do not count.
   */
  private async keepAnAdmin(target: UserRecord, action: string): Promise<RoleHolder | undefined> {
    if (target.status !== "active" || !target.roles.includes(adminRole)) return undefined;
    let cursor: string | undefined;
    do {
      const page = await this.runtime.directory.listUsers(
        { role: adminRole, status: "active" },
        { limit: 10, ...(cursor ? { cursor } : {}) },
      );
      const other = page.items.find((user) => user.sub !== target.sub);
      if (other) return { sub: other.sub, role: adminRole };
      cursor = page.cursor;
    } while (cursor);
    throw new LastAdminError(target, action);
  }

  /**
   * The checks before an account action on `sub`: a record that is not deleted, at the version
   * the caller saw (when given), and the caller's confirmation when it is their own account.
   * `words` name the action: `done` as in "cannot be signed out", `verb` as in "would sign out".
   */
  async prepareAction(
    actor: string,
    sub: string,
    options: ChangeOptions,
    words: { done: string; verb: string },
  ): Promise<UserRecord> {
    const record = await this.require(sub);
    this.refuseDeleted(record, words.done);
    await this.checkVersion(record, options.expectedVersion);
    this.confirmSelf(actor, sub, options, words.verb);
    return record;
  }

  /**
   * A write guarded by version and `keeps`: a version moved in the meantime is a 409 with the
   * current record, the other admin gone a 409 `last_admin`.
   */
  async guarded<T>(sub: string, action: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof VersionConflictError) {
        return this.conflict(sub, `User ${sub} changed while saving; nothing was saved.`);
      }
      if (error instanceof RoleHolderChangedError) throw new LastAdminError(await this.require(sub), action);
      throw error;
    }
  }

  /**
   * Changes the roles if the record is still at `expectedVersion` (409 with the current record
   * and its last change if not): `{ add, remove }` applies to the current roles, `{ roles }`
   * replaces them. Removing a privileged role then signs the user out everywhere
   * (AdminUserGlobalSignOut), so no refresh token keeps the old sessions going; the outcome is
   * returned and audited.
   */
  async setRoles(
    actor: string,
    sub: string,
    edit: RoleEdit,
    options: ChangeOptions & { expectedVersion: number; reason: string },
  ): Promise<RoleChange> {
    const { before, user } = await this.replaceRoles(actor, sub, edit, options);
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
      details: { removed, signOut, ...optionDetails(options) },
    });
    return { user, signOut, removedPrivileged: removed };
  }

  private checkKnown(edit: RoleEdit): void {
    const listed: Record<string, string[]> =
      "roles" in edit ? { roles: edit.roles } : { add: edit.add, remove: edit.remove };
    const known = Object.keys(this.runtime.config.roles);
    const fields: Record<string, string> = {};
    for (const [field, roles] of Object.entries(listed)) {
      roles.forEach((role, index) => {
        if (!known.includes(role))
          fields[`${field}.${index}`] = `unknown role "${role}" (known: ${known.join(", ")})`;
      });
    }
    const unknown = unknownRoles(this.runtime.config, Object.values(listed).flat());
    if (unknown.length > 0) throw new ValidationError(fields, `Unknown role: ${unknown.join(", ")}.`);
    if ("add" in edit && edit.add.some((role) => edit.remove.includes(role))) {
      throw new ValidationError({ remove: "must not name a role that add names" });
    }
  }

  private async replaceRoles(
    actor: string,
    sub: string,
    edit: RoleEdit,
    options: ChangeOptions & { expectedVersion: number; reason: string },
  ): Promise<{ before: UserRecord; user: UserRecord }> {
    this.checkKnown(edit);
    const before = await this.require(sub);
    this.refuseDeleted(before, "given roles");
    await this.checkVersion(before, options.expectedVersion);
    const roles = rolesAfter(before.roles, edit);
    this.confirmSelf(actor, sub, options, "change the roles of");
    const keeps = roles.includes(adminRole)
      ? undefined
      : await this.keepAnAdmin(before, "removing its admin role");
    const details = optionDetails(options);
    const by = {
      actor,
      action: "user.roles.set" as const,
      reason: options.reason,
      ...(details ? { details } : {}),
    };
    const user = await this.guarded(sub, "removing its admin role", () =>
      this.runtime.records.setRoles(before, roles, options.expectedVersion, by, keeps),
    );
    return { before, user };
  }

  private setStatus(
    actor: string,
    record: UserRecord,
    status: UserStatus,
    action: AuditAction,
    options: ChangeOptions & { keeps?: RoleHolder },
    details?: Record<string, unknown>,
  ): Promise<UserRecord> {
    const { reason, expectedVersion, keeps } = options;
    const merged = details || options.bulkJob ? { ...details, ...optionDetails(options) } : undefined;
    const by = { actor, action, ...(reason ? { reason } : {}), ...(merged ? { details: merged } : {}) };
    return this.guarded(record.sub, `${status === "deleted" ? "deleting" : "disabling"} it`, () =>
      this.runtime.records.changeStatus(record, status, by, {
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(keeps ? { keeps } : {}),
      }),
    );
  }

  /** Runs a Cognito call for the record's user; a user missing from Cognito is a 409. */
  async inCognito<T>(record: UserRecord, call: (username: string) => Promise<T>): Promise<T> {
    try {
      return await call(record.username);
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
   * The checks before a status change: not deleted, the version the caller saw, the caller's
   * confirmation for their own account, and (when it takes an admin away) another active admin.
   */
  private async prepareStatus(
    actor: string,
    sub: string,
    options: ChangeOptions,
    verb: "disable" | "enable" | "delete",
  ): Promise<{ record: UserRecord; keeps?: RoleHolder }> {
    const record = await this.require(sub);
    if (verb !== "delete") this.refuseDeleted(record, `${verb}d`);
    await this.checkVersion(record, options.expectedVersion);
    if (verb === "delete" && record.status === "deleted") return { record };
    this.confirmSelf(actor, sub, options, verb);
    if (verb === "enable") return { record };
    const keeps = await this.keepAnAdmin(record, `${verb === "delete" ? "deleting" : "disabling"} it`);
    return { record, ...(keeps ? { keeps } : {}) };
  }

  /**
   * AdminDisableUser, then AdminUserGlobalSignOut (so no refresh token outlives it), then the
   * record. An already disabled user is answered as is, with nothing written (unless the caller's
   * version is stale: 409).
   */
  async disable(actor: string, sub: string, options: ChangeOptions = {}): Promise<StatusChange> {
    const { record, keeps } = await this.prepareStatus(actor, sub, options, "disable");
    // Already disabled: nothing was done, so no step is reported.
    if (record.status === "disabled") return { user: record, steps: [] };
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
    const user = await this.setStatus(
      actor,
      record,
      "disabled",
      "user.disabled",
      { ...options, ...(keeps ? { keeps } : {}) },
      { steps },
    );
    return { user, steps };
  }

  /** AdminEnableUser, then the record; an already active user is answered as is. */
  async enable(actor: string, sub: string, options: ChangeOptions = {}): Promise<UserRecord> {
    const { record } = await this.prepareStatus(actor, sub, options, "enable");
    if (record.status === "active") return record;
    await this.inCognito(record, (username) => this.runtime.cognito.enable(username));
    return this.setStatus(actor, record, "active", "user.enabled", options);
  }

  /** AdminDeleteUser (a user already gone from Cognito is fine), then a soft delete of the record. */
  async delete(actor: string, sub: string, options: ChangeOptions = {}): Promise<UserRecord> {
    const { record, keeps } = await this.prepareStatus(actor, sub, options, "delete");
    if (record.status === "deleted") return record;
    let cognitoUser = "deleted";
    try {
      await this.runtime.cognito.delete(record.username);
    } catch (error) {
      if (!isUserNotFound(error)) throw error;
      cognitoUser = "already gone";
    }
    return this.setStatus(
      actor,
      record,
      "deleted",
      "user.deleted",
      { ...options, ...(keeps ? { keeps } : {}) },
      {
        cognitoUser,
      },
    );
  }

  /** Everything the table holds about the user (404 if no record), audited as `user.exported`. */
  async exportUser(actor: string, sub: string, via: DataRightsChannel): Promise<UserDataExport> {
    await this.require(sub);
    return this.runtime.records.exportData(sub, { actor, details: { via } });
  }

  /**
   * Erasure: AdminDeleteUser (a user already gone is fine), then the personal data out of every
   * item about the user, keeping a tombstone (sub, time, who asked) and a `user.erased` entry
   * with `reason`. Each step is idempotent, so a run cut short is completed by the next; a
   * second erase of an erased user changes nothing and says `already`.
   */
  async erase(
    actor: string,
    sub: string,
    reason: string,
    options: Pick<ChangeOptions, "confirmSelf"> = {},
  ): Promise<ErasureResult> {
    const record = await this.require(sub);
    const erasedBefore = (record as { scrubbedAt?: string }).scrubbedAt !== undefined;
    if (!erasedBefore) {
      // The same safeguards as delete: erasing yourself needs confirming, the last admin stays.
      this.confirmSelf(actor, sub, options, "erase");
      await this.keepAnAdmin(record, "erasing it");
    }
    if (!erasedBefore && mentionsUser(record, reason)) {
      throw new ValidationError(
        { reason: "must not contain the user's email or name: it is kept after the erasure" },
        "The reason names the user; give a reference such as a ticket number instead.",
      );
    }
    let cognitoUser = "not asked";
    if (!erasedBefore) {
      cognitoUser = "deleted";
      try {
        await this.runtime.cognito.delete(record.username);
      } catch (error) {
        if (!isUserNotFound(error)) throw error;
        cognitoUser = "already gone";
      }
    }
    try {
      const { already, auditEntries } = await this.runtime.records.erase(record, { actor, reason });
      return { sub, already, cognitoUser, auditEntries, user: await this.require(sub) };
    } catch (error) {
      if (error instanceof VersionConflictError) {
        return this.conflict(sub, `User ${sub} changed while erasing; run the erase again.`);
      }
      throw error;
    }
  }

  /**
   * Marks the caller's own record deleted after Cognito deleted the user (self-service), retrying
   * a version conflict with the record as it is now: a concurrent change must not undo it.
   */
  async markDeletedBySelf(sub: string, cognitoUser: string): Promise<UserRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.runtime.store.get(sub);
      if (!record || record.status === "deleted") return record;
      try {
        return await this.runtime.records.changeStatus(record, "deleted", {
          actor: sub,
          action: "user.deleted",
          details: { via: "self-service", cognitoUser },
        });
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= 3) throw error;
      }
    }
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
      const updated = await this.setStatus(
        actor,
        record,
        "deleted",
        "user.resynced",
        reason ? { reason } : {},
        {
          changes: ["status"],
          to: "deleted",
          cognitoUser: "missing",
        },
      );
      return { user: updated, changes: ["status"] };
    }
    const drift = driftOf(record, user, await cognito.groupsOf(user.username), this.runtime.config);
    const by = { actor, action: "user.resynced" as const, ...(reason ? { reason } : {}) };
    const current = await this.guarded(sub, "resyncing it", () =>
      this.runtime.records.applyDrift(record, drift, by),
    );
    if (drift.changes.length === 0) await this.runtime.records.note(sub, { ...by, details: { changes: [] } });
    return { user: current, changes: drift.changes };
  }
}
