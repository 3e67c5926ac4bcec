import {
  type AdminRuntime,
  createAdminApp,
  createAdminRuntime,
  settingsFromEnv,
} from "@cognito-lifecycle/admin";
import { withEnvironment } from "@cognito-lifecycle/core";
import { handle } from "hono/aws-lambda";
import config from "../lifecycle.config.ts";

let runtime: AdminRuntime | undefined;

/**
 * The admin HTTP API on Lambda, behind an API Gateway HTTP API (routes at the root). Clients and
 * the JWKS cache are built on the first request and kept for the life of the container.
 */
export const app = createAdminApp(() => {
  runtime ??= createAdminRuntime(settingsFromEnv(withEnvironment(config)));
  return runtime;
});

export const handler = handle(app);
