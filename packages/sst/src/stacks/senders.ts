import { type SenderName, senderManifest, senderNames } from "@cognito-lifecycle/core";
import {
  policyDocument,
  senderKeyPolicy,
  statementsNotOn,
  statementsOn,
} from "@cognito-lifecycle/core/least-privilege";
import type { DataArns } from "./auth.ts";
import { childOptions, type StackContext, transformed } from "./context.ts";
import type { LambdaFactory } from "./functions.ts";

/**
 * The custom email and SMS senders (config `delivery: "custom-sender"`): a KMS key Cognito
 * encrypts every code with, and one function per sender that decrypts and delivers it. The pool
 * needs the functions and the key first; what names the pool (the Decrypt grant bound to its
 * encryption context, the key policy) is added by `grantSenderKey` once it exists.
 */
export interface Senders {
  key: aws.kms.Key;
  functions: Record<SenderName, sst.aws.Function>;
}

/** Stands for the pool's id in the grants until the pool exists (as in stacks/auth.ts). */
const poolIdNotYetKnown = "<user pool id, granted once the pool exists>";

export function createSenders(
  ctx: StackContext,
  lambda: LambdaFactory,
  data: DataArns,
  email: sst.aws.Email,
): Senders | undefined {
  if (ctx.config.delivery !== "custom-sender") return undefined;
  const keyArgs: aws.kms.KeyArgs = {
    description: "Encrypts the codes Cognito hands the custom email and SMS senders",
    enableKeyRotation: true,
    deletionWindowInDays: 7,
  };
  const key = new aws.kms.Key(
    ...transformed(ctx.transform.senderKey, "SenderKey", keyArgs, childOptions(ctx)),
  );
  const functions = Object.fromEntries(
    senderNames.map((sender) => {
      const { functionName, file } = senderManifest[sender];
      const statements = senderManifest[sender].grants<$util.Input<string>>(ctx.config, {
        ...data,
        userPool: "<unused>",
        senderKey: key.arn,
        userPoolId: poolIdNotYetKnown,
      });
      const fn = lambda(functionName, {
        handler: `functions/${file}.handler`,
        description: `Cognito ${sender} trigger: decrypts the code and delivers it`,
        permissions: statementsNotOn(statements, key.arn),
        // Cognito invokes senders asynchronously: time for KMS, the send and its retries.
        timeout: "30 seconds",
        environment: {
          LIFECYCLE_SENDER_KEY_ARN: key.arn,
          ...(sender === "customEmailSender" ? { LIFECYCLE_SES_CONFIGURATION_SET: email.configSet } : {}),
        },
      });
      return [sender, fn];
    }),
  ) as Record<SenderName, sst.aws.Function>;
  return { key, functions };
}

/**
 * Once the pool exists: each sender's Decrypt (on the key, only with this pool in the encryption
 * context) in a role policy, and the key policy (`senderKeyPolicy`, stacks/least-privilege.ts).
 */
export function grantSenderKey(
  ctx: StackContext,
  senders: Senders,
  pool: { id: $util.Input<string>; arn: $util.Input<string> },
  data: DataArns,
): aws.kms.KeyPolicy {
  for (const sender of senderNames) {
    const { functionName } = senderManifest[sender];
    const statements = statementsOn(
      senderManifest[sender].grants<$util.Input<string>>(ctx.config, {
        ...data,
        userPool: pool.arn,
        senderKey: senders.key.arn,
        userPoolId: pool.id,
      }),
      senders.key.arn,
    );
    new aws.iam.RolePolicy(
      `${functionName}SenderKeyPolicy`,
      { role: senders.functions[sender].nodes.role.name, policy: $jsonStringify(policyDocument(statements)) },
      childOptions(ctx),
    );
  }
  const account = aws.getCallerIdentityOutput({}, { parent: ctx.parent }).accountId;
  const policy = senderKeyPolicy<$util.Input<string>>(
    ctx.config,
    { ...data, userPool: pool.arn, senderKey: senders.key.arn, userPoolId: pool.id },
    {
      account,
      accountRoot: $interpolate`arn:aws:iam::${account}:root`,
      senderRoles: senderNames.map((sender) => senders.functions[sender].nodes.role.arn),
    },
  );
  const args: aws.kms.KeyPolicyArgs = { keyId: senders.key.id, policy: $jsonStringify(policy) };
  return new aws.kms.KeyPolicy(
    ...transformed(ctx.transform.senderKeyPolicy, "SenderKeyPolicy", args, childOptions(ctx)),
  );
}
