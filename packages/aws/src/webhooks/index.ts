export type { DeliveryOptions, DeliveryOutcome, DeliveryRequest } from "./deliver.ts";
export { deliverWebhook, deliveryDefaults } from "./deliver.ts";
export type { DispatcherDependencies, DispatchReport } from "./dispatcher.ts";
export { deliveryOf, dispatchDueDeliveries, fanOutEvent } from "./dispatcher.ts";
export { DynamoWebhookStore, webhookLogDays } from "./dynamo-store.ts";
export type { NewEndpointInput, WebhookEndpoint, WebhookSecret } from "./endpoints.ts";
export {
  activeSecrets,
  defaultRotationOverlapMs,
  enableWebhookEndpoint,
  newWebhookEndpoint,
  newWebhookSecret,
  rotateWebhookSecret,
  wantsEvent,
} from "./endpoints.ts";
export { deliveryOrder, dueDeliveries } from "./planner.ts";
export type { ReplayReport } from "./replay.ts";
export { auditEventsBetween, replayEvents, replayLimit } from "./replay.ts";
export type { AttemptVerdict, DisablePolicy } from "./schedule.ts";
export {
  afterAttempt,
  defaultDisablePolicy,
  nextRetryDelay,
  parseRetryAfter,
  retryDelaysMs,
  retryJitter,
  verdictOf,
} from "./schedule.ts";
export type { SignedHeaders } from "./signing.ts";
export { signWebhook } from "./signing.ts";
export type { WebhookAttempt, WebhookDelivery, WebhookStore } from "./store.ts";
export type { ResolvedAddress, Resolver, UrlPolicy } from "./url-guard.ts";
export {
  checkResolvedAddresses,
  checkWebhookUrl,
  refusedAddress,
  systemResolver,
  validateWebhookUrl,
  WebhookUrlError,
  webhookUrlPolicy,
} from "./url-guard.ts";
