import type { LambdaConfigType } from "@aws-sdk/client-cognito-identity-provider";
import { type TriggerName, triggerManifest } from "@cognito-lifecycle/core";
import { deployedTriggers, type Triggers } from "./auth.ts";
import { childOptions, type ExistingUserPool, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";
import { attachTriggersPermissions } from "./least-privilege.ts";

/** Where each trigger goes in a pool's LambdaConfig (V2 token events, as the created pool has). */
const lambdaConfigEntry: Record<TriggerName, (arn: string) => LambdaConfigType> = {
  preSignUp: (arn) => ({ PreSignUp: arn }),
  postConfirmation: (arn) => ({ PostConfirmation: arn }),
  preTokenGeneration: (arn) => ({ PreTokenGenerationConfig: { LambdaArn: arn, LambdaVersion: "V2_0" } }),
  customMessage: (arn) => ({ CustomMessage: arn }),
  postAuthentication: (arn) => ({ PostAuthentication: arn }),
};

/** The LambdaConfig that wires every trigger function. */
export function lambdaConfigOf(triggers: Triggers): $util.Output<LambdaConfigType> {
  const deployed = deployedTriggers(triggers);
  return $resolve(Object.fromEntries(deployed.map(([trigger, fn]) => [trigger, fn.arn]))).apply(
    (arns) =>
      Object.assign(
        {},
        ...deployed.map(([trigger]) => lambdaConfigEntry[trigger](arns[trigger] as string)),
      ) as LambdaConfigType,
  );
}

/**
 * Attach mode: our triggers on a pool another stack owns. Cognito may invoke each trigger from
 * that pool only (a lambda permission per trigger, source ARN the pool's), and a deploy-time
 * function writes the LambdaConfig into the pool (functions/attach-triggers.ts: the pool's other
 * settings are read and written back unchanged). On `sst remove` it takes our triggers out again.
 */
export function attachTriggers(
  ctx: StackContext,
  lambda: LambdaFactory,
  pool: ExistingUserPool,
  triggers: Triggers,
): aws.lambda.Invocation {
  const permissions = deployedTriggers(triggers).map(([trigger, fn]) => {
    const { functionName } = triggerManifest[trigger];
    return new aws.lambda.Permission(
      `${functionName}CognitoPermission`,
      {
        action: "lambda:InvokeFunction",
        function: fn.arn,
        principal: "cognito-idp.amazonaws.com",
        sourceArn: pool.arn,
      },
      childOptions(ctx),
    );
  });
  const writer = lambda("AttachTriggers", {
    handler: "functions/attach-triggers.handler",
    description: "Writes the lifecycle triggers into the existing user pool",
    permissions: attachTriggersPermissions({ userPool: pool.arn }),
    memory: "256 MB",
    timeout: "60 seconds",
  });
  const args: aws.lambda.InvocationArgs = {
    functionName: writer.name,
    lifecycleScope: "CRUD",
    input: $jsonStringify({ userPoolId: pool.id, lambdaConfig: lambdaConfigOf(triggers) }),
  };
  // The pool may only call a trigger once it is allowed to: the permissions come first.
  const [name, finalArgs, opts] = transformed(ctx.transform.triggerAttachment, "AttachTriggers", args, {
    ...childOptions(ctx),
    dependsOn: permissions,
  } as $util.CustomResourceOptions);
  return new aws.lambda.Invocation(name, finalArgs, opts);
}
