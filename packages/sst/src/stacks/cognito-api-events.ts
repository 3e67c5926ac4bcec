import {
  cloudTrailDetailType,
  cognitoEventSource,
  type FunctionResources,
  signalledCalls,
  tokenAuthorisedCalls,
} from "@cognito-lifecycle/core";
import { cognitoApiEventsPermissions } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";
import { ruleConsumer } from "./rule-target.ts";

/**
 * The EventBridge pattern of the delete signal: the signalled calls on our pool (Admin* calls
 * carry `requestParameters.userPoolId`), and the token-authorised ones, which do not (the
 * handler drops other pools' users: their subs have no record here). Failed calls are dropped
 * by the handler, as `errorCode` cannot be matched on absence together with `$or` cheaply.
 */
export function cognitoApiEventPattern(userPoolId: string) {
  const adminCalls = signalledCalls.filter((call) => !tokenAuthorisedCalls.includes(call));
  return {
    source: [cognitoEventSource],
    "detail-type": [cloudTrailDetailType],
    detail: {
      eventSource: ["cognito-idp.amazonaws.com"],
      $or: [
        { eventName: adminCalls, requestParameters: { userPoolId: [userPoolId] } },
        { eventName: [...tokenAuthorisedCalls] },
      ],
    },
  };
}

export interface CognitoApiEventsInput {
  table: sst.aws.Dynamo;
  lambda: LambdaFactory;
  pool: {
    id: $util.Input<string>;
    /** A client of the pool (the admin runtime verifies tokens for it; the handler verifies none). */
    consoleClient: { id: $util.Input<string> };
  };
  resources: FunctionResources<$util.Input<string>>;
}

/**
 * The delete signal (docs/data-rights.md#delete-signal): a rule on the default event bus sends
 * Cognito's CloudTrail-recorded AdminDeleteUser, DeleteUser, (Admin)UpdateUserAttributes,
 * AdminDeleteUserAttributes and AdminDisable/EnableUser calls to functions/cognito-api-events.ts. Delivery is retried by
 * EventBridge (24 h, 185 attempts) and invocation by Lambda (2 retries); what still fails goes
 * to a dead-letter queue kept 14 days, and reconcile repairs it at the latest the next night.
 */
export function createCognitoApiEvents(
  ctx: StackContext,
  { table, lambda, pool, resources }: CognitoApiEventsInput,
): {
  handler: sst.aws.Function;
  rule: aws.cloudwatch.EventRule;
  deadLetters: aws.sqs.Queue;
  trail?: aws.cloudtrail.Trail;
} {
  const { handler, rule, deadLetters } = ruleConsumer(ctx, lambda, "CognitoApiEvents", {
    fn: {
      handler: "functions/cognito-api-events.handler",
      description: "Delete signal: Cognito API calls recorded by CloudTrail -> the user table",
      environment: {
        LIFECYCLE_TABLE_NAME: table.name,
        LIFECYCLE_USER_POOL_ID: pool.id,
        LIFECYCLE_USER_POOL_CLIENT_ID: pool.consoleClient.id,
      },
    },
    permissions: (deadLettersArn) => cognitoApiEventsPermissions(resources, deadLettersArn),
    rule: {
      description: "Cognito user deletions and attribute changes (CloudTrail) -> the delete signal",
      eventPattern: $output(pool.id).apply((id) => JSON.stringify(cognitoApiEventPattern(id))),
    },
  });
  const trail =
    ctx.settings.cloudTrail === "create" ? managementEventsTrail(ctx, childOptions(ctx)) : undefined;
  return { handler, rule, deadLetters, ...(trail ? { trail } : {}) };
}

/** A single-region trail of management events (write-only) and its private, encrypted bucket. */
function managementEventsTrail(ctx: StackContext, opts: ReturnType<typeof childOptions>) {
  const bucket = new aws.s3.BucketV2("CloudTrailLogs", { forceDestroy: false }, opts);
  new aws.s3.BucketPublicAccessBlock(
    "CloudTrailLogsPublicAccess",
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput();
  const region = aws.getRegionOutput();
  const trailName = `${$app.name}-${$app.stage}-management`;
  const trailArn = $interpolate`arn:${partition.partition}:cloudtrail:${region.name}:${identity.accountId}:trail/${trailName}`;
  const policy = new aws.s3.BucketPolicy(
    "CloudTrailLogsPolicy",
    {
      bucket: bucket.id,
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
          {
            Sid: "Write",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: $interpolate`${bucket.arn}/AWSLogs/${identity.accountId}/*`,
            Condition: {
              StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn },
            },
          },
        ],
      }),
    },
    opts,
  );
  return new aws.cloudtrail.Trail(
    ...transformed(
      ctx.transform.trail,
      "ManagementEventsTrail",
      {
        name: trailName,
        s3BucketName: bucket.id,
        isMultiRegionTrail: false,
        includeGlobalServiceEvents: false,
        enableLogging: true,
        enableLogFileValidation: true,
        eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
      },
      { ...opts, dependsOn: [policy] },
    ),
  );
}
