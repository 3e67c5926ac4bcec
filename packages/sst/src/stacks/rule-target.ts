import type { FunctionName } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaArgs, LambdaFactory } from "./functions.ts";

/**
 * A function fed by a rule on the default bus, with nowhere to lose an event: its dead-letter
 * queue (`<name>DeadLetters`, kept 14 days), the function (512 MB, 30 s), Lambda's own retries
 * of a failed invocation (2, within 6 h) into that queue (`<name>InvokeConfig`), and the rule
 * (`ruleToFunction`, same queue). The delete signal and the email feedback are built this way.
 */
export function ruleConsumer(
  ctx: StackContext,
  lambda: LambdaFactory,
  name: FunctionName,
  {
    fn,
    permissions,
    rule: ruleArgs,
  }: {
    fn: Pick<LambdaArgs, "handler" | "description" | "environment">;
    /** The function's grants, which include sending to its own dead-letter queue. */
    permissions: (deadLettersArn: $util.Output<string>) => LambdaArgs["permissions"];
    rule: { description: string; eventPattern: $util.Input<string> };
  },
): { handler: sst.aws.Function; rule: aws.cloudwatch.EventRule; deadLetters: aws.sqs.Queue } {
  const opts = childOptions(ctx);
  const deadLetters = new aws.sqs.Queue(
    ...transformed(
      ctx.transform.deadLetterQueue,
      `${name}DeadLetters`,
      { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true },
      opts,
    ),
  );
  const handler = lambda(name, {
    ...fn,
    permissions: permissions(deadLetters.arn),
    memory: "512 MB",
    timeout: "30 seconds",
  });
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}InvokeConfig`,
    {
      functionName: handler.name,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 6 * 3600,
      destinationConfig: { onFailure: { destination: deadLetters.arn } },
    },
    opts,
  );
  const rule = ruleToFunction(ctx, name, { ...ruleArgs, handler, deadLetters });
  return { handler, rule, deadLetters };
}

/**
 * An EventBridge rule on the default bus that runs `handler`: the rule (`<prefix>Rule`), its
 * permission to invoke the function, the target with EventBridge's retries (24 h, 185 attempts)
 * and `deadLetters` for what still fails, and the queue policy that lets this rule write there.
 * The delete signal and the email feedback are wired this way.
 */
export function ruleToFunction(
  ctx: StackContext,
  prefix: string,
  {
    description,
    eventPattern,
    handler,
    deadLetters,
  }: {
    description: string;
    eventPattern: $util.Input<string>;
    handler: sst.aws.Function;
    deadLetters: aws.sqs.Queue;
  },
): aws.cloudwatch.EventRule {
  const opts = childOptions(ctx);
  const rule = new aws.cloudwatch.EventRule(
    ...transformed(
      ctx.transform.eventRule,
      `${prefix}Rule`,
      { description, eventPattern, state: "ENABLED" },
      opts,
    ),
  );
  new aws.lambda.Permission(
    `${prefix}Invoke`,
    {
      action: "lambda:InvokeFunction",
      function: handler.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    opts,
  );
  new aws.cloudwatch.EventTarget(
    ...transformed(
      ctx.transform.eventTarget,
      `${prefix}Target`,
      {
        rule: rule.name,
        arn: handler.arn,
        retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: deadLetters.arn },
      },
      opts,
    ),
  );
  new aws.sqs.QueuePolicy(
    `${prefix}DeadLettersPolicy`,
    {
      queueUrl: deadLetters.url,
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: deadLetters.arn,
            Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
          },
        ],
      }),
    },
    opts,
  );
  return rule;
}
