import {
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { cognitoClient, logger } from "@cognito-lifecycle/aws";
import { type AttachAction, triggerUpdateFor } from "@cognito-lifecycle/aws/pool-triggers";

/**
 * Attach mode's deploy-time step (stacks/attach.ts): invoked by Pulumi's lambda Invocation on
 * create, update and delete (`tf.action`) to write our triggers into an existing pool.
 */
export interface AttachEvent {
  userPoolId: string;
  lambdaConfig: LambdaConfigType;
  tf?: { action?: AttachAction };
}

let client: ReturnType<typeof cognitoClient> | undefined;

export async function handler(event: AttachEvent): Promise<{ triggers: string[] }> {
  client ??= cognitoClient({ requestMs: 10_000, maxAttempts: 5 });
  const action = event.tf?.action ?? "create";
  const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: event.userPoolId }));
  if (!UserPool) throw new Error("DescribeUserPool returned no pool");
  const update = triggerUpdateFor(UserPool, event.lambdaConfig, action);
  await client.send(new UpdateUserPoolCommand(update));
  const triggers = Object.keys(update.LambdaConfig ?? {});
  logger.info("pool triggers written", { action, triggers });
  return { triggers };
}
