export type { AdminScaleResult, ListingResult, ReconcileResult, SearchResult } from "./admin-scale.ts";
export { measureListings, measureReconcile, seedUsers, syntheticUser } from "./admin-scale.ts";
export type { CognitoEvent, UserShape } from "./events.ts";
export {
  customMessageEvent,
  poolId,
  postAuthenticationEvent,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
} from "./events.ts";
export type { FakeCognitoUser } from "./fake-cognito.ts";
export { FakeCognito } from "./fake-cognito.ts";
export type { FaultKind, FaultRule } from "./faults.ts";
export { FaultInjector, FaultSockets, faultKinds } from "./faults.ts";
export type { InstrumentableClient, Service } from "./middleware.ts";
export { capacityUnits, countRoundTrips, RoundTripCounter } from "./middleware.ts";
export type { Handler, InstrumentedRuntime, LocalEndpoints, TriggerName } from "./runtime.ts";
export { instrumentedRuntime, triggerHandlers, triggerNames, useLocalEndpoints } from "./runtime.ts";
export type { Distribution } from "./stats.ts";
export { distribution, median, percentile, pool, ratio, round } from "./stats.ts";
