import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Config } from "cognito-local/lib/server/config";
import type { Router as RouterFactory } from "cognito-local/lib/server/Router";
import type { createServer as CreateServer } from "cognito-local/lib/server/server";
import type * as ServicesModule from "cognito-local/lib/services";
import type { CognitoServiceFactoryImpl as CognitoServiceFactory } from "cognito-local/lib/services/cognitoService";
import type { CryptoService as Crypto } from "cognito-local/lib/services/crypto";
import type { StormDBDataStoreFactory as StormDbFactory } from "cognito-local/lib/services/dataStore/stormDb";
import type { MessageDeliveryService as Delivery } from "cognito-local/lib/services/messageDelivery/messageDelivery";
import type { MessageSender } from "cognito-local/lib/services/messageDelivery/messageSender";
import type { otp as Otp } from "cognito-local/lib/services/otp";
import type { JwtTokenGenerator as TokenGenerator } from "cognito-local/lib/services/tokenGenerator";
import type { UserPoolServiceFactoryImpl as UserPoolServiceFactory } from "cognito-local/lib/services/userPoolService";
import type { Logger } from "pino";
import { type CloudTrailEvent, cloudTrailEventFor, observedCall } from "./cloudtrail.ts";
import { cognitoCodeEncryptor, poolBoundEmailSender, smsThroughCustomSender } from "./cognito-codes.ts";
import { migratingUsers } from "./cognito-migration.ts";
import { recoveringByPhone } from "./cognito-recovery.ts";
import { CognitoTokenGenerator, createTriggerLambda, type TriggerLambda } from "./cognito-tokens.ts";
import { localCredentials, localRegion } from "./credentials.ts";
import type { RunningService } from "./dynamodb.ts";
import { defaultTokenEventVersion, type TokenEventVersion } from "./token-events.ts";

// cognito-local is CommonJS; its own dependencies (aws-sdk v2, pino) are resolved from it.
const require = createRequire(import.meta.url);
const fromCognitoLocal = createRequire(require.resolve("cognito-local"));
const lib = (path: string) => require(`cognito-local/lib/${path}`);

/**
 * cognito-local's trigger names -> the function names our invoke endpoint runs, plus
 * `CustomSMSSender`, which cognito-local lacks and we invoke ourselves (cognito-codes.ts).
 */
export type TriggerFunctions = Config["TriggerFunctions"] & { CustomSMSSender?: string };

export interface CognitoLocalOptions {
  port: number;
  /** Where cognito-local keeps its pools, clients and users (`<dir>/db/*.json`) and its log. */
  dataDir: string;
  /** The Lambda Invoke API endpoint cognito-local calls the triggers through. */
  invokeEndpoint: string;
  triggers: TriggerFunctions;
  messageSender: MessageSender;
  /** cognito-local's own log (pino JSON lines). */
  logFile: string;
  logLevel?: string;
  /** The pre token generation event version, as the pool's `LambdaVersion` (default V2_0). */
  tokenEvents?: TokenEventVersion;
  /**
   * The KMS key `CustomEmailSender` and `CustomSMSSender` codes are encrypted with, as Cognito
   * encrypts them (cognito-codes.ts): alias, key ARN, and `endpoint`/`region` of a KMS (aws-sdk
   * v2 ignores `AWS_ENDPOINT_URL_KMS`). With it and `triggers.CustomSMSSender`, every SMS goes
   * through that trigger, and ForgotPassword texts the code where Cognito would.
   */
  kms?: Config["KMSConfig"];
  /**
   * Receives the CloudTrail-shaped event of each successful call in core's `signalledCalls` (the
   * delete signal's: AdminDeleteUser, DeleteUser, (Admin)UpdateUserAttributes,
   * AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser), before the call's response is
   * sent. Its failure is logged, never the caller's.
   */
  onApiCall?: (event: CloudTrailEvent) => Promise<void>;
}

/**
 * Starts cognito-local in this process on 127.0.0.1, built as its own `createDefaultServer`
 * builds it but with our config (no `.cognito/config.json` needed), data under `dataDir`,
 * and our `MessageSender` in place of its console box.
 */
