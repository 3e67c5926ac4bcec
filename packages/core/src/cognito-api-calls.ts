/**
 * The Cognito user-pool API calls the delete signal acts on, as CloudTrail delivers them to
 * EventBridge: one list for the rule's pattern (stacks/), the handler (admin) and the local
 * stand-in for CloudTrail (local).
 */

/** Calls that delete a user: the record is marked deleted once Cognito confirms the user is gone. */
export const deleteCalls = ["AdminDeleteUser", "DeleteUser"] as const;
/** Calls that change attributes or status: the record is re-synced from Cognito. */
export const resyncCalls = [
  "AdminUpdateUserAttributes",
  "UpdateUserAttributes",
  // An admin's profile edit that clears a field (ours, or any other IAM caller's).
  "AdminDeleteUserAttributes",
  "AdminDisableUser",
  "AdminEnableUser",
] as const;
export const signalledCalls = [...deleteCalls, ...resyncCalls] as const;
export type SignalledCall = (typeof signalledCalls)[number];
/** Calls authorised by the user's access token: CloudTrail records no IAM identity and no pool id. */
export const tokenAuthorisedCalls: readonly SignalledCall[] = ["DeleteUser", "UpdateUserAttributes"];

export const cloudTrailDetailType = "AWS API Call via CloudTrail";
export const cognitoEventSource = "aws.cognito-idp";
