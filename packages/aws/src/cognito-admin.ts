import {
  AdminAddUserToGroupCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import { type ClientTarget, type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";

export interface CallOptions {
  abortSignal?: AbortSignal;
}

/** The Cognito admin calls the triggers make. The admin package extends it for its own needs. */
export class CognitoAdmin {
  constructor(readonly client: CognitoIdentityProviderClient) {}

  async addUserToGroup(
    userPoolId: string,
    username: string,
    group: string,
    options: CallOptions = {},
  ): Promise<void> {
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
      options,
    );
  }

  /** Native (non-federated) users with exactly this email. ListUsers is eventually consistent. */
  async nativeUsersByEmail(
    userPoolId: string,
    email: string,
    options: CallOptions = {},
  ): Promise<UserType[]> {
    const escaped = email.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const result = await this.client.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${escaped}"`, Limit: 10 }),
      options,
    );
    return (result.Users ?? []).filter((user) => user.UserStatus !== "EXTERNAL_PROVIDER");
  }

  /** Links a federated identity to an existing user, before Cognito creates the federated user. */
  async linkProviderForUser(
    userPoolId: string,
    destinationUsername: string,
    providerName: string,
    providerUserId: string,
    options: CallOptions = {},
  ): Promise<void> {
    await this.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: userPoolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: destinationUsername },
        SourceUser: {
          ProviderName: providerName,
          ProviderAttributeName: "Cognito_Subject",
          ProviderAttributeValue: providerUserId,
        },
      }),
      options,
    );
  }
}

export function cognitoClient(
  timeouts: ClientTimeouts,
  target?: ClientTarget,
): CognitoIdentityProviderClient {
  return instrumentClient(new CognitoIdentityProviderClient(clientOptions(timeouts, target)));
}

export function cognitoAdminFor(config: LifecycleConfig): CognitoAdmin {
  return new CognitoAdmin(cognitoClient(config.timeouts));
}
