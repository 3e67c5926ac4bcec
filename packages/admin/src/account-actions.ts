import { type UserRecord, VersionConflictError } from "@cognito-lifecycle/core";
import type { MfaState } from "./cognito.ts";
import { ConflictError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";
import type { AdminService, ChangeOptions } from "./service.ts";

/** An account action's answer: the record as it is after it, and `already` when nothing was needed. */
export interface AccountActionResult {
  user: UserRecord;
  already?: boolean;
}

/**
 * The account actions an admin takes on a user without changing their access: sign out
 * everywhere, reset the password, mark the email verified, see and reset MFA. Each checks what a
 * status change checks (not deleted, the version the caller saw, confirmation for their own
 * account), calls Cognito first and then writes its audit entry (and, for the email, the record).
 */
export class AccountActions {
  constructor(
    private readonly runtime: AdminRuntime,
    private readonly service: AdminService,
  ) {}

  private by(actor: string, action: AccountAuditAction, options: ChangeOptions, details?: object) {
    return {
      actor,
      action,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(details ? { details: { ...details } } : {}),
    };
  }

  /**
   * AdminUserGlobalSignOut: every refresh token of the user is revoked, the account stays
   * enabled. Tokens already issued work until they expire (an hour at most by default).
   */
  async signOut(actor: string, sub: string, options: ChangeOptions = {}): Promise<AccountActionResult> {
    const record = await this.service.prepareAction(actor, sub, options, {
      done: "signed out",
      verb: "sign out everywhere",
    });
    await this.service.inCognito(record, (username) => this.runtime.cognito.signOutEverywhere(username));
    await this.runtime.records.note(
      sub,
      this.by(actor, "user.signed-out", options, { via: "admin", signOut: "done" }),
    );
    return { user: record };
  }

  /**
   * AdminResetUserPassword: the password stops working and Cognito sends a reset code to the
   * verified email. Refused (409) where no code could arrive: a user without a verified email,
   * or a federated user, who has no password here.
   */
  async resetPassword(actor: string, sub: string, options: ChangeOptions = {}): Promise<AccountActionResult> {
    const record = await this.service.prepareAction(actor, sub, options, {
      done: "sent a password reset",
      verb: "reset the password of",
    });
    if (record.source === "federated") {
      throw new ConflictError(
        `User ${sub} signs in through an identity provider and has no password here to reset.`,
        record,
      );
    }
    if (!record.email || !record.emailVerified) {
      throw new ConflictError(
        `User ${sub} has no verified email to send the reset code to; mark the email verified first.`,
        record,
      );
    }
    await this.service.inCognito(record, (username) => this.runtime.cognito.resetPassword(username));
    await this.runtime.records.note(
      sub,
      this.by(actor, "user.password-reset", options, { delivery: "email" }),
    );
    return { user: record };
  }

  /**
   * AdminUpdateUserAttributes `email_verified=true`, then the record (`emailVerified`,
   * `emailVerifiedBy: "admin"`) through the record operations, audited `user.email-verified`. A
   * record another writer moved in between (the delete signal syncing the same attribute) is
   * read again once. If the record write fails, Cognito is already verified: resync and reconcile
   * bring `emailVerified` in line (they cannot know it was an admin).
   */
  async verifyEmail(actor: string, sub: string, options: ChangeOptions = {}): Promise<AccountActionResult> {
    const record = await this.service.prepareAction(actor, sub, options, {
      done: "given a verified email",
      verb: "mark the email verified of",
    });
    if (!record.email) throw new ConflictError(`User ${sub} has no email to mark verified.`, record);
    if (record.emailVerified) return { user: record, already: true };
    const { cognito } = this.runtime;
    // The admin vouches for the address they saw: one Cognito has since changed is not it.
    const current = await this.service.inCognito(record, (username) => cognito.get(username));
    if (current?.attributes.email !== record.email) {
      throw new ConflictError(
        `User ${sub}'s email in Cognito differs from the record; resync, check it, then mark it verified.`,
        record,
      );
    }
    await this.service.inCognito(record, (username) =>
      cognito.markEmailVerified(username, current.attributes.email as string),
    );
    const fields = { emailVerified: true, emailVerifiedBy: "admin" } as const;
    const by = this.by(actor, "user.email-verified", options);
    try {
      return { user: await this.runtime.records.editFields(record, fields, by) };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      const fresh = await this.service.require(sub);
      return {
        user: await this.service.guarded(sub, "verifying its email", () =>
          this.runtime.records.editFields(fresh, fields, by),
        ),
      };
    }
  }

  /** The user's MFA factors as Cognito has them (AdminGetUser). */
  async mfa(sub: string): Promise<MfaState> {
    const record = await this.service.require(sub);
    return this.service.inCognito(record, (username) => this.runtime.cognito.mfaOf(username));
  }

  /**
   * Turns off every MFA factor the user has (AdminSetUserMFAPreference), for a user who lost
   * their authenticator; audited `user.mfa-reset` with the factors. An admin must then set up
   * TOTP again before the console or the API lets them in. No factor on: answered as is.
   */
  async resetMfa(
    actor: string,
    sub: string,
    options: ChangeOptions = {},
  ): Promise<AccountActionResult & { mfa: MfaState }> {
    const record = await this.service.prepareAction(actor, sub, options, {
      done: "given an MFA reset",
      verb: "reset the MFA of",
    });
    const { cognito } = this.runtime;
    const before = await this.service.inCognito(record, (username) => cognito.mfaOf(username));
    if (before.enabled.length === 0) return { user: record, mfa: before, already: true };
    await this.service.inCognito(record, (username) => cognito.resetMfa(username, before.enabled));
    await this.runtime.records.note(
      sub,
      this.by(actor, "user.mfa-reset", options, { factors: before.enabled }),
    );
    return { user: record, mfa: { enabled: [] } };
  }
}

type AccountAuditAction =
  | "user.signed-out"
  | "user.password-reset"
  | "user.email-verified"
  | "user.mfa-reset";
