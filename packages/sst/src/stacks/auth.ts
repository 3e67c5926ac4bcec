import {
  activeTriggers,
  type FunctionResources,
  type TriggerName,
  triggerGrants,
  triggerManifest,
  triggerNames,
} from "@cognito-lifecycle/core";
import { policyDocument, statementsNotOn, statementsOn } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import { functionArn, type LambdaFactory, migrationMemory } from "./functions.ts";
import type { Senders } from "./senders.ts";
import { attributeMapping, clientSecretName, providerNameOf } from "./settings.ts";

/** The resources other than the pool, by ARN. */
export type DataArns = Omit<FunctionResources<$util.Input<string>>, "userPool">;

export function dataArnsOf(table: sst.aws.Dynamo, email: sst.aws.Email): DataArns {
  return {
    table: table.arn,
    tableIndexes: $interpolate`${table.arn}/index/*`,
    emailIdentity: email.nodes.identity.arn,
    emailConfigurationSet: email.nodes.configurationSet.arn,
  };
}

/**
 * The pool's ARN does not exist yet when the triggers are made (the pool needs their ARNs), so
 * their statements on the pool are left out here and attached by `grantPoolPermissions`.
 */
const poolNotYetCreated = "<user pool, granted once it exists>";

/** The deployed triggers: those `activeTriggers(config)` names (user migration only while migrating, custom message only while Cognito delivers). */
export type Triggers = Partial<Record<TriggerName, sst.aws.Function>>;

/** The deployed triggers with their functions, in manifest order. */
export function deployedTriggers(triggers: Triggers): [TriggerName, sst.aws.Function][] {
  return triggerNames.flatMap((trigger) => {
    const fn = triggers[trigger];
    return fn ? [[trigger, fn] as [TriggerName, sst.aws.Function]] : [];
  });
}

/**
 * One function per active trigger, each with only its own permissions and only the resource
 * names it reads. Created here rather than by the pool so each can be alarmed on by name.
 */
export function createTriggers(
  ctx: StackContext,
  lambda: LambdaFactory,
  data: DataArns,
  resources: { table: sst.aws.Dynamo; email: sst.aws.Email },
): Triggers {
  const permissions = triggerGrants<$util.Input<string>>(ctx.config, {
    ...data,
    userPool: poolNotYetCreated,
  });
  return Object.fromEntries(
    activeTriggers(ctx.config).map((trigger) => {
      const { functionName, file } = triggerManifest[trigger];
      const statements = permissions[trigger];
      const uses = (service: string) =>
        statements.some((statement) => statement.actions.some((action) => action.startsWith(`${service}:`)));
      const fn = lambda(functionName, {
        handler: `functions/${file}.handler`,
        description: `Cognito ${trigger} trigger`,
        permissions: statementsNotOn(statements, poolNotYetCreated),
        environment: {
          ...(uses("dynamodb") ? { LIFECYCLE_TABLE_NAME: resources.table.name } : {}),
          ...(uses("ses") ? { LIFECYCLE_SES_CONFIGURATION_SET: resources.email.configSet } : {}),
          ...(trigger === "userMigration" ? legacyEndpointSecret(ctx) : {}),
        },
        ...(trigger === "userMigration" ? { memory: migrationMemory } : {}),
      });
      return [trigger, fn];
    }),
  ) as Triggers;
}

/** The SST secret a legacy endpoint's requests are signed with: `sst secret set MigrationSecret <key>`. */
export const migrationSecretName = "MigrationSecret";

/** Only with `migration.endpoint`: the key the trigger signs the old system's requests with. */
function legacyEndpointSecret(ctx: StackContext): Record<string, $util.Input<string>> {
  if (!ctx.config.migration.endpoint) return {};
  return { LIFECYCLE_MIGRATION_SECRET: new sst.Secret(migrationSecretName).value };
}

/**
 * The pool's triggers. With our senders, Cognito hands them every code encrypted with the sender
 * key and calls no custom message trigger (SST adds each invoke permission, from this pool only).
 */
function poolTriggers(
  triggers: Triggers,
  senders: Senders | undefined,
): sst.aws.CognitoUserPoolArgs["triggers"] {
  const wired = Object.fromEntries(
    deployedTriggers(triggers).map(([trigger, fn]) => [trigger, functionArn(fn)]),
  ) as Partial<Record<TriggerName, ReturnType<typeof functionArn>>>;
  return {
    ...wired,
    preTokenGenerationVersion: "v2",
    ...(senders
      ? {
          customEmailSender: functionArn(senders.functions.customEmailSender),
          customSmsSender: functionArn(senders.functions.customSmsSender),
          kmsKey: senders.key.arn,
        }
      : {}),
  };
}

