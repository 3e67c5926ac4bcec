import { consoleContentSecurityPolicy } from "../packages/console/src/csp.ts";
import { consoleClient, federatedClient, issuer, region, resourceArns, userPool, webClient } from "./auth.ts";
import { settings } from "./config.ts";
import { alarmOn, functionArn, lambda } from "./functions.ts";
import { adminApiPermissions } from "./least-privilege.ts";
import { table } from "./storage.ts";

export const adminResources = resourceArns;

/**
 * The console's origin. Without a custom domain the CloudFront URL is only known after the
 * site is built, and the build needs the API's URL, so the API accepts any origin: it takes
 * bearer tokens, not cookies, so CORS is not what protects it.
 */
const consoleOrigin = settings.consoleDomain ? `https://${settings.consoleDomain}` : "*";

/** The admin API: one Hono app on one function, behind the routes below. */
export const adminApiHandler = lambda("AdminApiHandler", {
  handler: "functions/admin-api.handler",
  description: "Admin HTTP API",
  permissions: adminApiPermissions(adminResources),
  memory: "512 MB",
  // API Gateway HTTP APIs give an integration at most 30 s.
  timeout: "29 seconds",
  environment: {
    LIFECYCLE_TABLE_NAME: table.name,
    LIFECYCLE_USER_POOL_ID: userPool.id,
    LIFECYCLE_USER_POOL_CLIENT_ID: consoleClient.id,
    ...(settings.consoleDomain ? { LIFECYCLE_ADMIN_ORIGINS: consoleOrigin } : {}),
  },
});
alarmOn("AdminApiHandler", adminApiHandler);

export const api = new sst.aws.ApiGatewayV2("AdminApi", {
  cors: {
    allowOrigins: [consoleOrigin],
    allowHeaders: ["authorization", "content-type"],
    allowMethods: ["GET", "POST", "PATCH", "DELETE"],
    allowCredentials: false,
    maxAge: "1 hour",
  },
});

/**
 * API Gateway checks the token's signature, expiry, issuer (this pool) and audience (the
 * console's client) before the function runs. Roles are checked by the function: an authorizer
 * cannot see that an admin was disabled a minute ago.
 */
export const authorizer = api.addAuthorizer({
  name: "Cognito",
  jwt: { issuer, audiences: [consoleClient.id] },
});

/** Every route of the admin API contract (packages/admin's Hono app serves the same). */
export const adminRoutes = [
  "GET /me",
  "GET /roles",
  "GET /users",
  "POST /users",
  "GET /users.csv",
  "GET /users/count",
  "GET /users/{sub}",
  "PATCH /users/{sub}/roles",
  "POST /users/{sub}/disable",
  "POST /users/{sub}/enable",
  "DELETE /users/{sub}",
  "POST /users/{sub}/resync",
  "POST /users/{sub}/invite",
  "GET /audit",
] as const;

const handlerArn = functionArn(adminApiHandler);
for (const route of adminRoutes) {
  api.route(route, handlerArn, { auth: { jwt: { authorizer: authorizer.id } } });
}

/**
 * Security headers CloudFront adds to every console response. The built index.html carries the
 * same CSP as a meta element, which browsers ignore for frame-ancestors: only this header stops
 * the console from being framed. Cognito's API origin is the issuer's.
 */
export const consoleHeaders = new aws.cloudfront.ResponseHeadersPolicy("AdminConsoleHeaders", {
  comment: "Admin console security headers",
  securityHeadersConfig: {
    contentSecurityPolicy: {
      contentSecurityPolicy: $resolve({ cognito: issuer, apiUrl: api.url }).apply(({ cognito, apiUrl }) =>
        consoleContentSecurityPolicy({ connectSources: [cognito, apiUrl], header: true }),
      ),
      override: true,
    },
    frameOptions: { frameOption: "DENY", override: true },
    contentTypeOptions: { override: true },
    strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, override: true },
    referrerPolicy: { referrerPolicy: "no-referrer", override: true },
  },
});

/** The admin console, built with the deployment's pool, client and API baked in. */
export const site = new sst.aws.StaticSite("AdminConsole", {
  path: "packages/console",
  build: { command: "npm run build -w @cognito-lifecycle/console", output: "dist" },
  environment: {
    VITE_REGION: region,
    VITE_USER_POOL_ID: userPool.id,
    VITE_CLIENT_ID: consoleClient.id,
    VITE_API_BASE: api.url,
  },
  // SST writes a vite-env typing of these variables into the site; packages/console/src/env.d.ts
  // already declares them (optional, as config.json may supply them), so the generated file goes
  // to the git-ignored .sst/ where it cannot clash with it.
  vite: { types: "../../.sst/console-vite-env.d.ts" },
  ...(settings.consoleDomain ? { domain: settings.consoleDomain } : {}),
  transform: {
    cdn: (args) => {
      args.defaultCacheBehavior = $resolve({
        behavior: args.defaultCacheBehavior,
        responseHeadersPolicyId: consoleHeaders.id,
      }).apply(({ behavior, responseHeadersPolicyId }) => ({ ...behavior, responseHeadersPolicyId }));
    },
  },
});

/**
 * A Lambda authorizer for the app's own APIs (functions/api-authorizer.ts): attach it to an
 * API Gateway by ARN. It verifies tokens of the app's clients and applies the route rules of
 * lifecycle.config.ts's `authorizer` export; it needs no AWS permissions.
 */
export const apiAuthorizer = lambda("ApiAuthorizer", {
  handler: "functions/api-authorizer.handler",
  description: "Cognito token authorizer for the app's APIs",
  permissions: [],
  environment: {
    LIFECYCLE_USER_POOL_ID: userPool.id,
    LIFECYCLE_USER_POOL_CLIENT_ID: federatedClient
      ? $interpolate`${webClient.id},${federatedClient.id}`
      : webClient.id,
  },
});
alarmOn("ApiAuthorizer", apiAuthorizer);
