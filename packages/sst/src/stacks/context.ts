import type { LifecycleConfig } from "@cognito-lifecycle/core";
import type { FunctionName } from "@cognito-lifecycle/core/least-privilege";
import type { DeploySettings } from "./settings.ts";

/**
 * A hook that changes a resource's arguments before it is created, the way SST components'
 * `transform` props work: an object is merged over the arguments, a function edits them (and
 * the resource options) in place.
 */
export type Transform<Args, Options = $util.CustomResourceOptions> =
  | Partial<Args>
  | ((args: Args, opts: Options, name: string) => void);

type ComponentTransform<Args> = Transform<Args, $util.ComponentResourceOptions>;

/** A `transform` hook for every resource the component creates, by what it is for. */
export interface LifecycleTransforms {
  /** The SST user pool component (its own `transform.userPool` reaches the pool resource). */
  userPool?: ComponentTransform<sst.aws.CognitoUserPoolArgs>;
  /** The app's SRP client (`WebClient`). */
  webClient?: ComponentTransform<sst.aws.CognitoUserPoolClientArgs>;
  /** The admin console's client (`ConsoleClient`). */
  consoleClient?: ComponentTransform<sst.aws.CognitoUserPoolClientArgs>;
  /** The hosted-UI client for federated sign-in (`FederatedClient`), when providers are set. */
  federatedClient?: ComponentTransform<sst.aws.CognitoUserPoolClientArgs>;
  /** Each group of the config (`UserGroup_<name>`). */
  group?: Transform<aws.cognito.UserGroupArgs>;
  /** The user table (`Users`). */
  table?: ComponentTransform<sst.aws.DynamoArgs>;
  /** The SES identity (`Email`). */
  email?: ComponentTransform<sst.aws.EmailArgs>;
  /** Every function; runs before the function's own hook in `functions`. */
  function?: ComponentTransform<sst.aws.FunctionArgs>;
  /** One function, by its name (`PreSignUp`, `AdminApiHandler`, `Reconcile`, ...). */
  functions?: Partial<Record<FunctionName, ComponentTransform<sst.aws.FunctionArgs>>>;
  /** The alarm topic (`Alarms`). */
  alarmTopic?: Transform<aws.sns.TopicArgs>;
  /** Every alarm: each function's Errors and Throttles, the events DLQ depth and iterator age. */
  alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
  /** The lifecycle events bus (`LifecycleEvents`). */
  eventBus?: Transform<aws.cloudwatch.EventBusArgs>;
  /** The table stream -> events function mapping (`EventsStreamMapping`). */
  eventSourceMapping?: Transform<aws.lambda.EventSourceMappingArgs>;
  /** The dead-letter queues: the events function's (`EventsDeadLetter`), the delete signal's (`CognitoApiEventsDeadLetters`), the email feedback's (`EmailFeedbackDeadLetters`). */
  deadLetterQueue?: Transform<aws.sqs.QueueArgs>;
  /** The rules on the default bus: the delete signal's (`CognitoApiEventsRule`), the email feedback's (`EmailFeedbackRule`). */
  eventRule?: Transform<aws.cloudwatch.EventRuleArgs>;
  /** Those rules' targets, with their retry policy (`CognitoApiEventsTarget`, `EmailFeedbackTarget`). */
  eventTarget?: Transform<aws.cloudwatch.EventTargetArgs>;
  /** The management-events trail, with `deleteSignal.createTrail` (`ManagementEventsTrail`). */
  trail?: Transform<aws.cloudtrail.TrailArgs>;
  /** The admin HTTP API (`AdminApi`). */
  api?: ComponentTransform<sst.aws.ApiGatewayV2Args>;
  /** The admin console (`AdminConsole`). */
  console?: ComponentTransform<sst.aws.StaticSiteArgs>;
  /** The console's CloudFront security headers (`AdminConsoleHeaders`). */
  consoleHeaders?: Transform<aws.cloudfront.ResponseHeadersPolicyArgs>;
  /** The daily reconcile and retention schedules (`ReconcileSchedule`, `RetentionSchedule`). */
  schedule?: ComponentTransform<sst.aws.CronArgs>;
  /** `delivery: "custom-sender"`: the KMS key Cognito encrypts codes with (`SenderKey`). */
  senderKey?: Transform<aws.kms.KeyArgs>;
  /** Its key policy (`SenderKeyPolicy`). */
  senderKeyPolicy?: Transform<aws.kms.KeyPolicyArgs>;
  /** Attach mode: the invocation that writes our triggers into the existing pool. */
  triggerAttachment?: Transform<aws.lambda.InvocationArgs>;
}

/** The existing pool attach mode wires the triggers onto. */
export interface ExistingUserPool {
  /** The pool's id, e.g. `us-east-1_AbCdEf123`. */
  id: $util.Input<string>;
  /** The pool's ARN: Cognito may invoke the triggers from this pool only. */
  arn: $util.Input<string>;
  /** The app's own clients, whose tokens the API authorizer accepts. */
  clientIds?: $util.Input<string>[];
}

/** What every stack function needs: where its resources belong and what they are built from. */
export interface StackContext {
  /** The CognitoLifecycle component: the parent of every resource. */
  parent: $util.ComponentResource;
  config: LifecycleConfig;
  /** The app's config module the handlers compile in (the component's `configPath`). */
  configPath: string;
  settings: DeploySettings;
  /** A stage holding real users: stateful resources are protected and retained. */
  production: boolean;
  transform: LifecycleTransforms;
}

/**
 * Options for a resource created directly by the component. The alias names its old parent,
 * the stack root (before the component, the stacks created everything at the top level), so
 * an existing deploy adopts its resources instead of replacing them. Children of SST
 * components inherit the alias from their parent.
 */
export function childOptions(ctx: StackContext): {
  parent: $util.Resource;
  aliases: $util.Input<$util.Alias>[];
} {
  return { parent: ctx.parent, aliases: [{ parent: $util.rootStackResource }] };
}

/** Applies a hook to a resource's name, arguments and options, as SST's `transform` does. */
export function transformed<Args extends object, Options extends object>(
  hook: Transform<Args, Options> | undefined,
  name: string,
  args: Args,
  opts: Options,
): [string, Args, Options] {
  if (typeof hook === "function") {
    hook(args, opts, name);
    return [name, args, opts];
  }
  return [name, hook ? { ...args, ...hook } : args, opts];
}
