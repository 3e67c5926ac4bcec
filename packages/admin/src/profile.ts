import { type ChangeBy, logger } from "@cognito-lifecycle/aws";
import {
  checkProfileEdit,
  LifecycleError,
  type ProfileChange,
  type ProfileEdit,
  profileAuditDetails,
  profileChange,
  type UserRecord,
  untouchedSince,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { ValidationError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";
import type { AdminService, ChangeOptions } from "./service.ts";

/** A profile edit's answer: the record after it and the names of what changed (none: nothing written). */
export interface ProfileEditResult {
  user: UserRecord;
  changes: string[];
}

/** Cognito took the edit, the user table did not (it failed, not a conflict): a 502 whose message says so. */
export class ProfilePartlySavedError extends LifecycleError {
  override readonly name = "ProfilePartlySavedError";
  constructor(sub: string, cause: unknown) {
    super(
      `The profile of ${sub} was saved in Cognito but not in the user table; resync the user (the delete signal and reconcile also repair it).`,
      { status: 502, code: "partly_saved", expose: true, cause },
    );
  }
}

/** Record writes tried before a concurrent writer is taken for a conflict. */
const maxAttempts = 3;

/**
 * An admin's edit of a user's name, locale and editable custom attributes (`admin.editableAttributes`).
 *
 * Order: the checks (valid edit, record not deleted, at the version the caller saw, the caller's
 * confirmation for their own account), then AdminUpdateUserAttributes, then the record's
 * conditional update with a `user.profile_updated` audit entry (its `user.updated` event).
 * Cognito goes first because it is the source of truth every resync and reconcile copies from: a
 * Cognito failure leaves both untouched, and a record write that fails after it leaves a drift
 * those repairs (and the CloudTrail delete signal, which AdminUpdateUserAttributes triggers) fix,
 * reported to the caller as `partly_saved`, never silently. A record another writer moved between
 * the check and the write is read again: if the edited fields are as the admin saw them, the edit
 * is applied to it; if they already hold the edit (the delete signal synced it), only the audit
 * entry is written; if someone else changed the same fields, the record is resynced from Cognito
 * (so both hold the same values) and the answer is a 409 with both versions to re-apply from.
 */
export class ProfileEditor {
  constructor(
    private readonly runtime: AdminRuntime,
    private readonly service: AdminService,
  ) {}

  async edit(
    actor: string,
    sub: string,
    requested: ProfileEdit,
    options: ChangeOptions & { expectedVersion: number },
  ): Promise<ProfileEditResult> {
    const { edit, problems } = checkProfileEdit(this.runtime.config, requested);
    if (Object.keys(problems).length > 0) {
      throw new ValidationError(problems, "The profile edit is not valid; nothing was saved.");
    }
    const record = await this.service.prepareAction(actor, sub, options, {
      done: "edited",
      verb: "edit the profile of",
    });
    const change = profileChange(record, edit);
    if (change.changes.length === 0) return { user: record, changes: [] };
    const { cognito } = this.runtime;
    await this.service.inCognito(record, (username) => cognito.updateAttributes(username, change.cognito));
    const by: ChangeBy = {
      actor,
      action: "user.profile_updated",
      ...(options.reason ? { reason: options.reason } : {}),
    };
    return { user: await this.saveRecord(record, edit, change, by), changes: change.changes };
  }

  /** The record's conditional update after Cognito took `change` (see the class comment). */
  private async saveRecord(
    before: UserRecord,
    edit: ProfileEdit,
    change: ProfileChange,
    by: ChangeBy,
  ): Promise<UserRecord> {
    let current = before;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return await this.runtime.records.updateProfile(current, profileChange(current, edit), by);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) {
          logger.error("profile saved in Cognito, not in the table", {
            sub: before.sub,
            error: (error as Error)?.name,
          });
          throw new ProfilePartlySavedError(before.sub, error);
        }
      }
      current = await this.service.require(before.sub);
      if (profileChange(current, edit).changes.length === 0) {
        await this.runtime.records.note(before.sub, { ...by, details: profileAuditDetails(before, change) });
        return current;
      }
      if (!untouchedSince(current, before, change)) break;
    }
    await this.service.resync(by.actor, before.sub, "a profile edit met another change to the same fields");
    return this.service.conflict(
      before.sub,
      `User ${before.sub}'s profile changed while saving. Cognito and the record now agree on the values shown; apply your edit to them again.`,
    );
  }
}
