import { randomUUID } from "node:crypto";
import type { LifecycleConfig, MessageRenderer } from "@cognito-lifecycle/core";
import type { CognitoAdmin } from "./cognito-admin.ts";
import type { Mailer } from "./mailer.ts";
import type { UserStore } from "./user-store.ts";

/** Everything a trigger may touch, injectable for tests. Each trigger picks the parts it uses. */
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
 * Builds a value on first use and keeps it for the life of the Lambda container, so warm
 * invocations reuse SDK clients and their open connections. Each trigger wires only the
 * clients it needs, which keeps the others out of its bundle and its cold start.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

export const systemClock = { now: () => new Date(), newId: () => randomUUID() } as const;
