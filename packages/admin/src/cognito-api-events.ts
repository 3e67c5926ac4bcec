import { logger } from "@cognito-lifecycle/aws";
import {
  cloudTrailDetailType,
  cognitoEventSource,
  deleteCalls,
  driftOf,
  type SignalledCall,
  signalledCalls,
  type UserRecord,
} from "@cognito-lifecycle/core";
import * as z from "zod/mini";
import type { AdminRuntime } from "./runtime.ts";

/**
 * The delete signal: Cognito user-pool API calls that CloudTrail delivers to EventBridge
 * (`detail-type: "AWS API Call via CloudTrail"`), turned into record changes through the record
 * operations, whose audit items carry the lifecycle events. CloudTrail hides usernames and
 * attribute values, so every call is only a hint: Cognito (AdminGetUser) is asked what is true.
 */

/** Actor of the changes the signal makes, in audit entries. */
export const signalActor = "system:cognito-api-events";

const looseRecord = z.nullish(z.record(z.string(), z.unknown()));

/** The EventBridge envelope and the CloudTrail record fields the handler reads; the rest passes. */
export const cognitoApiCallEvent = z.looseObject({
  "detail-type": z.literal(cloudTrailDetailType),
  source: z.literal(cognitoEventSource),
  id: z.string(),
  detail: z.looseObject({
    eventSource: z.literal("cognito-idp.amazonaws.com"),
    eventName: z.string().check(z.minLength(1)),
    eventID: z.string().check(z.minLength(1)),
    eventTime: z.string(),
    errorCode: z.nullish(z.string()),
    userIdentity: looseRecord,
    requestParameters: looseRecord,
    additionalEventData: looseRecord,
  }),
});
export type CognitoApiCallEvent = z.infer<typeof cognitoApiCallEvent>;

export type SignalOutcome =
  | "malformed"
  | "ignored-call"
  | "failed-call"
  | "other-pool"
  | "unidentified"
  | "no-record"
  | "already-deleted"
  | "still-in-cognito"
  | "marked-deleted"
  | "resynced"
  | "unchanged";

export interface SignalResult {
  outcome: SignalOutcome;
  eventName?: string;
  sub?: string;
  changes?: string[];
}

/** CloudTrail writes `HIDDEN_DUE_TO_SECURITY_REASONS` (seen in events) or `HIDDEN_FOR_SECURITY_REASONS` (the docs' wording). */
export function isHidden(value: unknown): boolean {
  return typeof value === "string" && value.startsWith("HIDDEN_");
}

function visibleString(value: unknown): string | undefined {
  if (Array.isArray(value)) return visibleString(value[0]);
  return typeof value === "string" && value.trim() !== "" && !isHidden(value) ? value : undefined;
}

const subShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where the user of a call is named. AWS documents that Cognito "records UserSub but not
 * UserName" for user-specific requests, not where: the sub is read from `additionalEventData`
 * (`sub`, `userSub`, `UserSub`) and `responseElements.userSub`; a username is used only when it
 * is not hidden.
 */
export function identifyUser(detail: CognitoApiCallEvent["detail"]): { sub?: string; username?: string } {
  const extra = detail.additionalEventData ?? {};
  const response = (detail as { responseElements?: Record<string, unknown> | null }).responseElements ?? {};
  const sub = [extra.sub, extra.userSub, extra.UserSub, response.userSub]
    .map(visibleString)
    .find((value) => value !== undefined && subShape.test(value));
  const request = detail.requestParameters ?? {};
  const username = visibleString(request.username) ?? visibleString(request.Username);
  return { ...(sub ? { sub } : {}), ...(username ? { username } : {}) };
}

/** The pool a call was made on: `requestParameters.userPoolId` (Admin*) or `additionalEventData.userPoolId`. */
export function poolOf(detail: CognitoApiCallEvent["detail"]): string | undefined {
  return (
    visibleString(detail.requestParameters?.userPoolId) ??
    visibleString(detail.additionalEventData?.userPoolId)
  );
}

