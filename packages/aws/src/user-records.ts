import {
  type AuditAction,
  type AuditEntry,
  type AuditEvent,
  creationAudit,
  type Drift,
  type EmailDeliverability,
  initialRecord,
  isNewerFeedback,
  type LifecycleConfig,
  type NewRecordInput,
  type ProfileChange,
  profileAuditDetails,
  type RecordFields,
  type RecordOrigin,
  type UserRecord,
  type UserStatus,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import type { UserDataExport } from "./user-export.ts";
import type { CreateOptions, CreateResult, RoleHolder, UserStore } from "./user-store.ts";

/** Where an operation's audit entries get their id and time. */
export interface AuditClock {
  newId: () => string;
  now: () => Date;
}

/** Who makes a change and why: the audit entry of each write an operation makes. */
export interface ChangeBy {
  actor: string;
  action: AuditAction;
  reason?: string;
  details?: Record<string, unknown>;
}

function stamp(clock: AuditClock, entry: AuditEntry): AuditEvent {
  return { ...entry, id: clock.newId(), at: clock.now().toISOString() };
}

function entryFor(sub: string, by: ChangeBy, details?: Record<string, unknown>): AuditEntry {
  const merged = by.details || details ? { ...by.details, ...details } : undefined;
  return {
    sub,
    actor: by.actor,
    action: by.action,
    ...(by.reason ? { reason: by.reason } : {}),
    ...(merged ? { details: merged } : {}),
  };
}

/**
 * The record operations every writer of the user table calls (triggers, reconcile, the admin
 * service, the CLI): each builds the record or change from core's decisions, and writes it with
 * its audit entry in one conditional request.
 */
export class UserRecords {
  constructor(
    private readonly store: UserStore,
    private readonly config: LifecycleConfig,
    private readonly clock: AuditClock,
  ) {}

  /**
   * Creates the record `origin` starts with unless one exists, with its role items and its audit
   * entry in the same transaction. `created` says whether this call wrote it (and so owns the
   * welcome email it may have claimed).
   */
  async createIfMissing(
    origin: RecordOrigin,
    input: NewRecordInput,
    options: CreateOptions & {
      overrides?: Parameters<typeof initialRecord>[3];
      details?: (record: UserRecord) => Record<string, unknown> | undefined;
      actor?: string;
    } = {},
  ): Promise<{ record: UserRecord; created: CreateResult }> {
    const { overrides, details, actor, ...create } = options;
    const record = initialRecord(this.config, origin, input, overrides);
    const audit = stamp(this.clock, creationAudit(origin, record, details?.(record), actor));
    const created = await this.store.create(record, audit, create);
    return { record, created };
  }

  /**
   * Gives a record written before searches existed its search text (profile and role entries),
   * conditional on its version: derived data like an index key, so no version bump, no audit
   * entry and no event. False when the record moved on (its own write derived the text).
   */
  backfillSearch(record: Pick<UserRecord, "sub" | "email" | "name" | "roles" | "version">): Promise<boolean> {
    return this.store.backfillSearchText(record);
  }

  /**
   * Brings `record` in line with Cognito: the drifted fields in one versioned write, then the
   * status in another, each with its audit entry (`statusReason` for the status, when given).
   */
  async applyDrift(
    record: UserRecord,
    drift: Drift,
    by: ChangeBy & { statusReason?: string },
  ): Promise<UserRecord> {
    let current = record;
    const fieldChanges = drift.changes.filter((change) => change !== "status");
    if (fieldChanges.length > 0) {
      current = await this.store.sync(
        record.sub,
        drift.fields,
        stamp(this.clock, entryFor(record.sub, by, { changes: fieldChanges })),
      );
    }
    if (drift.status) {
      const { statusReason, ...rest } = by;
      current = await this.changeStatus(current, drift.status, {
        ...rest,
        ...(statusReason ? { reason: statusReason } : {}),
        details: { ...by.details, changes: ["status"], to: drift.status },
      });
    }
    return current;
  }

  /**
   * An admin's edit of profile fields, written only if the record is still at `record.version`
   * (else `VersionConflictError`); the audit entry names the fields that changed and their
   * values before. Nothing that equals the record is written.
   */
  async editFields(record: UserRecord, fields: RecordFields, by: ChangeBy): Promise<UserRecord> {
    const changed = Object.entries(fields).filter(
      ([field, value]) => JSON.stringify(record[field as keyof UserRecord]) !== JSON.stringify(value),
    );
    if (changed.length === 0) return record;
    const from = Object.fromEntries(
      changed.map(([field]) => [field, record[field as keyof UserRecord] ?? null]),
    );
    const audit = stamp(
      this.clock,
      entryFor(record.sub, by, { changes: changed.map(([field]) => field), from }),
    );
    return this.store.sync(record.sub, Object.fromEntries(changed), audit, {
      expectedVersion: record.version,
    });
  }

  /**
   * An admin's profile edit (`profileChange`), written only if the record is still at
   * `record.version` (else `VersionConflictError`), audited with `by` (`user.profile_updated`)
   * and `profileAuditDetails`, so its `user.updated` event follows. An empty change writes nothing.
   */
  async updateProfile(record: UserRecord, change: ProfileChange, by: ChangeBy): Promise<UserRecord> {
    if (change.changes.length === 0) return record;
    const audit = stamp(this.clock, entryFor(record.sub, by, profileAuditDetails(record, change)));
    return this.store.sync(record.sub, change.fields, audit, { expectedVersion: record.version });
  }

  /**
   * Records what SES reported for `record`'s address, written only if the record is still at
   * `record.version` (else `VersionConflictError`) and still has the address SES reported on.
   * Audited as `user.email-feedback` (status and SES types, never the address), so `user.updated`
   * follows. Nothing is written when the record already holds this report or a newer one.
   */
  async markEmailDeliverability(
    record: UserRecord,
    deliverability: EmailDeliverability,
    by: Omit<ChangeBy, "action">,
  ): Promise<UserRecord> {
    if (!isNewerFeedback(record.emailDeliverability, deliverability)) return record;
    const audit = stamp(
      this.clock,
      entryFor(record.sub, { ...by, action: "user.email-feedback" }, { ...deliverability }),
    );
    return this.store.sync(record.sub, { emailDeliverability: deliverability }, audit, {
      expectedVersion: record.version,
    });
  }

  /**
   * Sets the status, recording where it came from; with `expectedVersion`, only if the record is
   * still at it, and with `keeps`, only if that other user still holds their role.
   */
  changeStatus(
    record: Pick<UserRecord, "sub" | "status">,
    status: UserStatus,
    by: ChangeBy,
    options: { expectedVersion?: number; keeps?: RoleHolder } = {},
  ): Promise<UserRecord> {
    return this.store.setStatus(
      record.sub,
      status,
      stamp(this.clock, entryFor(record.sub, by, { from: record.status })),
      options,
    );
  }

  /** Replaces the roles if the record is still at `expectedVersion`, recording from and to. */
  setRoles(
    record: UserRecord,
    roles: readonly string[],
    expectedVersion: number,
    by: ChangeBy,
    keeps?: RoleHolder,
  ): Promise<UserRecord> {
    const next = [...new Set(roles)].sort();
    return this.store.setRoles(
      record.sub,
      next,
      expectedVersion,
      stamp(this.clock, entryFor(record.sub, by, { from: record.roles, to: next })),
      keeps,
    );
  }

  /**
   * Erases `record`'s personal data (profile, role entries, every audit entry) and keeps a
   * tombstone with the sub, the time and `by.actor`, audited as `user.erased` (with `by.reason`,
   * which the caller has checked holds no personal data). Idempotent: an erased record only has
   * any audit entries an interrupted run left behind scrubbed, and reports `already`.
   */
  async erase(
    record: UserRecord,
    by: Omit<ChangeBy, "action">,
  ): Promise<{ already: boolean; auditEntries: number }> {
    const now = this.clock.now().toISOString();
    if ((record as { scrubbedAt?: string }).scrubbedAt) {
      return { already: true, auditEntries: await this.store.scrubAudit(record.sub, now) };
    }
    const audit = stamp(this.clock, entryFor(record.sub, { ...by, action: "user.erased" }));
    const { tombstoned, auditEntries } = await this.store.scrub({ record, audit, erasedBy: by.actor });
    if (!tombstoned) throw new VersionConflictError(record.sub, record.version);
    return { already: false, auditEntries };
  }

  /** The export document of `sub`, audited as `user.exported` (who asked, and how). */
  async exportData(sub: string, by: Omit<ChangeBy, "action">): Promise<UserDataExport> {
    const exported = await this.store.exportData(sub, this.clock.now());
    await this.note(sub, {
      ...by,
      action: "user.exported",
      details: { items: exported.items, ...by.details },
    });
    return exported;
  }

  /** An audit entry for a change that wrote nothing else (e.g. a resync that found no drift). */
  note(sub: string, by: ChangeBy): Promise<void> {
    return this.store.appendAudit(stamp(this.clock, entryFor(sub, by)));
  }
}
