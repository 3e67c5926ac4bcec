// The layout alone (pure data, no SDK): the package's whole index would load the SDK clients.
import { keyAttributes, userTable } from "@cognito-lifecycle/aws/table";
import { childOptions, type StackContext, transformed } from "./context.ts";

/** SST's spelling of DynamoDB's stream view types. */
const sstStreamView = {
  KEYS_ONLY: "keys-only",
  NEW_IMAGE: "new-image",
  OLD_IMAGE: "old-image",
  NEW_AND_OLD_IMAGES: "new-and-old-images",
} as const;

/**
 * The user table. Keys and indexes come from the store's own layout (packages/aws/src/table.ts),
 * the same definition the local stack's CreateTable uses, so the deployed table cannot drift
 * from the code that reads it. On-demand, point-in-time recovery on (SST's default), TTL on
 * `expiresAt` for audit items, the stream the events function reads (view type from the layout),
 * deletion protection and Pulumi protection on production stages.
 */
export function createTable(ctx: StackContext): sst.aws.Dynamo {
  const { production } = ctx;
  const args: sst.aws.DynamoArgs = {
    fields: Object.fromEntries(keyAttributes.map((attribute) => [attribute, "string" as const])),
    primaryIndex: { hashKey: userTable.partitionKey, rangeKey: userTable.sortKey },
    globalIndexes: Object.fromEntries(
      Object.values(userTable.indexes).map((index) => [
        index.name,
        { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: "all" as const },
      ]),
    ),
    ttl: userTable.ttlAttribute,
    stream: sstStreamView[userTable.streamViewType],
    deletionProtection: production,
    transform: {
      // A key change would replace the table: on production stages it fails the deploy instead.
      table: (_args, opts) => {
        opts.protect = production;
      },
    },
  };
  return new sst.aws.Dynamo(...transformed(ctx.transform.table, "Users", args, childOptions(ctx)));
}

/** The actions of the read-only link: point reads and queries, never a write or a scan. */
export const tableReadActions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;

/**
 * A link for the app's own functions (`link: [auth.usersTable]`): the table's name and ARN as
 * `Resource.<name>`, and only the read actions on the table and its indexes. Linking the table
 * itself would grant `dynamodb:*`.
 */
export function readOnlyTableLink(
  name: string,
  table: sst.aws.Dynamo,
): sst.Linkable<{
  name: $util.Output<string>;
  arn: $util.Output<string>;
}> {
  return new sst.Linkable(name, {
    properties: { name: table.name, arn: table.arn },
    include: [
      sst.aws.permission({
        actions: [...tableReadActions],
        resources: [table.arn, $interpolate`${table.arn}/index/*`],
      }),
    ],
  });
}
