import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  DeleteUserCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";

/** A Cognito user as the admin tools see it. */
export interface CognitoUser {
  username: string;
  sub: string;
  attributes: Record<string, string>;
  enabled: boolean;
  /** UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, EXTERNAL_PROVIDER, RESET_REQUIRED, ... */
  status: string;
  createdAt?: string;
}

/** The MFA factors a user has turned on (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`) and the preferred one. */
export interface MfaState {
  enabled: string[];
  preferred?: string;
}

/** Each factor's settings field in AdminSetUserMFAPreference. */
const mfaSettingsField = {
  SOFTWARE_TOKEN_MFA: "SoftwareTokenMfaSettings",
  SMS_MFA: "SMSMfaSettings",
  EMAIL_OTP: "EmailMfaSettings",
} as const;

export interface BackoffOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  baseMs?: number;
  capMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each wait, e.g. to show it in a progress line. */
  onThrottle?: (waitMs: number, attempt: number) => void;
}

const throttled = new Set(["TooManyRequestsException", "ThrottlingException"]);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries `call` while Cognito says "too many requests", waiting exponentially longer (full
 * jitter) between attempts. Cognito's per-category quotas are per account and region, so a long
 * job shares them with the app and must slow down rather than fail.
 */
export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseMs = options.baseMs ?? 250;
  const capMs = options.capMs ?? 20_000;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!throttled.has((error as Error)?.name) || attempt >= maxAttempts) throw error;
      const waitMs = Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));
      options.onThrottle?.(waitMs, attempt);
      await wait(waitMs);
    }
  }
}

export function attributeMap(attributes: AttributeType[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (attributes ?? []).flatMap((attribute) =>
      attribute.Name && attribute.Value !== undefined ? [[attribute.Name, attribute.Value]] : [],
    ),
  );
}

export function fromUserType(user: UserType): CognitoUser | undefined {
  const attributes = attributeMap(user.Attributes);
  if (!user.Username || !attributes.sub) return undefined;
  return {
    username: user.Username,
    sub: attributes.sub,
    attributes,
    enabled: user.Enabled !== false,
    status: user.UserStatus ?? "UNKNOWN",
    ...(user.UserCreateDate ? { createdAt: new Date(user.UserCreateDate).toISOString() } : {}),
  };
}

export function isUserNotFound(error: unknown): boolean {
  return (error as Error)?.name === "UserNotFoundException";
}

/** The Cognito admin calls the admin API, the CLI and reconcile make. */
export class AdminCognito {
  constructor(
    readonly client: CognitoIdentityProviderClient,
    readonly userPoolId: string,
    private readonly backoff: BackoffOptions = {},
  ) {}

  private send<T>(call: () => Promise<T>): Promise<T> {
    return withBackoff(call, this.backoff);
  }

