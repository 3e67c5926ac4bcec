import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  CognitoAdmin,
  DynamoUserStore,
  type InvocationContext,
  instrumentClient,
  logger,
  type Mailer,
  SesMailer,
  type TriggerRuntime,
  type UserStore,
} from "@cognito-lifecycle/aws";
import type { LifecycleConfig, MessageRenderer } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { freePort, localCredentials, localRegion } from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { expect, vi } from "vitest";
import { localDocumentClient, localMailer } from "../support/aws.ts";
import { asTrigger, iamConfig, iamTable } from "../support/iam.ts";

/**
 * Calls a trigger handler with a fixture event, whatever the handler's declared event type, as
 * the function its trigger source belongs to (the offline IAM check applies that role).
 */
export function invoke<Event extends object>(
  handler: (event: never, context?: InvocationContext) => Promise<unknown>,
  event: Event,
): Promise<Event> {
  return asTrigger((event as { triggerSource?: unknown }).triggerSource, () =>
    handler(event as never),
  ) as Promise<Event>;
}

/** A Cognito admin client whose every call is answered by aws-sdk-client-mock (nothing answers by default). */
export function mockedCognito() {
  const client = new CognitoIdentityProviderClient({ region: localRegion, credentials: localCredentials });
  const mock = mockClient(client);
  return { cognito: new CognitoAdmin(client), mock };
}

/** The runtime the handlers' `createHandler` takes, built from real local services and a mocked Cognito. */
export function runtime(parts: {
  config: LifecycleConfig;
  store: UserStore;
  mailer?: Mailer;
  cognito?: CognitoAdmin;
  renderer?: MessageRenderer;
  now?: () => Date;
}): () => TriggerRuntime {
  iamConfig(parts.config);
  const value: TriggerRuntime = {
    config: parts.config,
    store: parts.store,
    mailer: parts.mailer ?? localMailer(),
    cognito: parts.cognito ?? mockedCognito().cognito,
    renderer: parts.renderer ?? renderMessage,
    now: parts.now ?? (() => new Date()),
    newId: () => randomUUID(),
  };
  return () => value;
}

/** A port nothing listens on: connections are refused at once. */
async function closedEndpoint(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** A user store whose DynamoDB is not there: every call fails with `StoreUnavailableError`. */
export async function unreachableStore(): Promise<DynamoUserStore> {
  const client = new DynamoDBClient({
    endpoint: await closedEndpoint(),
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  iamTable("users-unreachable");
  return new DynamoUserStore(localDocumentClient(instrumentClient(client)), "users-unreachable");
}

/**
 * A store over an existing table that records the name of every command it sends (e.g.
 * "GetCommand") and their inputs, and can run `afterFirstRead` once, right after its first
 * read returns: the moment another writer could slip in between a read and a write.
 */
export function observedStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  afterFirstRead?: () => Promise<unknown>,
): { store: DynamoUserStore; commands: { name: string; input: Record<string, unknown> }[] } {
  const commands: { name: string; input: Record<string, unknown> }[] = [];
  let pending = afterFirstRead;
  const send = db.send.bind(db) as (command: unknown, options?: unknown) => Promise<unknown>;
  const observed = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver);
      return async (
        command: { constructor: { name: string }; input: Record<string, unknown> },
        options?: unknown,
      ) => {
        commands.push({ name: command.constructor.name, input: command.input });
        const result = await send(command, options);
        if (command.constructor.name === "GetCommand" && pending) {
          const run = pending;
          pending = undefined;
          await run();
        }
        return result;
      };
    },
  });
  return { store: new DynamoUserStore(observed, tableName), commands };
}

/** An SES whose endpoint is not there: sending fails with a transient error. */
export async function unreachableMailer(): Promise<SesMailer> {
  return new SesMailer(
    instrumentClient(
      new SESv2Client({
        endpoint: await closedEndpoint(),
        region: localRegion,
        credentials: localCredentials,
        maxAttempts: 1,
      }),
    ),
  );
}

/** Cognito's rule for every trigger: the whole event comes back, and only `response` may differ. */
export function expectOnlyResponseChanged<Event extends { response?: unknown }>(
  sent: Event,
  returned: Event,
): void {
  const { response: _sentResponse, ...sentRest } = sent;
  const { response: returnedResponse, ...returnedRest } = returned;
  expect(returnedRest).toEqual(sentRest);
  expect(returnedResponse).toBeTypeOf("object");
  expect(returnedResponse).not.toBeNull();
  // Lambda serialises the answer: it must survive JSON unchanged.
  expect(JSON.parse(JSON.stringify(returned))).toEqual(returned);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Everything the triggers log from now until the test ends (vitest restores the spies), as JSON lines. */
export function captureLogs(): string[] {
  const lines: string[] = [];
  for (const level of ["debug", "info", "warn", "error", "critical"] as const) {
    vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
      lines.push(JSON.stringify(args));
    }) as never);
  }
  return lines;
}
