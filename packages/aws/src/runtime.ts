import { randomUUID } from "node:crypto";
import {
  type LifecycleConfig,
  type MessageRenderer,
  renderDefaultMessage,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { cognitoClient, dynamoClient, sesClient } from "./clients.ts";
import { CognitoAdmin } from "./cognito-admin.ts";
import { type Mailer, SesMailer } from "./mailer.ts";
import { emailConfigurationSet, tableName } from "./resources.ts";
import { DynamoUserStore, type UserStore } from "./user-store.ts";

/** Everything a trigger touches, injectable for tests. */
export interface TriggerRuntime {
  config: LifecycleConfig;
  store: UserStore;
  mailer: Mailer;
  cognito: CognitoAdmin;
  renderer: MessageRenderer;
  now: () => Date;
  newId: () => string;
}

/**
 * The production runtime, built on first use and then kept for the life of the Lambda
 * container, so warm invocations reuse SDK clients and their open connections. Each client is
 * made only when a trigger first needs it; the config gets its environment overrides here.
 */
export function lazyRuntime(
  config: LifecycleConfig,
  renderer: MessageRenderer = renderDefaultMessage,
): () => TriggerRuntime {
  let runtime: TriggerRuntime | undefined;
  return () => {
    runtime ??= {
      config: withEnvironment(config),
      get store() {
        const store = new DynamoUserStore(dynamoClient(config.timeouts), tableName());
        Object.defineProperty(this, "store", { value: store });
        return store;
      },
      get mailer() {
        const mailer = new SesMailer(sesClient(config.timeouts), emailConfigurationSet());
        Object.defineProperty(this, "mailer", { value: mailer });
        return mailer;
      },
      get cognito() {
        const cognito = new CognitoAdmin(cognitoClient(config.timeouts));
        Object.defineProperty(this, "cognito", { value: cognito });
        return cognito;
      },
      renderer,
      now: () => new Date(),
      newId: () => randomUUID(),
    } as TriggerRuntime;
    return runtime;
  };
}
