import { describe, expect, it } from "vitest";
import { freshStore } from "../support/aws.ts";

describe("test harness", () => {
  it("creates a table in DynamoDB Local", async () => {
    const { store } = await freshStore();
    expect(await store.get("nobody")).toBeUndefined();
  });
});