export async function startCognitoLocal(options: CognitoLocalOptions): Promise<RunningService> {
  const modules = cognitoLocalModules();
  const dataDirectory = join(options.dataDir, "db");
  mkdirSync(dataDirectory, { recursive: true });
  const logStream = modules.pino.destination({ dest: options.logFile, sync: true, mkdir: true });
  const logger = modules.pino(
    { level: options.logLevel ?? "info", base: { service: "cognito-local" } },
    logStream,
  );
  const config = cognitoLocalConfig(modules.DefaultConfig, options);
  const {
    services: serviceSet,
    lambda,
    smsThroughSender,
  } = await cognitoLocalServices(modules, config, dataDirectory, logger, options);
  const baseRouter = modules.Router(serviceSet);
  const router = migratingUsers(
    smsThroughSender ? recoveringByPhone(baseRouter, serviceSet) : baseRouter,
    serviceSet,
    lambda,
  );
  const server = (await modules
    .createServer(
      observingApiCalls(
        keepingChallengeRefreshTokens(router, serviceSet.cognito),
        serviceSet.cognito,
        logger,
        options.onApiCall,
      ),
      logger,
      config.ServerConfig,
      serviceSet,
    )
    .start()) as Server;

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => {
          logStream.end();
          resolve();
        });
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** The parts of cognito-local's compiled library (and its own dependencies) the server is built from. */
function cognitoLocalModules() {
  const { DefaultConfig } = lib("server/config") as { DefaultConfig: Config };
  const { Router } = lib("server/Router") as { Router: typeof RouterFactory };
  const { createServer } = lib("server/server") as { createServer: typeof CreateServer };
  const services = lib("services") as typeof ServicesModule;
  const { CognitoServiceFactoryImpl } = lib("services/cognitoService") as {
    CognitoServiceFactoryImpl: typeof CognitoServiceFactory;
  };
  const { CryptoService } = lib("services/crypto") as { CryptoService: typeof Crypto };
  const { StormDBDataStoreFactory } = lib("services/dataStore/stormDb") as {
    StormDBDataStoreFactory: typeof StormDbFactory;
  };
  const { MessageDeliveryService } = lib("services/messageDelivery/messageDelivery") as {
    MessageDeliveryService: typeof Delivery;
  };
  const { otp } = lib("services/otp") as { otp: typeof Otp };
  const { JwtTokenGenerator } = lib("services/tokenGenerator") as {
    JwtTokenGenerator: typeof TokenGenerator;
  };
  const { UserPoolServiceFactoryImpl } = lib("services/userPoolService") as {
    UserPoolServiceFactoryImpl: typeof UserPoolServiceFactory;
  };
  const AWS = fromCognitoLocal("aws-sdk") as {
    Lambda: new (config: Config["LambdaClient"]) => ConstructorParameters<typeof services.LambdaService>[1];
  };
  const pino = fromCognitoLocal("pino") as {
    (options: object, stream: NodeJS.WritableStream): Logger;
    destination(options: { dest: string; sync: boolean; mkdir: boolean }): NodeJS.WritableStream & {
      flushSync(): void;
      end(): void;
    };
  };
  return {
    DefaultConfig,
    Router,
    createServer,
    services,
    CognitoServiceFactoryImpl,
    CryptoService,
    StormDBDataStoreFactory,
    MessageDeliveryService,
    otp,
    JwtTokenGenerator,
    UserPoolServiceFactoryImpl,
    AWS,
    pino,
  };
}
type CognitoLocalModules = ReturnType<typeof cognitoLocalModules>;

