import { randomUUID } from "node:crypto";
import {
  cloudTrailDetailType,
  cognitoEventSource,
  type SignalledCall,
  signalledCalls,
  tokenAuthorisedCalls,
} from "@cognito-lifecycle/core";
import { localRegion } from "./credentials.ts";
import { localAccount } from "./iam.ts";

/**
 * The local stand-in for CloudTrail -> EventBridge: cognito-local has no CloudTrail, so the local
 * stack observes the calls the delete signal handles and, after each succeeds, produces the
 * event AWS would deliver (the shape of tests/contract/fixtures/cognito-api-events.ts), with the
 * values hidden as CloudTrail hides them, for functions/cognito-api-events.ts.
 */

const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

export interface ObservedCall {
  eventName: SignalledCall;
  /** The user's sub, looked up before the call (a deleted user can no longer be read). */
  sub?: string;
  /** Admin* calls name their pool; token-authorised calls (DeleteUser, UpdateUserAttributes) do not. */
  userPoolId?: string;
}

const tokenAuthorised = new Set<string>(tokenAuthorisedCalls);
const withAttributes = new Set<string>(["AdminUpdateUserAttributes", "UpdateUserAttributes"]);

/** The EventBridge event of one successful call, as CloudTrail records it. */
export function cloudTrailEventFor(call: ObservedCall, now: Date = new Date()) {
  const time = `${now.toISOString().slice(0, 19)}Z`;
  const byToken = tokenAuthorised.has(call.eventName);
  const requestParameters: Record<string, unknown> = byToken
    ? { accessToken: hidden }
    : { userPoolId: call.userPoolId, username: hidden };
  if (withAttributes.has(call.eventName)) requestParameters.userAttributes = hidden;
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": cloudTrailDetailType,
    source: cognitoEventSource,
    account: localAccount,
    time,
    region: localRegion,
    resources: [],
    detail: {
      eventVersion: "1.08",
      userIdentity: byToken
        ? { type: "Unknown", principalId: "Anonymous" }
        : {
            type: "IAMUser",
            principalId: "AIDALOCALSTACK000000",
            arn: `arn:aws:iam::${localAccount}:user/local`,
            accountId: localAccount,
            accessKeyId: "local",
            userName: "local",
          },
      eventTime: time,
      eventSource: "cognito-idp.amazonaws.com",
      eventName: call.eventName,
      awsRegion: localRegion,
      sourceIPAddress: "127.0.0.1",
      userAgent: "cognito-lifecycle-local",
      requestParameters,
      responseElements: null,
      ...(call.sub ? { additionalEventData: { sub: call.sub } } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: localAccount,
      eventCategory: "Management",
    },
  };
}

export type CloudTrailEvent = ReturnType<typeof cloudTrailEventFor>;

/** What the observer needs from cognito-local: the user (and its sub) behind a request. */
export interface UserLookup {
  subOf(userPoolId: string, username: string): Promise<string | undefined>;
}

function subInToken(accessToken: unknown): string | undefined {
  if (typeof accessToken !== "string") return undefined;
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload?.sub === "string" ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** The call `target` would be, as CloudTrail records it, read from the request before it runs. */
export async function observedCall(
  target: string,
  request: { UserPoolId?: string; Username?: string; AccessToken?: string },
  users: UserLookup,
): Promise<ObservedCall | undefined> {
  if (!(signalledCalls as readonly string[]).includes(target)) return undefined;
  const eventName = target as SignalledCall;
  if (tokenAuthorised.has(target)) {
    const sub = subInToken(request.AccessToken);
    return { eventName, ...(sub ? { sub } : {}) };
  }
  const { UserPoolId: userPoolId, Username: username } = request;
  const sub =
    userPoolId && username ? await users.subOf(userPoolId, username).catch(() => undefined) : undefined;
  return { eventName, ...(userPoolId ? { userPoolId } : {}), ...(sub ? { sub } : {}) };
}