/** The record a call names: by sub; else by a visible username (the sub, or an email alias). */
async function recordFor(
  runtime: AdminRuntime,
  user: { sub?: string; username?: string },
): Promise<UserRecord | undefined> {
  if (user.sub) return runtime.store.get(user.sub);
  if (!user.username) return undefined;
  if (subShape.test(user.username)) {
    const record = await runtime.store.get(user.username);
    if (record?.username === user.username) return record;
  }
  if (!user.username.includes("@")) return undefined;
  const matches = await runtime.directory.findByEmail(user.username);
  return matches.length === 1 ? matches[0] : undefined;
}

/** One metric line (CloudWatch embedded metric format) for a call whose user could not be found. */
function countUnidentified(eventName: string): void {
  logger.warn("cognito api event: user not identified; reconcile will catch the change", {
    eventName,
    UnidentifiedUser: 1,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: "CognitoLifecycle",
          Dimensions: [[]],
          Metrics: [{ Name: "UnidentifiedUser", Unit: "Count" }],
        },
      ],
    },
  });
}

/**
 * Applies one CloudTrail-delivered Cognito API call. A malformed event is logged and dropped (a
 * retry cannot fix it); a failing store or Cognito call throws, so the invocation is retried.
 * Idempotent: a redelivered event finds the record already deleted, or no drift.
 */
export async function applyCognitoApiCall(runtime: AdminRuntime, event: unknown): Promise<SignalResult> {
  const parsed = cognitoApiCallEvent.safeParse(event);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)");
    logger.error("cognito api event: malformed, dropped", { invalid: [...new Set(paths)].slice(0, 10) });
    return { outcome: "malformed" };
  }
  const { detail } = parsed.data;
  const eventName = detail.eventName;
  const base = { eventName };
  if (!(signalledCalls as readonly string[]).includes(eventName)) return { ...base, outcome: "ignored-call" };
  // A refused call changed nothing.
  if (detail.errorCode) return { ...base, outcome: "failed-call" };
  const pool = poolOf(detail);
  if (pool !== undefined && pool !== runtime.cognito.userPoolId) return { ...base, outcome: "other-pool" };

  const user = identifyUser(detail);
  if (!user.sub && !user.username) {
    countUnidentified(eventName);
    return { ...base, outcome: "unidentified" };
  }
  const record = await recordFor(runtime, user);
  if (!record) {
    // Not one of ours (yet): the post confirmation trigger or reconcile creates records.
    logger.info("cognito api event: no record for the user", {
      eventName,
      ...(user.sub ? { sub: user.sub } : {}),
    });
    return { ...base, outcome: "no-record", ...(user.sub ? { sub: user.sub } : {}) };
  }
  if (record.status === "deleted") return { ...base, outcome: "already-deleted", sub: record.sub };
  const result = await syncWithCognito(runtime, record, eventName as SignalledCall);
  logger.info("cognito api event applied", { ...result, sub: record.sub });
  return { ...base, ...result, sub: record.sub };
}

/**
 * Asks Cognito about the record's user. Gone, or its username now belongs to a new user (a new
 * sub): marked deleted. Still there: a delete call did not take (nothing to do), an attribute or
 * status call re-syncs the record as admin resync does.
 */
async function syncWithCognito(
  runtime: AdminRuntime,
  record: UserRecord,
  eventName: SignalledCall,
): Promise<{ outcome: SignalOutcome; changes?: string[] }> {
  const { cognito, records } = runtime;
  const user = await cognito.get(record.username);
  if (!user || user.sub !== record.sub) {
    await records.changeStatus(record, "deleted", {
      actor: signalActor,
      action: "user.deleted",
      reason: `${eventName} recorded by CloudTrail; confirmed gone from Cognito`,
      details: { signal: eventName },
    });
    return { outcome: "marked-deleted", changes: ["status"] };
  }
  if ((deleteCalls as readonly string[]).includes(eventName)) return { outcome: "still-in-cognito" };
  const drift = driftOf(record, user, await cognito.groupsOf(user.username), runtime.config);
  if (drift.changes.length === 0) return { outcome: "unchanged" };
  await records.applyDrift(record, drift, {
    actor: signalActor,
    action: "user.resynced",
    reason: `${eventName} recorded by CloudTrail`,
    details: { signal: eventName },
  });
  return { outcome: "resynced", changes: drift.changes };
}
