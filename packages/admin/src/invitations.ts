import { type UserRecord, unknownRoles } from "@cognito-lifecycle/core";
import { ConflictError, UserExistsError, ValidationError } from "./errors.ts";
import type { AdminRuntime } from "./runtime.ts";
import type { AdminService } from "./service.ts";

export interface InviteRequest {
  email: string;
  /** Our record's roles; the configured default roles when absent. Never a Cognito attribute. */
  roles?: string[];
  name?: string;
  reason?: string;
}

/**
 * Invitations: AdminCreateUser sends Cognito's invitation (branded by our custom message
 * trigger), and the record is written at once with `invitePending`, the roles the admin chose
 * and an audit entry naming the admin. The first sign-in clears `invitePending`.
 */
export class Invitations {
  constructor(
    private readonly runtime: AdminRuntime,
    private readonly service: AdminService,
  ) {}

  async invite(actor: string, request: InviteRequest): Promise<UserRecord> {
    const { cognito, records, config } = this.runtime;
    const unknown = unknownRoles(config, request.roles ?? []);
    if (unknown.length > 0) {
      throw new ValidationError(
        { roles: `unknown role: ${unknown.join(", ")}` },
        `Unknown role: ${unknown.join(", ")}.`,
      );
    }
    let user: Awaited<ReturnType<typeof cognito.invite>>;
    try {
      user = await cognito.invite(request.email, request.name);
    } catch (error) {
      if ((error as Error)?.name === "UsernameExistsException") {
        throw new UserExistsError("A user with this email already exists; resend their invite instead.");
      }
      throw error;
    }
    const now = this.runtime.now().toISOString();
    // cognito:user_status makes the source admin-create and the email verified by an admin.
    const attributes = { ...user.attributes, "cognito:user_status": user.status };
    const { record } = await records.createIfMissing(
      "invite",
      { sub: user.sub, username: user.username, attributes, source: "admin-create", now },
      {
        actor,
        overrides: {
          invitePending: true,
          ...(request.roles ? { roles: [...new Set(request.roles)].sort() } : {}),
        },
        details: (fresh) => ({ roles: fresh.roles, ...(request.reason ? { reason: request.reason } : {}) }),
      },
    );
    return record;
  }

  /** AdminCreateUser RESEND for a user whose invitation is still pending; audited. */
  async resend(actor: string, sub: string, reason?: string): Promise<UserRecord> {
    const record = await this.service.require(sub);
    if (record.status === "deleted" || !record.invitePending) {
      throw new ConflictError(`User ${sub} has no pending invitation to resend.`, record);
    }
    await this.runtime.cognito.resendInvite(record.username);
    await this.runtime.records.note(sub, {
      actor,
      action: "user.invite-resent",
      ...(reason ? { reason } : {}),
    });
    return record;
  }
}
