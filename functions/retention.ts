import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoClient, logger, scrubDeletedProfiles, tableName } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, withEnvironment } from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

/** Time kept back from the Lambda timeout to finish the profile in hand and report. */
const reserveMs = 30_000;

/**
 * The daily retention job (stacks/jobs.ts): scrubs the personal data of profiles soft-deleted
 * more than `retention.deletedProfileDays` ago. Idempotent; a run cut short is finished by the next.
 */
export function createHandler(
  settings: LifecycleConfig,
  dependencies: () => { db: DynamoDBDocumentClient; tableName: string; now?: () => Date },
) {
  return async (_event: unknown, context?: { getRemainingTimeInMillis(): number }) => {
    const { db, tableName: table, now } = dependencies();
    const remaining = context?.getRemainingTimeInMillis();
    const report = await scrubDeletedProfiles(db, table, {
      now: now?.() ?? new Date(),
      deletedProfileDays: settings.retention.deletedProfileDays,
      auditDays: settings.retention.auditDays,
      newId: randomUUID,
      ...(remaining !== undefined ? { stopAt: Date.now() + Math.max(remaining - reserveMs, 0) } : {}),
    });
    if (report.complete) logger.info("retention finished", { ...report });
    else logger.warn("retention stopped before the end: the next run continues", { ...report });
    return report;
  };
}

let db: DynamoDBDocumentClient | undefined;
const settings = withEnvironment(config);

export const handler = createHandler(settings, () => {
  // A batch job, not a trigger: longer requests and more attempts than Cognito's 5 s allow.
  db ??= dynamoClient({ requestMs: 5_000, maxAttempts: 5 });
  return { db, tableName: tableName() };
});
