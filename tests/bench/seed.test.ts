import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { seedUsers } from "../../packages/bench/src/admin-scale.ts";

type Batch = { input: { RequestItems: Record<string, { PutRequest: { Item: { pk: string } } }[]> } };

/** A table that times out the first `timeouts` batches and stores the rest. */
function slowTable(timeouts: number) {
  const stored = new Set<string>();
  let left = timeouts;
  const send = async (command: Batch) => {
    if (left-- > 0)
      throw Object.assign(new Error("a request has exceeded the configured 10000 ms requestTimeout"), {
        name: "TimeoutError",
      });
    for (const request of command.input.RequestItems.users ?? [])
      stored.add(JSON.stringify(request.PutRequest.Item));
    return { UnprocessedItems: {} };
  };
  return { db: { send } as unknown as DynamoDBDocumentClient, stored };
}

describe("seeding the benchmark's users", () => {
  it("sends a timed-out batch again instead of failing the run", async () => {
    const { db, stored } = slowTable(3);
    const { items } = await seedUsers(db, lifecycleConfig, "users", 100, 2);
    expect(items).toBeGreaterThan(100);
    expect(stored.size).toBe(items);
  });

  it("gives up when the table keeps timing out", async () => {
    const { db } = slowTable(1000);
    await expect(seedUsers(db, lifecycleConfig, "users", 100, 2)).rejects.toThrow(/requestTimeout/);
  });
});
