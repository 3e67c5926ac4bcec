import { adminResources } from "./admin.ts";
import { consoleClient, userPool } from "./auth.ts";
import { config } from "./config.ts";
import { email } from "./email.ts";
import { alarmOn, lambda } from "./functions.ts";
import { reconcilePermissions } from "./least-privilege.ts";
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