/** The pool with every trigger wired: V2 token events, SES `DEVELOPER` email, strict settings. */
export function createUserPool(
  ctx: StackContext,
  triggers: Triggers,
  sender: { email: sst.aws.Email; fromAddress: string },
  senders?: Senders,
): sst.aws.CognitoUserPool {
  const { config, settings, production } = ctx;
  const groupsAttribute = config.federation.groupsAttribute;
  const args: sst.aws.CognitoUserPoolArgs = {
    usernames: ["email"],
    triggers: poolTriggers(triggers, senders),
    ...(settings.authDomainPrefix ? { domain: { prefix: settings.authDomainPrefix } } : {}),
    transform: {
      userPool: (args, opts) => {
        // The pool holds every account. On production stages a change that would replace it
        // (username or custom attributes cannot change in place) fails the deploy instead of
        // creating an empty pool, it survives leaving the app, and AWS refuses to delete it.
        opts.protect = production;
        opts.retainOnDelete = production;
        // V2 token events (claims in access tokens too) need the Essentials tier or above.
        args.userPoolTier = "ESSENTIALS";
        args.deletionProtection = production ? "ACTIVE" : "INACTIVE";
        // DEVELOPER: Cognito sends through our SES identity. With Cognito's default sender the
        // custom message trigger's HTML is ignored and the daily quota is tiny.
        args.emailConfiguration = {
          emailSendingAccount: "DEVELOPER",
          fromEmailAddress: sender.fromAddress,
          replyToEmailAddress: config.branding.supportEmail,
          sourceArn: sender.email.nodes.identity.arn,
          configurationSet: sender.email.configSet,
        };
        args.passwordPolicy = {
          minimumLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: false,
          temporaryPasswordValidityDays: 7,
          passwordHistorySize: 5,
        };
        // MFA by authenticator app (TOTP), optional for the pool: the console requires it of admins
        // and the admin API refuses admins without it. No SMS; no device tracking, so a
        // remembered device never skips the code.
        args.mfaConfiguration = "OPTIONAL";
        args.softwareTokenMfaConfiguration = { enabled: true };
        // Email is the username; recovery by phone would be a second, weaker way in.
        args.accountRecoverySetting = { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] };
        args.adminCreateUserConfig = { allowAdminCreateUserOnly: config.signUp.inviteOnly };
        // Keep the old, verified email until the new one is verified.
        args.userAttributeUpdateSettings = { attributesRequireVerificationBeforeUpdates: ["email"] };
        // The IdP groups attribute, then what admins may edit (`admin.editableAttributes`):
        // mutable strings. Adding one is an in-place change; Cognito never removes one.
        args.schemas = [groupsAttribute, ...config.admin.editableAttributes].map((attribute) => ({
          name: attribute.slice("custom:".length),
          attributeDataType: "String",
          mutable: true,
          developerOnlyAttribute: false,
          stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
        }));
      },
    },
  };
  return new sst.aws.CognitoUserPool(
    ...transformed(ctx.transform.userPool, "UserPool", args, childOptions(ctx)),
  );
}

/**
 * A trigger's Cognito actions on this pool's own ARN (not `userpool/*`): a role policy of its
 * own, created after the pool, so the trigger wiring stays free of cycles.
 */
export function grantPoolPermissions(
  ctx: StackContext,
  triggers: Triggers,
  resources: FunctionResources<$util.Input<string>>,
): void {
  const poolPermissions = triggerGrants(ctx.config, resources);
  for (const [trigger, fn] of deployedTriggers(triggers)) {
    const statements = statementsOn(poolPermissions[trigger], resources.userPool);
    if (statements.length === 0) continue;
    new aws.iam.RolePolicy(
      `${triggerManifest[trigger].functionName}UserPoolPolicy`,
      { role: fn.nodes.role.name, policy: $jsonStringify(policyDocument(statements)) },
      childOptions(ctx),
    );
  }
}

/** Groups from the config; membership maps to roles at token time (`groups.<name>.roles`). */
export function createGroups(ctx: StackContext, userPoolId: $util.Input<string>): aws.cognito.UserGroup[] {
  return Object.entries(ctx.config.groups).map(([name, group]) => {
    const args: aws.cognito.UserGroupArgs = {
      userPoolId,
      name,
      description: group.description,
      ...(group.precedence !== undefined ? { precedence: group.precedence } : {}),
    };
    return new aws.cognito.UserGroup(
      ...transformed(ctx.transform.group, `UserGroup_${name}`, args, childOptions(ctx)),
    );
  });
}

/** Attributes a signed-in user may read and change about themselves. Never the groups attribute. */
const readAttributes = ["email", "email_verified", "name", "given_name", "family_name", "locale", "zoneinfo"];
const writeAttributes = ["email", "name", "given_name", "family_name", "locale", "zoneinfo"];

/** A client of the pool, as `addClient` makes it (SST does not export the class). */
export type Client = ReturnType<sst.aws.CognitoUserPool["addClient"]>;

