export type { CloudTrailEvent, ObservedCall } from "./cloudtrail.ts";
export { cloudTrailEventFor, observedCall } from "./cloudtrail.ts";
export { consoleDist, ensureConsoleBuilt } from "./console.ts";
export { localCredentials, localRegion } from "./credentials.ts";
export type { RunningService } from "./dynamodb.ts";
export { JavaMissingError, requireJava, startDynamoDbLocal } from "./dynamodb.ts";
export type { LocalEventBridge, ReceivedEvent } from "./eventbridge.ts";
export { eventBridgeEvents, startLocalEventBridge } from "./eventbridge.ts";
export type { AccessRequest, IamTarget, UnusedGrant } from "./iam.ts";
export {
  accessRequests,
  arnsFor,
  assertKnownActions,
  enforceIam,
  IamChecker,
  localAccount,
  stopEnforcingIam,
  unusedAcrossRun,
  withoutAction,
  writeUnusedGrants,
} from "./iam.ts";
export type { InvocationRecord } from "./invoke.ts";
export { HandlerRegistry, startInvokeServer, triggerHandlers } from "./invoke.ts";
export type { LocalKms } from "./kms.ts";
export { startLocalKms } from "./kms.ts";
export { localFunctions, scheduledFunctions, streamConsumerFunctions } from "./local-functions.ts";
export { completeMessage, SesMessageSender, smsInboxAddress, smsToInbox } from "./message-sender.ts";
export { assertPortFree, freePort, PortInUseError } from "./ports.ts";
export type { ScheduledFunction, ScheduledHandler, ScheduledRun } from "./scheduler.ts";
export { startScheduler } from "./scheduler.ts";
export type { StoredEmail } from "./ses.ts";
export { clearSesInbox, codeIn, emailText, inboxFor, sesInbox, startSesLocal } from "./ses.ts";
export { simulatorFeedbackEvents, startSesFeedback } from "./ses-feedback.ts";
export type { PublishedSms } from "./sns.ts";
export { startLocalSns } from "./sns.ts";
export type { RunningStack, StackInfo, StackOptions, StackPorts } from "./stack.ts";
export {
  clearStackData,
  defaultAdminEmail,
  defaultDataDir,
  defaultPorts,
  freeStackPorts,
  localIamTarget,
  readStackInfo,
  stackFile,
  startStack,
} from "./stack.ts";
export type { BatchReport, StreamConsumer, StreamHandler, StreamPollerOptions } from "./streams.ts";
export { defaultPollIntervalMs, lambdaRecord, retryPoint, startStreamPoller } from "./streams.ts";
export type { TokenEventVersion } from "./token-events.ts";
export { defaultTokenEventVersion, tokenEventVersions } from "./token-events.ts";
export type { InboxDelivery, InboxEndpointSettings, WebhookInbox } from "./webhook-inbox.ts";
export { startWebhookInbox } from "./webhook-inbox.ts";
