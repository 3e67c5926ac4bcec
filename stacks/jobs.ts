import { adminResources } from "./admin.ts";
import { consoleClient, userPool } from "./auth.ts";
import { config } from "./config.ts";
import { email } from "./email.ts";
import { alarmOn, lambda } from "./functions.ts";
import { reconcilePermissions, retentionPermissions } from "./least-privilege.ts";
import { table } from "./storage.ts";

/** Daily at 03:00 UTC, when sign-ups are fewest in most markets. */
export const reconcileSchedule = "cron(0 3 * * ? *)";

/**
 * Reconcile (functions/reconcile.ts): repairs records Cognito has and the table lacks, marks
 * users deleted in Cognito, retries pending welcome emails and reports drift. It stops a minute
 * before its timeout and returns a cursor; run it by hand with `{"apply": false}` for a dry run.
 */
export const reconcileHandler = lambda("Reconcile", {
  handler: "functions/reconcile.handler",
  description: "Daily reconcile of the user table against Cognito",
  permissions: reconcilePermissions(config, adminResources),
  memory: "512 MB",
  timeout: "15 minutes",
  environment: {
    LIFECYCLE_TABLE_NAME: table.name,
    LIFECYCLE_USER_POOL_ID: userPool.id,
    LIFECYCLE_USER_POOL_CLIENT_ID: consoleClient.id,
    LIFECYCLE_SES_CONFIGURATION_SET: email.configSet,
  },
});
alarmOn("Reconcile", reconcileHandler);

export const reconcileJob = new sst.aws.Cron("ReconcileSchedule", {
  schedule: reconcileSchedule,
  function: reconcileHandler,
  event: { apply: true },
});

/** Daily at 04:00 UTC, after reconcile has marked the users Cognito no longer has as deleted. */
export const retentionSchedule = "cron(0 4 * * ? *)";

/**
 * Retention (functions/retention.ts): scrubs the personal data of profiles soft-deleted more than
 * `retention.deletedProfileDays` ago. Audit items need no job: the table's TTL removes them.
 */
export const retentionHandler = lambda("Retention", {
  handler: "functions/retention.handler",
  description: "Daily scrub of soft-deleted profiles past the retention grace period",
  permissions: retentionPermissions(adminResources),
  memory: "256 MB",
  timeout: "15 minutes",
  environment: { LIFECYCLE_TABLE_NAME: table.name },
});
alarmOn("Retention", retentionHandler);

export const retentionJob = new sst.aws.Cron("RetentionSchedule", {
  schedule: retentionSchedule,
  function: retentionHandler,
});
