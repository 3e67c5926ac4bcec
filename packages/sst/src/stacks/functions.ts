import { compiledConfigDefine } from "@cognito-lifecycle/core";
import type { FunctionName, Statement } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import { appConfigNodePaths, handlerPath } from "./handlers.ts";

/**
 * Lambda defaults. Cognito waits at most 5 s for a trigger, retries included, so triggers get
 * a 5 s timeout (their own deadline, `timeouts.budgetMs`, ends earlier). The handlers are
 * I/O-bound; memory buys the CPU that a cold start's module evaluation needs. `npm run bench`
 * models the worst cold start at ~2.3 s with 256 MB, ~1.2 s with 512 MB and ~0.6 s with 1024 MB
 * (nearly the same modelled warm cost), so triggers get 1024 MB.
 */
export const triggerMemory = "1024 MB";
/**
 * The user migration trigger verifies one imported password hash, single-threaded and CPU-bound:
 * Lambda gives one full vCPU at 1,769 MB, and more memory adds vCPUs one verification cannot
 * use. At one vCPU the costliest hash `defaultCostLimits` accepts takes ~1.5 s (docs/decisions.md).
 */
export const migrationMemory = "1769 MB";
export const triggerTimeout = "5 seconds";
export const logRetention = "1 month";
export const runtime = "nodejs22.x";

type Permission = Statement<$util.Input<string>>;

export interface LambdaArgs {
  handler: string;
  description: string;
  permissions: Permission[];
  environment?: Record<string, $util.Input<string>>;
  memory?: `${number} MB`;
  timeout?: `${number} seconds` | `${number} minutes`;
  /** Reserved concurrency: 1 keeps a scheduled job from overlapping itself. */
  reservedConcurrency?: number;
}

/** Makes the component's functions, each with its alarms on one topic. */
export type LambdaFactory = (name: FunctionName, args: LambdaArgs) => sst.aws.Function;

/**
 * The alarm topic and the factory every stack makes its functions with: a function with exactly
 * the given permissions (no `link`: a link grants `dynamodb:*`, `ses:*` or `cognito-idp:*`;
 * resource names go in `LIFECYCLE_*` environment variables), alarmed on from the start.
 */
export function createFunctions(ctx: StackContext): { alarmTopic: aws.sns.Topic; lambda: LambdaFactory } {
  const alarmTopic = createAlarmTopic(ctx);
  const lambda: LambdaFactory = (name, args) => {
    const base = functionArgs(ctx, name, args);
    const [, afterAll, opts] = transformed(ctx.transform.function, name, base, childOptions(ctx));
    const fn = new sst.aws.Function(...transformed(ctx.transform.functions?.[name], name, afterAll, opts));
    alarmOn(ctx, alarmTopic, name, fn);
    return fn;
  };
  return { alarmTopic, lambda };
}

function functionArgs(ctx: StackContext, name: string, args: LambdaArgs): sst.aws.FunctionArgs {
  const { bootstrapAdmins } = ctx.settings;
  const nodePaths = appConfigNodePaths($cli.paths.root, ctx.configPath);
  return {
    handler: handlerPath($cli.paths.root, args.handler),
    description: args.description,
    runtime,
    architecture: "arm64",
    memory: args.memory ?? triggerMemory,
    timeout: args.timeout ?? triggerTimeout,
    ...(args.reservedConcurrency ? { concurrency: { reserved: args.reservedConcurrency } } : {}),
    logging: { retention: logRetention, format: "text" },
    nodejs: {
      format: "esm",
      minify: true,
      sourcemap: false,
      esbuild: {
        mainFields: ["module", "main"],
        ...(nodePaths.length > 0 ? { nodePaths } : {}),
        // The config validated here, so a cold start does not build the config schema again.
        define: compiledConfigDefine(ctx.config),
      },
    },
    permissions: args.permissions.map((statement) => ({
      actions: statement.actions,
      resources: statement.resources,
      ...(statement.conditions ? { conditions: statement.conditions } : {}),
    })),
    environment: {
      POWERTOOLS_SERVICE_NAME: `cognito-lifecycle-${name}`,
      ...(bootstrapAdmins ? { LIFECYCLE_BOOTSTRAP_ADMINS: bootstrapAdmins } : {}),
      ...args.environment,
    },
    transform: {
      role: (role) => {
        // SST 4.17.1 tests an Output for truthiness when it picks the trust policy, so every
        // deployed role also trusts the account root (meant only for `sst dev`). Outside dev,
        // only Lambda may assume a function's role.
        if (!$dev)
          role.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
  };
}

/** The ARN of a function in the form trigger and route arguments accept. */
export function functionArn(fn: sst.aws.Function): $util.Output<`arn:${string}`> {
  return fn.arn.apply((arn) => {
    if (!isArn(arn)) throw new Error(`Function ${fn.urn} has no ARN`);
    return arn;
  });
}

function isArn(value: string): value is `arn:${string}` {
  return value.startsWith("arn:");
}

/** Where alarms notify: an SNS topic, with an email subscription if an alarm email is set. */
function createAlarmTopic(ctx: StackContext): aws.sns.Topic {
  const alarmTopic = new aws.sns.Topic(
    ...transformed(ctx.transform.alarmTopic, "Alarms", {}, childOptions(ctx)),
  );
  if (ctx.settings.alarmEmail) {
    new aws.sns.TopicSubscription(
      "AlarmsEmail",
      { topic: alarmTopic.arn, protocol: "email", endpoint: ctx.settings.alarmEmail },
      childOptions(ctx),
    );
  }
  return alarmTopic;
}

/**
 * Alarms on a function's Errors and Throttles: any in five minutes. A failing trigger is a
 * failing sign-up or sign-in, and a throttled one is the same to the user.
 */
function alarmOn(ctx: StackContext, topic: aws.sns.Topic, name: string, fn: sst.aws.Function): void {
  for (const metric of ["Errors", "Throttles"] as const) {
    const args: aws.cloudwatch.MetricAlarmArgs = {
      alarmDescription: `${name}: ${metric.toLowerCase()} in the last 5 minutes`,
      namespace: "AWS/Lambda",
      metricName: metric,
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    };
    new aws.cloudwatch.MetricAlarm(
      ...transformed(ctx.transform.alarm, `${name}${metric}Alarm`, args, childOptions(ctx)),
    );
  }
}
