import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { keyAttributes, userTable } from "./table.ts";

/** CreateTable input for the user table, derived from the one key definition. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: userTable.streamViewType },
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [
      { AttributeName: userTable.partitionKey, KeyType: "HASH" },
      { AttributeName: userTable.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: Object.values(userTable.indexes).map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

/** Creates the table (and its TTL) if it does not exist yet. Used by the local stack and tests. */
export async function ensureUserTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<"created" | "exists"> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await ensureStream(client, tableName);
    return "exists";
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: userTable.ttlAttribute, Enabled: true },
    }),
  );
  return "created";
}

/** A table created before the layout had a stream (an older local data directory) gets it now. */
async function ensureStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const current = Table?.StreamSpecification;
  if (current?.StreamEnabled && current.StreamViewType === userTable.streamViewType) return;
  if (current?.StreamEnabled) {
    throw new Error(
      `Table ${tableName} streams ${current.StreamViewType}, the layout says ${userTable.streamViewType}; recreate it (npm start -- --fresh).`,
    );
  }
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: userTable.streamViewType },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}
