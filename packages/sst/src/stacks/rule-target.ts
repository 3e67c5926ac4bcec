import { childOptions, type StackContext, transformed } from "./context.ts";

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
