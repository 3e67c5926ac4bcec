import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoUserStore, ensureUserTable } from "@cognito-lifecycle/aws";
import { type AuditEvent, type LifecycleConfig, newUserRecord } from "@cognito-lifecycle/core";

/**
 * A freshly started DynamoDB Local (a JVM) answers its first transaction, conditional update and
 * index write in well over a second, longer than a trigger's per-request timeout, so the first
 * sign-up after `npm start` would lose its welcome-email bookkeeping. Running each kind of
 * request the triggers make once, on a scratch table that is then dropped, makes the first real
 * sign-up as fast as every later one.
 */
export async function warmUpDynamoDb(
  client: DynamoDBClient,
  tableName: string,
  config: LifecycleConfig,
): Promise<void> {
  const scratch = `${tableName}-warm-up-${randomUUID().slice(0, 8)}`;
  await ensureUserTable(client, scratch);
  try {
    const store = new DynamoUserStore(
      DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      scratch,
    );
    const now = new Date().toISOString();
    const sub = randomUUID();
    const record = newUserRecord(config, {
      sub,
      username: sub,
      attributes: { sub, email: "warm-up@example.com", email_verified: "true" },
      source: "sign-up",
      now,
      confirmed: true,
    });
    record.welcomeEmail = { status: "sending", at: now, attempts: 1 };
    const audit: AuditEvent = {
      sub,
      id: randomUUID(),
      at: now,
      actor: "system:warm-up",
      action: "user.created",
    };
    await store.create(record, audit);
    await store.create(record, audit);
    await store.transitionWelcomeEmail(sub, ["sending"], { status: "sent", at: now, attempts: 1 });
    await store.recordSignIn(sub, now);
    await store.recordPasswordChange(sub, now);
    await store.get(sub);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: scratch }));
  }
}
