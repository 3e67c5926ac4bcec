import { type ChangeBy, logger } from "@cognito-lifecycle/aws";
import {
  checkProfileEdit,
  displayName,
  LifecycleError,
  type ProfileChange,
  type ProfileEdit,
  type ProfileFallbacks,
  profileAuditDetails,
  profileChange,
  type UserRecord,
  untouchedSince,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { ConflictError, ValidationError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";
import type { AdminService, ChangeOptions } from "./service.ts";

/**
 * A profile edit's answer: the record after it, the names of what changed (none: nothing
 * written) and, when any, which of them were cleared.
 */
export interface ProfileEditResult {
  user: UserRecord;
  changes: string[];
  cleared?: string[];
}

/**
 * Cognito took the edit (or its clearing, when setting the rest failed), the user table did not:
 * a 502 whose message says so.
 */
export class ProfilePartlySavedError extends LifecycleError {
  override readonly name = "ProfilePartlySavedError";
  constructor(sub: string, cause: unknown, saved = "saved in Cognito but not in the user table") {
    super(
      `The profile of ${sub} was ${saved}; resync the user (the delete signal and reconcile also repair it).`,
      { status: 502, code: "partly_saved", expose: true, cause },
    );
  }
}

/** Cognito refuses to clear an attribute the pool requires (or one that is immutable). */
const isInvalidParameter = (error: unknown) => (error as Error)?.name === "InvalidParameterException";

/** Record writes tried before a concurrent writer is taken for a conflict. */
const maxAttempts = 3;

/**
 * An admin's edit of a user's name, locale and editable custom attributes (`admin.editableAttributes`):
 * set (a value) or cleared (`null`).
 *
 * Order: the checks (valid edit, record not deleted, at the version the caller saw, the caller's
 * confirmation for their own account), then AdminDeleteUserAttributes for the cleared fields (a
 * refusal, such as a required attribute, leaves everything as it was), AdminUpdateUserAttributes
 * for the set ones, then the record's conditional update with a `user.profile_updated` audit
 * entry (its `user.updated` event).
 * Cognito goes first because it is the source of truth every resync and reconcile copies from: a
 * Cognito failure leaves both untouched, and a record write that fails after it leaves a drift
 * those repairs (and the CloudTrail delete signal, which both Cognito calls trigger) fix,
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
    const fallbacks = await this.fallbacksFor(record, edit);
    const change = profileChange(record, edit, fallbacks);
    if (change.changes.length === 0) return { user: record, changes: [] };
    await this.writeCognito(record, change);
    const by: ChangeBy = {
      actor,
      action: "user.profile_updated",
      ...(options.reason ? { reason: options.reason } : {}),
    };
    return {
      user: await this.saveRecord(record, (current) => profileChange(current, edit, fallbacks), change, by),
      changes: change.changes,
      ...(change.cleared.length > 0 ? { cleared: change.cleared } : {}),
    };
  }

  /**
   * What a cleared name leaves: the name Cognito's other attributes give (given and family
   * name), as resync would compute it. One AdminGetUser, only when the name is cleared.
   */
  private async fallbacksFor(record: UserRecord, edit: ProfileEdit): Promise<ProfileFallbacks> {
    if (edit.name !== null) return {};
    const user = await this.runtime.cognito.get(record.username);
    if (!user) {
      throw new ConflictError(
        `User ${record.sub} no longer exists in Cognito; resync or reconcile marks the record deleted.`,
        record,
      );
    }
    const name = displayName({ ...user.attributes, name: "" });
    return name ? { name } : {};
  }

  /** Clears, then sets, in Cognito; a refused clear changes nothing, a failed set after it is partly saved. */
  private async writeCognito(record: UserRecord, change: ProfileChange): Promise<void> {
    const { cognito } = this.runtime;
    if (change.cleared.length > 0) {
      try {
        await this.service.inCognito(record, (username) =>
          cognito.deleteAttributes(username, change.cleared),
        );
      } catch (error) {
        if (!isInvalidParameter(error)) throw error;
        const refused =
          "Cognito refused to clear it (InvalidParameterException: required or immutable in the user pool)";
        const fields = Object.fromEntries(change.cleared.map((field) => [fieldOf(field), refused]));
        throw new ValidationError(fields, "The profile edit is not valid; nothing was saved.");
      }
    }
    if (Object.keys(change.cognito).length === 0) return;
    try {
      await this.service.inCognito(record, (username) => cognito.updateAttributes(username, change.cognito));
    } catch (error) {
      if (change.cleared.length === 0) throw error;
      logger.error("profile cleared in Cognito, the rest not set", {
        sub: record.sub,
        error: (error as Error)?.name,
      });
      throw new ProfilePartlySavedError(
        record.sub,
        error,
        `cleared in Cognito (${change.cleared.join(", ")}), but its other values were not set there and the user table was not changed`,
      );
    }
  }

  /** The record's conditional update after Cognito took `change` (see the class comment). */
  private async saveRecord(
    before: UserRecord,
    changeOf: (current: UserRecord) => ProfileChange,
    change: ProfileChange,
    by: ChangeBy,
  ): Promise<UserRecord> {
    let current = before;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return await this.runtime.records.updateProfile(current, changeOf(current), by);
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
      if (changeOf(current).changes.length === 0) {
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

/** The request field a Cognito attribute came from, as a 400's `fields` names it. */
function fieldOf(attribute: string): string {
  return attribute === "name" || attribute === "locale" ? attribute : `attributes.${attribute}`;
}