  async disable(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: username })),
    );
  }

  async enable(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: username })),
    );
  }

  /** Revokes every refresh token of the user, so no session outlives a disable. */
  async signOutEverywhere(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(
        new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }),
      ),
    );
  }

  /**
   * AdminCreateUser: the user gets Cognito's invitation (a temporary password), branded by our
   * custom message trigger (CustomMessage_AdminCreateUser). The email is verified by the admin,
   * so the user can reset a forgotten temporary password. Only profile attributes are set here:
   * roles live in our record.
   */
  async invite(email: string, name?: string): Promise<CognitoUser> {
    const attributes = [
      { Name: "email", Value: email },
      { Name: "email_verified", Value: "true" },
      ...(name ? [{ Name: "name", Value: name }] : []),
    ];
    return this.createUser(email, attributes, { DesiredDeliveryMediums: ["EMAIL"] });
  }

  /** AdminCreateUser with `email` as username; answers the user Cognito created. */
  private async createUser(
    email: string,
    attributes: { Name: string; Value: string }[],
    delivery: { DesiredDeliveryMediums: ["EMAIL"] } | { MessageAction: "SUPPRESS" },
  ): Promise<CognitoUser> {
    const result = await this.send(() =>
      this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: attributes,
          ...delivery,
        }),
      ),
    );
    const user = result.User ? fromUserType(result.User) : undefined;
    if (!user) throw new Error("AdminCreateUser answered without the user");
    return user;
  }

  /**
   * AdminCreateUser with MessageAction SUPPRESS and no temporary password we know: Cognito sends
   * nothing and the user stays FORCE_CHANGE_PASSWORD until an admin sends the invitation
   * (`resendInvite`), whose temporary password must be replaced at the first sign-in. Used by
   * imports for users without a usable hash. Only profile attributes: roles live in our record.
   */
  async createSuppressed(email: string, profile: { emailVerified: boolean; name?: string; locale?: string }) {
    const attributes = [
      { Name: "email", Value: email },
      { Name: "email_verified", Value: String(profile.emailVerified) },
      ...(profile.name ? [{ Name: "name", Value: profile.name.slice(0, 256) }] : []),
      ...(profile.locale ? [{ Name: "locale", Value: profile.locale }] : []),
    ];
    return this.createUser(email, attributes, { MessageAction: "SUPPRESS" });
  }

  /** AdminCreateUser with MessageAction RESEND: a new temporary password, the invitation again. */
  async resendInvite(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          MessageAction: "RESEND",
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      ),
    );
  }

  async delete(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username })),
    );
  }

  /**
   * DeleteUser with the user's own access token: Cognito checks the token (signature, expiry,
   * revocation, the `aws.cognito.signin.user.admin` scope), so no IAM grant can delete anyone else.
   */
  async deleteSelf(accessToken: string): Promise<void> {
    await this.send(() => this.client.send(new DeleteUserCommand({ AccessToken: accessToken })));
  }

  /** The user, or undefined if Cognito has no such user. */
  async get(username: string): Promise<CognitoUser | undefined> {
    try {
      const result = await this.send(() =>
        this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username })),
      );
      return fromUserType({
        Username: result.Username,
        Attributes: result.UserAttributes,
        Enabled: result.Enabled,
        UserStatus: result.UserStatus,
        UserCreateDate: result.UserCreateDate,
      });
    } catch (error) {
      if (isUserNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Whether the user has an authenticator app (TOTP) enabled for sign-in. */
  async hasTotp(username: string): Promise<boolean> {
    return (await this.mfaOf(username)).enabled.includes("SOFTWARE_TOKEN_MFA");
  }

  /** The user's MFA factors, from AdminGetUser (UserMFASettingList, PreferredMfaSetting). */
  async mfaOf(username: string): Promise<MfaState> {
    const result = await this.send(() =>
      this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username })),
    );
    return {
      enabled: [...(result.UserMFASettingList ?? [])].sort(),
      ...(result.PreferredMfaSetting ? { preferred: result.PreferredMfaSetting } : {}),
    };
  }

  /**
   * AdminSetUserMFAPreference turning off each of `factors` (only those: a pool without SMS or
   * email MFA refuses settings for them). The user sets a factor up again at their next sign-in.
   */
  async resetMfa(username: string, factors: readonly string[]): Promise<void> {
    const settings = Object.fromEntries(
      factors.flatMap((factor) => {
        const field = mfaSettingsField[factor as keyof typeof mfaSettingsField];
        return field ? [[field, { Enabled: false, PreferredMfa: false }]] : [];
      }),
    );
    if (Object.keys(settings).length === 0) return;
    await this.send(() =>
      this.client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          ...settings,
        }),
      ),
    );
  }

  /** AdminResetUserPassword: the password stops working and Cognito sends a reset code. */
  async resetPassword(username: string): Promise<void> {
    await this.send(() =>
      this.client.send(
        new AdminResetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: username }),
      ),
    );
  }

  /**
   * AdminUpdateUserAttributes `email_verified=true` with the address itself (`email`, as Cognito
   * has it now: the caller read it), which cognito-local requires; Cognito sends no code when
   * both come in one call. The admin vouches for the address.
   */
  async markEmailVerified(username: string, email: string): Promise<void> {
    await this.updateAttributes(username, { email, email_verified: "true" });
  }

  /** AdminUpdateUserAttributes with `attributes` (name -> value). */
  async updateAttributes(username: string, attributes: Record<string, string>): Promise<void> {
    await this.send(() =>
      this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      ),
    );
  }

  /** AdminDeleteUserAttributes: clears `names` (Cognito refuses a required or immutable attribute). */
  async deleteAttributes(username: string, names: readonly string[]): Promise<void> {
    await this.send(() =>
      this.client.send(
        new AdminDeleteUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          UserAttributeNames: [...names],
        }),
      ),
    );
  }

  /** The user's group names, sorted (every page). */
  async groupsOf(username: string): Promise<string[]> {
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(() =>
        this.client.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: this.userPoolId,
            Username: username,
            Limit: 60,
            NextToken: token,
          }),
        ),
      );
      groups.push(...(page.Groups ?? []).flatMap((group) => (group.GroupName ? [group.GroupName] : [])));
      token = page.NextToken;
    } while (token);
    return [...new Set(groups)].sort();
  }

  /** One page of ListUsers (60 is Cognito's maximum). */
  async listUsersPage(
    paginationToken?: string,
    limit = 60,
  ): Promise<{ users: CognitoUser[]; paginationToken?: string }> {
    const page = await this.send(() =>
      this.client.send(
        new ListUsersCommand({ UserPoolId: this.userPoolId, Limit: limit, PaginationToken: paginationToken }),
      ),
    );
    return {
      users: (page.Users ?? []).flatMap((user) => fromUserType(user) ?? []),
      ...(page.PaginationToken ? { paginationToken: page.PaginationToken } : {}),
    };
  }

  /**
   * Username -> sorted group names for every member of every group: a few calls per group instead
   * of one AdminListGroupsForUser per user.
   */
  async groupMemberships(): Promise<Map<string, string[]>> {
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(() =>
        this.client.send(new ListGroupsCommand({ UserPoolId: this.userPoolId, Limit: 60, NextToken: token })),
      );
      groups.push(...(page.Groups ?? []).flatMap((group) => (group.GroupName ? [group.GroupName] : [])));
      token = page.NextToken;
    } while (token);
    const members = new Map<string, string[]>();
    for (const group of groups.sort()) {
      let next: string | undefined;
      do {
        const page = await this.send(() =>
          this.client.send(
            new ListUsersInGroupCommand({
              UserPoolId: this.userPoolId,
              GroupName: group,
              Limit: 60,
              NextToken: next,
            }),
          ),
        );
        for (const user of page.Users ?? []) {
          if (!user.Username) continue;
          members.set(user.Username, [...(members.get(user.Username) ?? []), group]);
        }
        next = page.NextToken;
      } while (next);
    }
    return members;
  }
}
