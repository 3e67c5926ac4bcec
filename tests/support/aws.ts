import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoUserStore, ensureUserTable, instrumentClient, SesMailer } from "@cognito-lifecycle/aws";
import { localCredentials, localRegion, sesInbox } from "@cognito-lifecycle/local";
import { inject } from "vitest";
import { iamTable } from "./iam.ts";

export function dynamoEndpoint(): string {
  return inject("dynamoEndpoint");
}

export function sesEndpoint(): string {
  return inject("sesEndpoint");
}

/** Instrumented like the functions' clients: under `checkIam` (./iam.ts) a handler's calls are checked. */
export function localDynamo(): DynamoDBClient {
  return instrumentClient(
    new DynamoDBClient({
      endpoint: dynamoEndpoint(),
      region: localRegion,
      credentials: localCredentials,
    }),
  );
}

export function localDocumentClient(client: DynamoDBClient = localDynamo()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** A fresh table in the shared DynamoDB Local, with a store over it. */
export async function freshStore(): Promise<{
  store: DynamoUserStore;
  db: DynamoDBDocumentClient;
  client: DynamoDBClient;
  tableName: string;
}> {
  const client = localDynamo();
  const tableName = `users-${randomUUID().slice(0, 8)}`;
  await ensureUserTable(client, tableName);
  iamTable(tableName);
  const db = localDocumentClient(client);
  return { store: new DynamoUserStore(db, tableName), db, client, tableName };
}

export function localSes(): SESv2Client {
  return instrumentClient(
    new SESv2Client({ endpoint: sesEndpoint(), region: localRegion, credentials: localCredentials }),
  );
}

export function localMailer(): SesMailer {
  return new SesMailer(localSes());
}

/** Emails the local SES received for `to`. */
export async function emailsTo(to: string): Promise<Awaited<ReturnType<typeof sesInbox>>> {
  return (await sesInbox(sesEndpoint())).filter((email) => email.destination.to.includes(to));
}
