import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { itemKeys, userTable } from "@cognito-lifecycle/aws";
import {
  triggerHandlers as benchTriggerHandlers,
  FakeCognito,
  type Handler,
  type InstrumentedRuntime,
  instrumentedRuntime,
  type TriggerName,
  useLocalEndpoints,
} from "@cognito-lifecycle/bench";
import type { LifecycleConfig, UserRecord } from "@cognito-lifecycle/core";
import { afterAll, beforeAll } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { relayCommitted } from "../events/support/stream.ts";
import { dynamoEndpoint, freshStore, sesEndpoint } from "../support/aws.ts";
import { asFunctions, checkIam } from "../support/iam.ts";

/**
 * The shipped config plus the two options that make triggers call Cognito (a default group
 * on confirmation, federated linking), so faults on Cognito calls can be injected too.
 */
export const reliabilityConfig: LifecycleConfig = {
  ...lifecycleConfig,
  defaultGroup: "support",
  linking: { enabled: true, trustedProviders: ["Google"] },
};

/** The bench's trigger handlers, each running as its function (checked by `checkIam`, if on). */
export function triggerHandlers(runtime: InstrumentedRuntime["runtime"]): Record<TriggerName, Handler> {
  return asFunctions(benchTriggerHandlers(runtime));
}

/**
 * A fake Cognito, the production client factories pointed at the shared DynamoDB Local, local
 * SES and that fake (through the SDK's endpoint variables), and a fresh table.
 */
export async function reliabilityEnvironment() {
  const cognito = new FakeCognito();
  await cognito.start();
  useLocalEndpoints({ dynamodb: dynamoEndpoint(), ses: sesEndpoint(), cognito: cognito.endpoint });
  const { db, tableName, client } = await freshStore();
  return {
    cognito,
    db,
    tableName,
    stop: async () => {
      client.destroy();
      await cognito.stop();
    },
  };
}

/**
 * The reliability environment with every trigger wired to instrumented clients, set up before
 * and torn down after the calling test file. Read its members inside tests, once set up.
 */
export function instrumentedTriggers(): {
  environment: Awaited<ReturnType<typeof reliabilityEnvironment>>;
  instrumented: InstrumentedRuntime;
  handlers: Record<TriggerName, Handler>;
} {
  const context = {} as ReturnType<typeof instrumentedTriggers>;
  checkIam(reliabilityConfig);
  beforeAll(async () => {
    context.environment = await reliabilityEnvironment();
    context.instrumented = instrumentedRuntime({
      config: reliabilityConfig,
      tableName: context.environment.tableName,
    });
    context.handlers = triggerHandlers(context.instrumented.runtime);
  });
  afterAll(async () => {
    context.instrumented?.destroy();
    await context.environment?.stop();
  });
  return context;
}

export function uniqueUser(label: string) {
  const sub = randomUUID();
  return { sub, email: `${label}.${sub.slice(0, 8)}@example.com`, name: `Reliability ${label}` };
}

/** Every item stored under the user's partition (profile, role entries, audit events). */
export async function itemsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
): Promise<Record<string, unknown>[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": userTable.partitionKey },
      ExpressionAttributeValues: { ":pk": itemKeys.user(sub) },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

export interface UserState {
  profile?: UserRecord & Record<string, unknown>;
  roleItems: string[];
  created: number;
  /** What is wrong with the stored state; empty when it is whole (or wholly absent). */
  problems: string[];
}

/**
 * A record is whole when the profile, one role entry per role and its creation audit event are
 * all there, or none of them is: anything in between is a half-written record.
 */
export async function userState(
  db: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
): Promise<UserState> {
  const items = await itemsOf(db, tableName, sub);
  const profile = items.find((item) => item.sk === itemKeys.profile) as UserState["profile"];
  const roleItems = items
    .filter((item) => String(item.sk).startsWith(itemKeys.rolePrefix))
    .map((item) => String(item.role));
  const created = items.filter((item) => item.kind === "audit" && item.action === "user.created").length;
  const problems: string[] = [];
  if (profile) {
    const missing = profile.roles.filter((role) => !roleItems.includes(role));
    if (missing.length > 0) problems.push(`role entries missing: ${missing.join(", ")}`);
    if (created !== 1) problems.push(`${created} creation audit events`);
  } else {
    if (roleItems.length > 0) problems.push("role entries without a profile");
    if (created > 0) problems.push("creation audit event without a profile");
  }
  return { ...(profile ? { profile } : {}), roleItems, created, problems };
}

/** Milliseconds since `start` (from `performance.now()`). */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * The events function over what the triggers committed for `subs` (the stream Lambda's mapping
 * would deliver), with the triggers' own store and mailer: it sends the welcome emails.
 */
export function relayEvents(
  context: Pick<ReturnType<typeof instrumentedTriggers>, "environment" | "instrumented">,
  subs: readonly string[],
) {
  const { runtime } = context.instrumented;
  return relayCommitted({
    db: context.environment.db,
    tableName: context.environment.tableName,
    store: runtime.store,
    mailer: runtime.mailer,
    config: reliabilityConfig,
    subs,
  });
}
