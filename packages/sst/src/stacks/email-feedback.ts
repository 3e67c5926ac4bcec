import type { FunctionResources } from "@cognito-lifecycle/core";
import { emailFeedbackPermissions } from "@cognito-lifecycle/core/least-privilege";
import { childOptions, type StackContext } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";
import { ruleConsumer } from "./rule-target.ts";

/** The SES event-publishing records functions/email-feedback.ts reads (EventBridge `detail-type`). */
export const emailFeedbackDetailTypes = ["Email Bounced", "Email Complaint Received"] as const;

/** The rule's pattern: bounces and complaints of mail sent through `configurationSet` only. */
export function emailFeedbackPattern(configurationSet: string) {
  return {
    source: ["aws.ses"],
    "detail-type": [...emailFeedbackDetailTypes],
    detail: { mail: { tags: { "ses:configuration-set": [configurationSet] } } },
  };
}

export interface EmailFeedbackInput {
  table: sst.aws.Dynamo;
  email: sst.aws.Email;
  lambda: LambdaFactory;
  pool: { id: $util.Input<string>; consoleClient: { id: $util.Input<string> } };
  resources: FunctionResources<$util.Input<string>>;
}

/**
 * Bounces and complaints (docs/emails.md#bounces-and-complaints): the configuration set
 * publishes BOUNCE and COMPLAINT events to the default EventBridge bus (the only bus SES
 * publishes to), and a rule sends this set's events to functions/email-feedback.ts. Retries
 * and the dead-letter queue are the delete signal's (stacks/cognito-api-events.ts).
 */
export function createEmailFeedback(
  ctx: StackContext,
  { table, email, lambda, pool, resources }: EmailFeedbackInput,
): {
  handler: sst.aws.Function;
  destination: aws.sesv2.ConfigurationSetEventDestination;
  rule: aws.cloudwatch.EventRule;
  deadLetters: aws.sqs.Queue;
} {
  const opts = childOptions(ctx);
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput();
  const region = aws.getRegionOutput();
  const destination = new aws.sesv2.ConfigurationSetEventDestination(
    "EmailFeedbackDestination",
    {
      configurationSetName: email.configSet,
      eventDestinationName: "bounces-and-complaints",
      eventDestination: {
        enabled: true,
        matchingEventTypes: ["BOUNCE", "COMPLAINT"],
        eventBridgeDestination: {
          eventBusArn: $interpolate`arn:${partition.partition}:events:${region.name}:${identity.accountId}:event-bus/default`,
        },
      },
    },
    opts,
  );
  const { handler, rule, deadLetters } = ruleConsumer(ctx, lambda, "EmailFeedback", {
    fn: {
      handler: "functions/email-feedback.handler",
      description: "SES bounces and complaints -> the user's record",
      environment: {
        LIFECYCLE_TABLE_NAME: table.name,
        LIFECYCLE_USER_POOL_ID: pool.id,
        LIFECYCLE_USER_POOL_CLIENT_ID: pool.consoleClient.id,
      },
    },
    permissions: (deadLettersArn) => emailFeedbackPermissions(resources, deadLettersArn),
    rule: {
      description: "SES bounces and complaints of the lifecycle configuration set -> the user's record",
      eventPattern: $output(email.configSet).apply((name) => JSON.stringify(emailFeedbackPattern(name))),
    },
  });
  return { handler, destination, rule, deadLetters };
}
