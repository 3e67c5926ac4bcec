import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Router as RouterFactory } from "cognito-local/lib/server/Router";
import type * as ServicesModule from "cognito-local/lib/services";
import type { Context } from "cognito-local/lib/services/context";
import type { User } from "cognito-local/lib/services/userPoolService";
import type { TriggerLambda } from "./cognito-tokens.ts";
import { localRegion } from "./credentials.ts";

// cognito-local is CommonJS.
const require = createRequire(import.meta.url);
const lib = (path: string) => require(`cognito-local/lib/${path}`);

type Services = ServicesModule.Services;
type UserMigrationSource = "UserMigration_Authentication" | "UserMigration_ForgotPassword";
type Route = ReturnType<ReturnType<typeof RouterFactory>>;

interface MigrationRequest {
  source: UserMigrationSource;
  clientId: string;
  username: string;
  /** Only for a sign-in: ForgotPassword has none. */
  password?: string;
  validationData?: Record<string, string> | undefined;
  clientMetadata?: Record<string, string> | undefined;
}

interface MigrationResponse {
  userAttributes?: Record<string, string> | null;
  finalUserStatus?: string | null;
}

/** The user migration event as Cognito sends it (developer guide): `response` members null. */
function migrationEvent(request: MigrationRequest, userPoolId: string): Record<string, unknown> {
  return {
    version: "1",
    triggerSource: request.source,
    region: localRegion,
    userPoolId,
    userName: request.username,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: request.clientId },
    request: {
      ...(request.password === undefined ? {} : { password: request.password }),
      validationData: request.validationData ?? null,
      clientMetadata: request.clientMetadata ?? null,
    },
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  };
}

/**
 * The user Cognito creates from the trigger's answer: a new `sub` (the trigger cannot set one),
 * and with email usernames the sub as username and the email as alias, as for a sign-up.
 * A sign-in keeps the typed password; a reset leaves the user in `RESET_REQUIRED` with a
 * password nobody knows until the code is confirmed.
 */
function migratedUser(
  request: MigrationRequest,
  response: MigrationResponse,
  emailUsernames: boolean,
  now: Date,
): User {
  const { attributesFromRecord } = lib("services/userPoolService") as {
    attributesFromRecord: (record: Record<string, string>) => User["Attributes"];
  };
  const { sub: _sub, username: _username, ...given } = response.userAttributes ?? {};
  const sub = randomUUID();
  const email: Record<string, string> = emailUsernames ? { email: given.email ?? request.username } : {};
  const signingIn = request.source === "UserMigration_Authentication";
  return {
    Attributes: attributesFromRecord({ sub, ...given, ...email }),
    Enabled: true,
    Password: signingIn ? (request.password as string) : randomBytes(32).toString("base64url"),
    UserCreateDate: now,
    UserLastModifiedDate: now,
    Username: emailUsernames ? sub : request.username,
    UserStatus: signingIn ? (response.finalUserStatus ?? "CONFIRMED") : "RESET_REQUIRED",
    RefreshTokens: [],
  };
}

/**
 * Asks the user migration trigger about a user the pool does not have and, when it answers,
 * creates the user. A trigger error refuses as cognito-local does for a sign-in
 * (`NotAuthorizedException`) and as its ForgotPassword does for an unknown user.
 */
async function migrate(
  ctx: Context,
  services: Services,
  lambda: TriggerLambda,
  request: MigrationRequest,
): Promise<User> {
  const errors = lib("errors") as {
    NotAuthorizedError: new () => Error;
    UserNotFoundError: new () => Error;
    ResourceNotFoundError: new () => Error;
  };
  const userPool = await services.cognito.getUserPoolForClientId(ctx, request.clientId);
  if (!userPool) throw new errors.ResourceNotFoundError();
  let response: MigrationResponse;
  try {
    const event = migrationEvent(request, userPool.options.Id as string);
    response = ((await lambda.invokeWith(ctx, "UserMigration", event, request.clientId)) ??
      {}) as MigrationResponse;
  } catch {
    throw request.source === "UserMigration_Authentication"
      ? new errors.NotAuthorizedError()
      : new errors.UserNotFoundError();
  }
  const emailUsernames = userPool.options.UsernameAttributes?.includes("email") ?? false;
  const user = migratedUser(request, response, emailUsernames, services.clock.get());
  await userPool.saveUser(ctx, user);
  return user;
}

/**
 * Closes cognito-local 5.3.0's user migration gaps (docs/migration.md, "The local stack"): its own
 * sign-in migration is replaced by `migrate` (a `sub`, the email as alias), and ForgotPassword for
 * a user the pool does not have fires `UserMigration_ForgotPassword` first (cognito-local never
 * does), so the reset code is sent to a migrated user as Cognito sends it.
 */
export function migratingUsers(
  router: ReturnType<typeof RouterFactory>,
  services: Services,
  lambda: TriggerLambda,
): ReturnType<typeof RouterFactory> {
  services.triggers.userMigration = (ctx, request) =>
    migrate(ctx, services, lambda, {
      source: "UserMigration_Authentication",
      clientId: request.clientId,
      username: request.username,
      password: request.password,
      validationData: request.validationData,
      clientMetadata: request.clientMetadata,
    });
  return (target: string): Route => {
    const route = router(target);
    if (target !== "ForgotPassword") return route;
    return async (ctx, req) => {
      const request = req as { ClientId: string; Username: string; ClientMetadata?: Record<string, string> };
      if (services.triggers.enabled("UserMigration")) {
        const userPool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId);
        if (!(await userPool.getUserByUsername(ctx, request.Username))) {
          await migrate(ctx, services, lambda, {
            source: "UserMigration_ForgotPassword",
            clientId: request.ClientId,
            username: request.Username,
            clientMetadata: request.ClientMetadata,
          });
        }
      }
      return route(ctx, req);
    };
  };
}
