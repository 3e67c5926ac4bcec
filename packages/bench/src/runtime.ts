import { randomUUID } from "node:crypto";
import {
  CognitoAdmin,
  cognitoClient,
  createLegacyCredentialStore,
  DynamoUserStore,
  dynamoClient,
  SesMailer,
  sesClient,
  type TriggerRuntime,
} from "@cognito-lifecycle/aws";
import {
  type LifecycleConfig,
  type MessageRenderer,
  triggerNames as manifestTriggerNames,
  type TriggerFile,
  triggerManifest,
} from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { createHandler as customMessage } from "../../../functions/custom-message.ts";
import { createHandler as postAuthentication } from "../../../functions/post-authentication.ts";
import { createHandler as postConfirmation } from "../../../functions/post-confirmation.ts";
import { createHandler as preSignUp } from "../../../functions/pre-sign-up.ts";
import { createHandler as preTokenGeneration } from "../../../functions/pre-token-generation.ts";
import { createHandler as userMigration } from "../../../functions/user-migration.ts";
import type { CognitoEvent } from "./events.ts";
import type { FaultInjector } from "./faults.ts";
import { countRoundTrips, RoundTripCounter } from "./middleware.ts";

export interface LocalEndpoints {
  dynamodb: string;
  ses: string;
  cognito: string;
}

/**
 * Points the SDK's standard `AWS_ENDPOINT_URL_<SERVICE>` variables at local services, as the
 * local stack does, so the production client factories in packages/aws reach them. The SDK
 * reads these on a client's first request: set them before any client is used.
 */
export function useLocalEndpoints(endpoints: LocalEndpoints): void {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SESV2 = endpoints.ses;
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = endpoints.cognito;
  process.env.AWS_REGION ??= localRegion;
  process.env.AWS_ACCESS_KEY_ID ??= localCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= localCredentials.secretAccessKey;
}

export interface InstrumentedRuntime {
  runtime: TriggerRuntime;
  counter: RoundTripCounter;
  /** Closes the clients' keep-alive sockets. */
  destroy(): void;
}

/**
 * The runtime a deployed trigger builds (packages/aws/src/runtime.ts): the same client
 * factories, timeouts and adapters, with round-trip counting (and optional fault injection)
 * added to each client's middleware stack.
 */
export function instrumentedRuntime(options: {
  config: LifecycleConfig;
  tableName: string;
  renderer?: MessageRenderer;
  counter?: RoundTripCounter;
  faults?: FaultInjector;
  now?: () => Date;
}): InstrumentedRuntime {
  const { config } = options;
  const counter = options.counter ?? new RoundTripCounter();
  const db = dynamoClient(config.timeouts);
  const ses = sesClient(config.timeouts);
  const cognito = cognitoClient(config.timeouts);
  countRoundTrips(db, "dynamodb", counter);
  countRoundTrips(ses, "ses", counter);
  countRoundTrips(cognito, "cognito", counter);
  if (options.faults) {
    options.faults.attach(db, "dynamodb");
    options.faults.attach(ses, "ses");
    options.faults.attach(cognito, "cognito");
  }
  const runtime: TriggerRuntime = {
    config,
    store: new DynamoUserStore(db, options.tableName),
    mailer: new SesMailer(ses),
    cognito: new CognitoAdmin(cognito),
    renderer: options.renderer ?? renderMessage,
    now: options.now ?? (() => new Date()),
    newId: () => randomUUID(),
  };
  return {
    runtime,
    counter,
    destroy: () => {
      db.destroy();
      ses.destroy();
      cognito.destroy();
    },
  };
}

/** The benchmark names a trigger by its file in functions/, as the trigger manifest gives it. */
export type TriggerName = TriggerFile;

export const triggerNames: readonly TriggerName[] = manifestTriggerNames.map(
  (trigger) => triggerManifest[trigger].file,
);

export type Handler = (event: CognitoEvent) => Promise<CognitoEvent>;

/** Every trigger's handler, built with `createHandler` from functions/*.ts over one runtime. */
export function triggerHandlers(runtime: TriggerRuntime): Record<TriggerName, Handler> {
  const deps = () => runtime;
  return {
    "pre-sign-up": preSignUp(deps) as unknown as Handler,
    "post-confirmation": postConfirmation(deps) as unknown as Handler,
    "pre-token-generation": preTokenGeneration(deps) as unknown as Handler,
    "custom-message": customMessage(runtime.config, runtime.renderer) as unknown as Handler,
    "post-authentication": postAuthentication(deps) as unknown as Handler,
    "user-migration": userMigration(() => ({
      config: runtime.config,
      legacy: createLegacyCredentialStore({
        db: dynamoClient(runtime.config.timeouts),
        tableName: (runtime.store as DynamoUserStore).tableName,
      }),
      now: runtime.now,
    })) as unknown as Handler,
  };
}
