import type {
  LambdaConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";

/**
 * Attach mode (stacks/attach.ts): our triggers written into a pool another stack owns.
 * UpdateUserPool resets every setting it is not given to its default, so the update carries the
 * pool's current settings, read by DescribeUserPool just before, and changes only LambdaConfig.
 */

/** The settings UpdateUserPool takes under the same name DescribeUserPool returns them. */
const carriedSettings = [
  "Policies",
  "DeletionProtection",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
] as const satisfies readonly (keyof UserPoolType & keyof UpdateUserPoolCommandInput)[];

/** The legacy message fields Cognito refuses next to the template that superseded them. */
const supersededByTemplate = [
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
];

/**
 * `create`/`update` replace the pool's LambdaConfig with ours (every trigger the pool had is
 * dropped: one owner for the pool's triggers); `delete` removes only the triggers that point at
 * our functions and keeps any other.
 */
export type AttachAction = "create" | "update" | "delete";

/** The UpdateUserPool request that applies `action` to the described pool. */
export function triggerUpdateFor(
  pool: UserPoolType,
  ours: LambdaConfigType,
  action: AttachAction,
): UpdateUserPoolCommandInput {
  if (!pool.Id) throw new Error("DescribeUserPool returned a pool without an Id");
  const request: UpdateUserPoolCommandInput = { UserPoolId: pool.Id, PoolName: pool.Name };
  for (const key of carriedSettings) {
    if (pool[key] === undefined) continue;
    if (pool.VerificationMessageTemplate && supersededByTemplate.includes(key)) continue;
    Object.assign(request, { [key]: pool[key] });
  }
  request.LambdaConfig = action === "delete" ? withoutOurs(pool.LambdaConfig ?? {}, ours) : ours;
  return request;
}

/** The pool's triggers minus those that invoke one of our functions. */
function withoutOurs(current: LambdaConfigType, ours: LambdaConfigType): LambdaConfigType {
  const ourArns = new Set(Object.values(ours).flatMap(lambdaArnsIn));
  return Object.fromEntries(
    Object.entries(current).filter(([, value]) => !lambdaArnsIn(value).some((arn) => ourArns.has(arn))),
  ) as LambdaConfigType;
}

/** A trigger value is an ARN or, for versioned and sender triggers, an object holding one. */
function lambdaArnsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object" && "LambdaArn" in value && typeof value.LambdaArn === "string")
    return [value.LambdaArn];
  return [];
}