function nativeClient(
  ctx: StackContext,
  userPool: sst.aws.CognitoUserPool,
  name: "WebClient" | "ConsoleClient",
  authFlows: string[],
  refreshTokenDays: number,
): Client {
  const args: sst.aws.CognitoUserPoolClientArgs = {
    transform: {
      client: (args) => {
        args.explicitAuthFlows = authFlows;
        args.readAttributes = readAttributes;
        args.writeAttributes = writeAttributes;
        // Native sign-in only: no hosted UI, so no OAuth flows, scopes or redirect URLs.
        args.allowedOauthFlowsUserPoolClient = false;
        args.allowedOauthFlows = [];
        args.allowedOauthScopes = [];
        args.callbackUrls = [];
        args.supportedIdentityProviders = ["COGNITO"];
        args.generateSecret = false;
        args.preventUserExistenceErrors = "ENABLED";
        args.enableTokenRevocation = true;
        args.accessTokenValidity = 60;
        args.idTokenValidity = 60;
        args.refreshTokenValidity = refreshTokenDays;
        args.tokenValidityUnits = { accessToken: "minutes", idToken: "minutes", refreshToken: "days" };
      },
    },
  };
  const hook = name === "WebClient" ? ctx.transform.webClient : ctx.transform.consoleClient;
  return userPool.addClient(...transformed(hook, name, args, childOptions(ctx)));
}

/** The app's client: SRP, so the password never leaves the browser. */
export function createWebClient(ctx: StackContext, userPool: sst.aws.CognitoUserPool): Client {
  return nativeClient(ctx, userPool, "WebClient", ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], 30);
}

/**
 * The admin console's client. USER_PASSWORD_AUTH because the console signs in with it (no SRP
 * library in the bundle, and cognito-local, the offline stack, speaks it): the password goes
 * over TLS to Cognito only, never to our API. Admin sessions are short: a one-day refresh token.
 */
export function createConsoleClient(ctx: StackContext, userPool: sst.aws.CognitoUserPool): Client {
  return nativeClient(
    ctx,
    userPool,
    "ConsoleClient",
    ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    1,
  );
}

/**
 * Federated identity providers, with the hosted-UI client for them (undefined without any).
 * Cognito must be able to write every mapped attribute through that client, the groups
 * attribute included, so its tokens get no `aws.cognito.signin.user.admin` scope: without it a
 * user cannot call UpdateUserAttributes and write their own groups. No native sign-in through
 * it, so no password flows either. Secrets come from `sst secret set`.
 */
export function createFederation(ctx: StackContext, userPool: sst.aws.CognitoUserPool): Client | undefined {
  const { settings } = ctx;
  const groupsAttribute = ctx.config.federation.groupsAttribute;
  if (settings.identityProviders.length === 0) return undefined;
  const identityProviders = settings.identityProviders.map((provider) => {
    const name = providerNameOf(provider);
    const secretName = clientSecretName(provider);
    const clientSecret = secretName ? new sst.Secret(secretName).value : undefined;
    const details: Record<string, $util.Input<string>> = provider.type === "google"
      ? {
          client_id: provider.clientId,
          client_secret: clientSecret ?? "",
          authorize_scopes: provider.scopes.join(" "),
        }
      : provider.type === "oidc"
        ? {
            client_id: provider.clientId,
            client_secret: clientSecret ?? "",
            oidc_issuer: provider.issuer,
            authorize_scopes: provider.scopes.join(" "),
            attributes_request_method: "GET",
          }
        : { MetadataURL: provider.metadataUrl, IDPSignout: String(provider.signOut) };
    const mapping = attributeMapping(provider, groupsAttribute);
    return {
      provider: userPool.addIdentityProvider(name, { type: provider.type, details, attributes: mapping }),
      mappedAttributes: Object.keys(mapping).filter((attribute) => attribute !== "username"),
    };
  });
  const args: sst.aws.CognitoUserPoolClientArgs = {
    providers: identityProviders.map(({ provider }) => provider.providerName),
    callbackUrls: settings.callbackUrls,
    transform: {
      client: (args) => {
        args.explicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"];
        args.allowedOauthFlows = ["code"];
        args.allowedOauthScopes = ["openid", "email", "profile"];
        args.logoutUrls = settings.logoutUrls;
        args.readAttributes = readAttributes;
        args.writeAttributes = [
          ...new Set(identityProviders.flatMap(({ mappedAttributes }) => mappedAttributes)),
        ];
        args.generateSecret = false;
        args.preventUserExistenceErrors = "ENABLED";
        args.enableTokenRevocation = true;
      },
    },
  };
  return userPool.addClient(
    ...transformed(ctx.transform.federatedClient, "FederatedClient", args, childOptions(ctx)),
  );
}

/** The issuer of the pool's tokens, as API Gateway's JWT authorizer and aws-jwt-verify expect it. */
export function issuerOf(region: $util.Input<string>, userPoolId: $util.Input<string>): $util.Output<string> {
  return $interpolate`https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}
