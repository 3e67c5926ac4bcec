import {
  type AdminRuntime,
  createAdminRuntime,
  createSelfServiceApp,
  settingsFromEnv,
} from "@cognito-lifecycle/admin";
import { withEnvironment } from "@cognito-lifecycle/core";
import { handle } from "hono/aws-lambda";
import config from "../lifecycle.config.ts";

let runtime: AdminRuntime | undefined;

/**
 * The self-service data-rights API on Lambda (`DELETE /me`, `GET /me/export`), behind the admin
 * API's gateway with an authorizer for the app's clients. `LIFECYCLE_USER_POOL_CLIENT_ID` names
 * the app clients whose access tokens it accepts.
 */
export const app = createSelfServiceApp(() => {
  runtime ??= createAdminRuntime(settingsFromEnv(withEnvironment(config)));
  return runtime;
});

export const handler = handle(app);
