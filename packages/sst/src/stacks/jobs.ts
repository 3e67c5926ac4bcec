import type { FunctionResources } from "@cognito-lifecycle/core";
import { reconcilePermissions, retentionPermissions } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";

/** Daily at 03:00 UTC, when sign-ups are fewest in most markets. */
export const reconcileSchedule = "cron(0 3 * * ? *)";

/** Daily at 04:00 UTC, after reconcile has marked the users Cognito no longer has as deleted. */
export const retentionSchedule = "cron(0 4 * * ? *)";

export interface JobInputs {
  userPoolId: $util.Input<string>;
  consoleClientId: $util.Input<string>;
  table: sst.aws.Dynamo;
  email: sst.aws.Email;
  resources: FunctionResources<$util.Input<string>>;
}

/**
 * Reconcile (functions/reconcile.ts): repairs records Cognito has and the table lacks, marks
 * users deleted in Cognito, retries pending welcome emails and reports drift. It stops a minute
 * before its timeout and returns a cursor; run it by hand with `{"apply": false}` for a dry run.
 * Retention (functions/retention.ts): scrubs the personal data of profiles soft-deleted more than
 * `retention.deletedProfileDays` ago. Audit items need no job: the table's TTL removes them.
 */
export function createJobs(ctx: StackContext, lambda: LambdaFactory, inputs: JobInputs) {
  const reconcileHandler = lambda("Reconcile", {
    handler: "functions/reconcile.handler",
    description: "Daily reconcile of the user table against Cognito",
    permissions: reconcilePermissions(ctx.config, inputs.resources),
    memory: "512 MB",
    timeout: "15 minutes",
    environment: {
      LIFECYCLE_TABLE_NAME: inputs.table.name,
      LIFECYCLE_USER_POOL_ID: inputs.userPoolId,
      LIFECYCLE_USER_POOL_CLIENT_ID: inputs.consoleClientId,
      LIFECYCLE_SES_CONFIGURATION_SET: inputs.email.configSet,
    },
  });
  const reconcileArgs: sst.aws.CronArgs = {
    schedule: reconcileSchedule,
    function: reconcileHandler,
    event: { apply: true },
  };
  const reconcileJob = new sst.aws.Cron(
    ...transformed(ctx.transform.schedule, "ReconcileSchedule", reconcileArgs, childOptions(ctx)),
  );
  const retentionHandler = lambda("Retention", {
    handler: "functions/retention.handler",
    description: "Daily scrub of soft-deleted profiles past the retention grace period",
    permissions: retentionPermissions(inputs.resources),
    memory: "256 MB",
    timeout: "15 minutes",
    environment: { LIFECYCLE_TABLE_NAME: inputs.table.name },
  });
  const retentionArgs: sst.aws.CronArgs = { schedule: retentionSchedule, function: retentionHandler };
  const retentionJob = new sst.aws.Cron(
    ...transformed(ctx.transform.schedule, "RetentionSchedule", retentionArgs, childOptions(ctx)),
  );
  return { reconcileHandler, reconcileJob, retentionHandler, retentionJob };
}
