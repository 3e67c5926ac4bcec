import {
  type AdminRuntime,
  applyCognitoApiCall,
  createAdminRuntime,
  settingsFromEnv,
} from "@cognito-lifecycle/admin";
import { runAs } from "@cognito-lifecycle/aws";
import { withEnvironment } from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

/**
 * The delete signal (stacks/cognito-api-events.ts): an EventBridge rule sends the CloudTrail
 * records of AdminDeleteUser, DeleteUser, (Admin)UpdateUserAttributes and AdminDisable/EnableUser
 * here. A malformed event is logged and dropped; a store or Cognito failure throws, so Lambda
 * retries the event and then hands it to the dead-letter queue.
 */
export function createHandler(runtime: () => AdminRuntime) {
  // Its SDK calls are this function's (the offline IAM check applies its role), also when the local stack calls it.
  return (event: unknown) => runAs("CognitoApiEvents", () => applyCognitoApiCall(runtime(), event));
}

let runtime: AdminRuntime | undefined;

export const handler = createHandler(() => {
  runtime ??= createAdminRuntime(settingsFromEnv(withEnvironment(config)));
  return runtime;
});
