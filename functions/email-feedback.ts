import { type AdminRuntime, createAdminRuntime, settingsFromEnv } from "@cognito-lifecycle/admin";
import { applyEmailFeedback, type FeedbackOutcome, runAs } from "@cognito-lifecycle/aws";
import { withEnvironment } from "@cognito-lifecycle/core";
import config from "../lifecycle.config.ts";

/**
 * Bounces and complaints (stacks/email-feedback.ts): SES publishes the configuration set's
 * BOUNCE and COMPLAINT events to the default EventBridge bus, a rule sends them here, and each
 * affected user's record is marked `bouncing` or `complained` (a permanent bounce or a
 * complaint; transient bounces mark nothing). A store failure throws, so Lambda retries the
 * event and then hands it to the dead-letter queue.
 */
export function createHandler(runtime: () => AdminRuntime) {
  // Its SDK calls are this function's (the offline IAM check applies its role), also when the local stack calls it.
  return (event: unknown): Promise<FeedbackOutcome> =>
    runAs("EmailFeedback", () => {
      const { directory, records, store } = runtime();
      return applyEmailFeedback({ directory, records, store }, event);
    });
}

let runtime: AdminRuntime | undefined;

export const handler = createHandler(() => {
  runtime ??= createAdminRuntime(settingsFromEnv(withEnvironment(config)));
  return runtime;
});
