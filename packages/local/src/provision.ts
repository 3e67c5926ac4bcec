import { randomBytes } from "node:crypto";
import {
  AddCustomAttributesCommand,
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UpdateGroupCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LifecycleConfig } from "@cognito-lifecycle/core";

export const localClientName = "local-app";

/** A password that satisfies Cognito's default policy (upper, lower, digit, symbol, 8+). */
export function generatePassword(): string {
  return `${randomBytes(12).toString("base64url")}-Aa1`;
}

/**
 * The local user pool, by name: email is the username, and email is verified by code. It has
 * the `customAttributes` (`custom:x`) as mutable strings, as stacks/auth.ts deploys them.
 */
export async function ensureUserPool(
  cognito: CognitoIdentityProviderClient,
  name: string,
  customAttributes: readonly string[] = [],
): Promise<string> {
  const { UserPools = [] } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const existing = UserPools.find((pool) => pool.Name === name)?.Id;
  if (existing) {
    await withCustomAttributes(cognito, existing, customAttributes);
    return withTotp(cognito, existing);
  }
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    }),
  );
  if (!UserPool?.Id) throw new Error("cognito-local created a user pool without an id");
  await withCustomAttributes(cognito, UserPool.Id, customAttributes);
  return withTotp(cognito, UserPool.Id);
}

/** Adds the custom attributes the pool lacks (an existing `.local` pool gets new ones too). */
async function withCustomAttributes(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  attributes: readonly string[],
): Promise<void> {
  if (attributes.length === 0) return;
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const present = new Set((UserPool?.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  const missing = attributes.filter((attribute) => !present.has(attribute));
  if (missing.length === 0) return;
  await cognito.send(
    new AddCustomAttributesCommand({
      UserPoolId: userPoolId,
      CustomAttributes: missing.map((attribute) => ({
        Name: attribute.slice("custom:".length),
        AttributeDataType: "String",
        Mutable: true,
        StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
      })),
    }),
  );
}

/**
 * MFA as in stacks/auth.ts: optional, by authenticator app (TOTP) only. Set on existing pools
 * too, so a `.local` made before this setting gets it.
 */
async function withTotp(cognito: CognitoIdentityProviderClient, userPoolId: string): Promise<string> {
  await cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  return userPoolId;
}

/** The app client an app signs in with: USER_PASSWORD_AUTH and refresh tokens, no secret. */
export async function ensureAppClient(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<string> {
  const { UserPoolClients = [] } = await cognito.send(
    new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
  );
  const existing = UserPoolClients.find((client) => client.ClientName === localClientName)?.ClientId;
  if (existing) return existing;
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: localClientName,
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  if (!UserPoolClient?.ClientId) throw new Error("cognito-local created an app client without an id");
  return UserPoolClient.ClientId;
}

/** The Cognito groups from the config; existing ones keep their members and get the config's text. */
export async function ensureGroups(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  groups: LifecycleConfig["groups"],
): Promise<void> {
  const { Groups = [] } = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const existing = new Set(Groups.map((group) => group.GroupName));
  for (const [name, group] of Object.entries(groups)) {
    const input = {
      UserPoolId: userPoolId,
      GroupName: name,
      Description: group.description,
      ...(group.precedence === undefined ? {} : { Precedence: group.precedence }),
    };
    await cognito.send(existing.has(name) ? new UpdateGroupCommand(input) : new CreateGroupCommand(input));
  }
}

export interface AdminAccount {
  email: string;
  password: string;
  /** True when this run created the user or set a new password (the banner prints it). */
  newPassword: boolean;
}

/**
 * The bootstrap admin: created as an admin would invite them (AdminCreateUser with a verified
 * email; the invitation goes to the local inbox), then given a permanent password so they can
 * sign in at once. Kept as is on later runs; if the saved password is gone, a new one is set.
 * They get the `admin` role from LIFECYCLE_BOOTSTRAP_ADMINS at their first sign-in, and join
 * the groups that grant it.
 */
export async function ensureBootstrapAdmin(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  config: LifecycleConfig,
  email: string,
  savedPassword: string | undefined,
): Promise<AdminAccount> {
  let exists = true;
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
    exists = false;
  }
  if (!exists) {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
  }
  const keep = exists && savedPassword !== undefined;
  const password = keep ? savedPassword : generatePassword();
  if (!keep) {
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: email,
        Password: password,
        Permanent: true,
      }),
    );
  }
  const adminGroups = Object.entries(config.groups).filter(([, group]) => group.roles.includes("admin"));
  for (const [name] of adminGroups) {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: name }),
    );
  }
  return { email, password, newPassword: !keep };
}
