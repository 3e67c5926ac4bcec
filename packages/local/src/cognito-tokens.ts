import { createRequire } from "node:module";
import type { AppClient } from "cognito-local/lib/services/appClient";
import type { CognitoService } from "cognito-local/lib/services/cognitoService";
import type { Context } from "cognito-local/lib/services/context";
import type {
  LambdaService as CognitoLambdaService,
  FunctionConfig,
} from "cognito-local/lib/services/lambda";
import type { TokenGenerator, Tokens } from "cognito-local/lib/services/tokenGenerator";
import type { Source } from "cognito-local/lib/services/triggers/preTokenGeneration";
import type { Triggers } from "cognito-local/lib/services/triggers/triggers";
import type { User } from "cognito-local/lib/services/userPoolService";
import {
  applyPreTokenResponse,
  type Claims,
  groupConfigurationFor,
  preTokenEvent,
  type TokenEventVersion,
} from "./token-events.ts";

// cognito-local is CommonJS; its own dependencies (jsonwebtoken) are resolved from it.
const require = createRequire(import.meta.url);
const fromCognitoLocal = createRequire(require.resolve("cognito-local"));
const lib = (path: string) => require(`cognito-local/lib/${path}`);

interface Jwt {
  decode(token: string): Claims | null;
  sign(payload: Claims, key: string, options: { algorithm: "RS256"; keyid: string }): string;
}

/** The one scope cognito-local (and Cognito, for InitiateAuth) puts in a user's access token. */
const signInScopes = ["aws.cognito.signin.user.admin"];

/** An event we built ourselves, handed through cognito-local's Lambda service as it is. */
const prebuilt = Symbol("prebuilt trigger event");
type Prebuilt = { [prebuilt]: Record<string, unknown> };

type LambdaServiceClass = new (
  ...args: ConstructorParameters<typeof CognitoLambdaService>
) => Pick<CognitoLambdaService, "enabled" | "invoke"> & { createLambdaEvent(event: unknown): unknown };

/**
 * cognito-local's Lambda service, able to send an event we built. Invocation, response parsing
 * and the errors a client sees (`UserLambdaValidationException: ... failed with error ...`) stay
 * cognito-local's; `createLambdaEvent` is its (private, 5.3.0) hook that shapes the event.
 */
export function createTriggerLambda(
  functions: FunctionConfig,
  client: ConstructorParameters<typeof CognitoLambdaService>[1],
): TriggerLambda {
  const { LambdaService } = lib("services/lambda") as { LambdaService: LambdaServiceClass };
  class PrebuiltEventLambda extends LambdaService {
    override createLambdaEvent(event: unknown): unknown {
      if (typeof event === "object" && event !== null && prebuilt in event)
        return (event as Prebuilt)[prebuilt];
      return super.createLambdaEvent(event);
    }

    /** Invokes `trigger` with `event` as it is; resolves to its `response`. */
    invokeWith(
      ctx: Context,
      trigger: PrebuiltTrigger,
      event: Record<string, unknown>,
      clientId: string,
    ): Promise<unknown> {
      const wrapped = { [prebuilt]: event, triggerSource: event.triggerSource, clientId };
      // cognito-local looks the function up by this name in its TriggerFunctions config.
      return this.invoke(ctx, trigger as keyof FunctionConfig, wrapped as never);
    }

    invokePreToken(ctx: Context, event: Record<string, unknown>, clientId: string): Promise<unknown> {
      return this.invokeWith(ctx, "PreTokenGeneration", event, clientId);
    }
  }
  return new PrebuiltEventLambda(functions, client);
}
/** The triggers we invoke with events we built; cognito-local 5.3.0 has no `CustomSMSSender` at all. */
export type PrebuiltTrigger = "PreTokenGeneration" | "UserMigration" | "CustomSMSSender";

/** cognito-local's Lambda service that can also invoke pre token generation with an event we built. */
export interface TriggerLambda extends Pick<CognitoLambdaService, "enabled" | "invoke"> {
  createLambdaEvent(event: unknown): unknown;
  /** Invokes the pre token generation trigger with `event`; resolves to its `response`. */
  invokePreToken(ctx: Context, event: Record<string, unknown>, clientId: string): Promise<unknown>;
  /** Invokes `trigger` with an event we built (cognito-local cannot shape every source). */
  invokeWith(
    ctx: Context,
    trigger: PrebuiltTrigger,
    event: Record<string, unknown>,
    clientId: string,
  ): Promise<unknown>;
}

