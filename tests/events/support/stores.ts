import { DynamoWebhookStore, type WebhookStore } from "@cognito-lifecycle/aws/webhooks";
import { freshStore } from "../../support/aws.ts";
import { MemoryWebhookStore } from "./memory-store.ts";

export const storeKinds = ["memory", "dynamodb"] as const;
export type StoreKind = (typeof storeKinds)[number];

/** A fresh store of `kind`; the DynamoDB one in a new table of the shared DynamoDB Local. */
export async function newStore(kind: StoreKind, now: () => Date): Promise<WebhookStore> {
  if (kind === "memory") return new MemoryWebhookStore();
  const { db, tableName } = await freshStore();
  return new DynamoWebhookStore(db, tableName, now);
}
