// The layout alone (pure data, no SDK): the package's whole index would load the SDK clients.
import { keyAttributes, userTable } from "@cognito-lifecycle/aws/table";
import { production } from "./config.ts";

/**
 * The user table. Keys and indexes come from the store's own layout (packages/aws/src/table.ts),
 * the same definition the local stack's CreateTable uses, so the deployed table cannot drift
 * from the code that reads it. On-demand, point-in-time recovery on (SST's default), TTL on
 * `expiresAt` for audit items, deletion protection and Pulumi protection on production stages.
 */
export const table = new sst.aws.Dynamo("Users", {
  fields: Object.fromEntries(keyAttributes.map((attribute) => [attribute, "string" as const])),
  primaryIndex: { hashKey: userTable.partitionKey, rangeKey: userTable.sortKey },
  globalIndexes: Object.fromEntries(
    Object.values(userTable.indexes).map((index) => [
      index.name,
      { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: "all" as const },
    ]),
  ),
  ttl: userTable.ttlAttribute,
  // The outbox: audit items are inserts carrying their events (stacks/events.ts reads them).
  stream: "new-image",
  deletionProtection: production,
  transform: {
    // A key change would replace the table: on production stages it fails the deploy instead.
    table: (_args, opts) => {
      opts.protect = production;
    },
  },
});