export interface TokenServices {
  cognito: CognitoService;
  triggers: Triggers;
  lambda: TriggerLambda;
  version: TokenEventVersion;
  region: string;
  /** cognito-local's own token generator (it builds and signs the tokens; we run the trigger). */
  createBase(triggers: Triggers): TokenGenerator;
}

/**
 * Issues tokens as a Cognito pool with `PreTokenGenerationConfig.LambdaVersion` = V1_0, V2_0 or
 * V3_0 does: cognito-local builds the standard claims (with the trigger switched off), then the
 * trigger gets the event of that version, with the user's groups and the token's scopes, and its
 * answer is applied to the ID and access tokens, which are signed again with cognito-local's key.
 */
export class CognitoTokenGenerator implements TokenGenerator {
  private readonly base: TokenGenerator;
  private readonly jwt = fromCognitoLocal("jsonwebtoken") as Jwt;
  private readonly key = (lib("keys/cognitoLocal.private.json") as { pem: string }).pem;

  constructor(private readonly services: TokenServices) {
    const { triggers } = services;
    const withoutPreToken: Triggers = Object.assign(Object.create(triggers) as Triggers, {
      enabled: (name: Parameters<Triggers["enabled"]>[0]) =>
        name !== "PreTokenGeneration" && triggers.enabled(name),
    });
    this.base = services.createBase(withoutPreToken);
  }

  async generate(
    ctx: Context,
    user: User,
    userGroups: readonly string[],
    client: AppClient,
    clientMetadata: Record<string, string> | undefined,
    source: Source,
  ): Promise<Tokens> {
    const tokens = await this.base.generate(ctx, user, userGroups, client, clientMetadata, source);
    const groupConfiguration = await this.groupConfiguration(ctx, client.UserPoolId, userGroups);
    const idToken = this.decode(tokens.IdToken);
    const accessToken = this.decode(tokens.AccessToken);
    // Cognito puts the groups' IAM roles in the ID token; cognito-local leaves them out.
    if (groupConfiguration.iamRolesToOverride.length > 0) {
      idToken["cognito:roles"] = groupConfiguration.iamRolesToOverride;
    }
    if (groupConfiguration.preferredRole)
      idToken["cognito:preferred_role"] = groupConfiguration.preferredRole;
    if (!this.services.triggers.enabled("PreTokenGeneration")) {
      return { ...tokens, IdToken: this.sign(idToken), AccessToken: this.sign(accessToken) };
    }

    const { version, region, lambda } = this.services;
    const scope = typeof accessToken.scope === "string" ? accessToken.scope.split(" ") : signInScopes;
    const event = preTokenEvent({
      version,
      source,
      region,
      userPoolId: client.UserPoolId,
      userName: user.Username,
      clientId: client.ClientId,
      userAttributes: Object.fromEntries(
        (user.Attributes ?? []).map(({ Name, Value }) => [Name, Value ?? ""]),
      ),
      groupConfiguration,
      scopes: scope,
      clientMetadata,
    });
    const response = await lambda.invokePreToken(ctx, event, client.ClientId);
    const changed = applyPreTokenResponse(version, { idToken, accessToken }, response);
    if (changed.refused.length > 0) {
      ctx.logger.warn(
        { refused: changed.refused },
        "pre token generation: claims or scopes Cognito does not allow",
      );
    }
    return { ...tokens, IdToken: this.sign(changed.idToken), AccessToken: this.sign(changed.accessToken) };
  }

  private async groupConfiguration(ctx: Context, userPoolId: string, names: readonly string[]) {
    if (names.length === 0) return groupConfigurationFor([]);
    const pool = await this.services.cognito.getUserPool(ctx, userPoolId);
    const groups = await pool.listGroups(ctx);
    return groupConfigurationFor(
      names.map((name) => groups.find((group) => group.GroupName === name) ?? { GroupName: name }),
    );
  }

  private decode(token: string): Claims {
    const claims = this.jwt.decode(token);
    if (!claims) throw new Error("cognito-local issued a token that does not decode");
    return claims;
  }

  /** Signed as cognito-local signs: RS256 with its key; iss, aud, iat and exp are already in the claims. */
  private sign(claims: Claims): string {
    return this.jwt.sign(claims, this.key, { algorithm: "RS256", keyid: "CognitoLocal" });
  }
}