function cognitoLocalConfig(defaults: Config, options: CognitoLocalOptions): Config {
  return {
    ...defaults,
    LambdaClient: {
      endpoint: options.invokeEndpoint,
      region: "local",
      credentials: { ...localCredentials },
      // A trigger that cannot be reached fails the call at once, as a missing Lambda would.
      maxRetries: 0,
      httpOptions: { connectTimeout: 2_000, timeout: 30_000 },
    },
    TriggerFunctions: options.triggers,
    UserPoolDefaults: { UsernameAttributes: ["email"] },
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${options.port}` },
    ServerConfig: { hostname: "127.0.0.1", port: options.port, development: false, https: false },
    ...(options.kms ? { KMSConfig: options.kms } : {}),
  };
}

/** cognito-local's services as its own `createDefaultServer` wires them, with our delivery and tokens. */
async function cognitoLocalServices(
  modules: CognitoLocalModules,
  config: Config,
  dataDirectory: string,
  logger: Logger,
  options: CognitoLocalOptions,
): Promise<{ services: ServicesModule.Services; lambda: TriggerLambda; smsThroughSender: boolean }> {
  const { services } = modules;
  const clock = new services.DateClock();
  const dataStoreFactory = new modules.StormDBDataStoreFactory(dataDirectory);
  const cognito = await new modules.CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new modules.UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create({ logger }, config.UserPoolDefaults);
  const lambda = createTriggerLambda(config.TriggerFunctions, new modules.AWS.Lambda(config.LambdaClient));
  const triggers = new services.TriggersService(
    clock,
    cognito,
    lambda,
    new modules.CryptoService(config.KMSConfig),
  );
  // Codes encrypted as Cognito encrypts them (the pool in the encryption context), not as cognito-local does.
  // Only with our local KMS (`options.kms`): cognito-local's default KMSConfig names no key.
  const encrypt = options.kms ? cognitoCodeEncryptor(options.kms) : undefined;
  if (encrypt) Object.assign(triggers, { customEmailSender: poolBoundEmailSender(lambda, encrypt) });
  // Tokens as a pool with pre token generation V1_0/V2_0/V3_0 issues them (cognito-local: V1 only).
  const tokenGenerator = new CognitoTokenGenerator({
    cognito,
    triggers,
    lambda,
    version: options.tokenEvents ?? defaultTokenEventVersion,
    region: localRegion,
    createBase: (withoutPreToken) =>
      new modules.JwtTokenGenerator(clock, withoutPreToken, config.TokenConfig),
  });
  const delivery = new modules.MessageDeliveryService(options.messageSender);
  const messages = new services.MessagesService(triggers, delivery);
  const smsThroughSender = Boolean(encrypt && options.triggers.CustomSMSSender);
  return {
    services: {
      clock,
      cognito,
      config,
      messages:
        encrypt && smsThroughSender
          ? smsThroughCustomSender(messages, lambda, encrypt, localRegion)
          : messages,
      otp: modules.otp,
      tokenGenerator,
      triggers,
    },
    lambda,
    smsThroughSender,
  };
}

type Route = ReturnType<ReturnType<typeof RouterFactory>>;
type CognitoService = Awaited<ReturnType<CognitoServiceFactory["create"]>>;

/**
 * cognito-local 5.3.0 stores the refresh token of a sign-in finished by InitiateAuth, but not of
 * one finished by RespondToAuthChallenge (TOTP code, new password), so those sessions could not
 * refresh. Store it as InitiateAuth does; Cognito refreshes such sessions.
 */
function keepingChallengeRefreshTokens(
  router: ReturnType<typeof RouterFactory>,
  cognito: CognitoService,
): ReturnType<typeof RouterFactory> {
  return (target: string): Route => {
    const route = router(target);
    if (target !== "RespondToAuthChallenge") return route;
    return async (ctx, req) => {
      const response = (await route(ctx, req)) as { AuthenticationResult?: { RefreshToken?: string } };
      const refreshToken = response.AuthenticationResult?.RefreshToken;
      const request = req as { ClientId: string; ChallengeResponses?: { USERNAME?: string } };
      const username = request.ChallengeResponses?.USERNAME;
      if (refreshToken && username) {
        const userPool = await cognito.getUserPoolForClientId(ctx, request.ClientId);
        const user = await userPool.getUserByUsername(ctx, username);
        if (user) await userPool.storeRefreshToken(ctx, refreshToken, user);
      }
      return response;
    };
  };
}

/**
 * CloudTrail's part for the delete signal: the calls it handles are read before they run (the
 * sub of a user about to be deleted cannot be read afterwards), and once one succeeds its
 * CloudTrail-shaped event goes to `onApiCall`.
 */
function observingApiCalls(
  router: ReturnType<typeof RouterFactory>,
  cognito: CognitoService,
  logger: Logger,
  onApiCall: CognitoLocalOptions["onApiCall"],
): ReturnType<typeof RouterFactory> {
  if (!onApiCall) return router;
  const users = {
    async subOf(userPoolId: string, username: string) {
      const userPool = await cognito.getUserPool({ logger }, userPoolId);
      const user = await userPool.getUserByUsername({ logger }, username);
      return user?.Attributes.find((attribute) => attribute.Name === "sub")?.Value;
    },
  };
  return (target: string): Route => {
    const route = router(target);
    return async (ctx, req) => {
      const call = await observedCall(target, req as Parameters<typeof observedCall>[1], users);
      const response = await route(ctx, req);
      if (call) {
        await onApiCall(cloudTrailEventFor(call)).catch((error: unknown) =>
          logger.error({ target, error: (error as Error)?.name }, "delete signal handler failed"),
        );
      }
      return response;
    };
  };
}
