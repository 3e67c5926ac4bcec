import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoClient, profileItem } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, newUserRecord } from "@cognito-lifecycle/core";
import { customMessageEvent, preSignUpEvent, preTokenEvent, type UserShape } from "./events.ts";
import { instrumentedRuntime, type TriggerName, triggerHandlers } from "./runtime.ts";
import { round } from "./stats.ts";

export interface MemorySample {
  invocations: number;
  rss_mb: number;
  heap_used_mb: number;
}

export interface MemoryResult {
  trigger: TriggerName;
  invocations: number;
  /** Peak resident set size of the process over the whole run. */
  peak_rss_mb: number;
  at_first_sample: MemorySample;
  at_end: MemorySample;
  /** Heap retained after a full GC, end minus first sample. */
  heap_growth_mb: number;
  rss_growth_mb: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

function sample(invocations: number): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { invocations, rss_mb: mb(usage.rss), heap_used_mb: mb(usage.heapUsed) };
}

/**
 * Invokes one trigger `invocations` times in this (fresh) process, sampling memory after a full
 * GC at `sampleAt` and at the end. Users are cycled over a fixed set, as a warm container sees
 * the same pool's users over and over.
 */
export async function measureMemory(options: {
  config: LifecycleConfig;
  tableName: string;
  trigger: TriggerName;
  invocations: number;
  sampleAt: number;
}): Promise<MemoryResult> {
  const { config, tableName, trigger, invocations, sampleAt } = options;
  const instrumented = instrumentedRuntime({ config, tableName });
  const handlers = triggerHandlers(instrumented.runtime);
  const users: UserShape[] = Array.from({ length: 100 }, (_, index) => ({
    sub: `memory-${trigger}-${index}`,
    email: `memory.${index}@example.com`,
    name: `Memory User ${index}`,
  }));
  if (trigger === "pre-token-generation") {
    const db = dynamoClient(config.timeouts);
    const now = new Date().toISOString();
    for (const shape of users) {
      const record = newUserRecord(config, {
        sub: shape.sub,
        username: shape.sub,
        attributes: { email: shape.email, email_verified: "true" },
        source: "sign-up",
        now,
      });
      await db.send(new PutCommand({ TableName: tableName, Item: profileItem(record) }));
    }
    db.destroy();
  }
  const eventFor = (index: number) => {
    const shape = users[index % users.length] as UserShape;
    switch (trigger) {
      case "pre-token-generation":
        return preTokenEvent(shape);
      case "custom-message":
        return customMessageEvent(shape);
      case "pre-sign-up":
        return preSignUpEvent(shape);
      default:
        throw new Error(`memory measurement is not set up for ${trigger}`);
    }
  };
  const handler = handlers[trigger];
  let first: MemorySample | undefined;
  for (let index = 1; index <= invocations; index++) {
    await handler(eventFor(index));
    if (index === sampleAt) first = sample(index);
  }
  const end = sample(invocations);
  instrumented.destroy();
  const start = first ?? end;
  return {
    trigger,
    invocations,
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    at_first_sample: start,
    at_end: end,
    heap_growth_mb: round(end.heap_used_mb - start.heap_used_mb, 1),
    rss_growth_mb: round(end.rss_mb - start.rss_mb, 1),
  };
}
