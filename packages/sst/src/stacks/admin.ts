import { adminRoutes, type FunctionResources } from "@cognito-lifecycle/core";
import { adminApiPermissions } from "@cognito-lifecycle/core/least-privilege";
import { consoleContentSecurityPolicy } from "../../../console/src/csp.ts";
import { childOptions, type StackContext, transformed } from "./context.ts";
import { functionArn, type LambdaFactory } from "./functions.ts";
import { consoleSource } from "./handlers.ts";

/** What the admin tools are built on: the pool, its console client, the table. */
export interface AdminInputs {
  region: $util.Input<string>;
  userPoolId: $util.Input<string>;
  consoleClientId: $util.Input<string>;
  issuer: $util.Input<string>;
  table: sst.aws.Dynamo;
  resources: FunctionResources<$util.Input<string>>;
}

/** Every route of the admin API contract, from the one route -> permission table in core. */
export { adminRoutes };

/**
 * The console's origin. Without a custom domain the CloudFront URL is only known after the
 * site is built, and the build needs the API's URL, so the API accepts any origin: it takes
 * bearer tokens, not cookies, so CORS is not what protects it.
 */
function consoleOriginOf(ctx: StackContext): string {
  return ctx.settings.consoleDomain ? `https://${ctx.settings.consoleDomain}` : "*";
}

/** The admin API: one Hono app on one function, behind the routes below. */
export function createAdminApi(ctx: StackContext, lambda: LambdaFactory, inputs: AdminInputs) {
  const consoleOrigin = consoleOriginOf(ctx);
  const handler = lambda("AdminApiHandler", {
    handler: "functions/admin-api.handler",
    description: "Admin HTTP API",
    permissions: adminApiPermissions(inputs.resources),
    memory: "512 MB",
    // API Gateway HTTP APIs give an integration at most 30 s.
    timeout: "29 seconds",
    environment: {
      LIFECYCLE_TABLE_NAME: inputs.table.name,
      LIFECYCLE_USER_POOL_ID: inputs.userPoolId,
      LIFECYCLE_USER_POOL_CLIENT_ID: inputs.consoleClientId,
      ...(ctx.settings.consoleDomain ? { LIFECYCLE_ADMIN_ORIGINS: consoleOrigin } : {}),
    },
  });
  const apiArgs: sst.aws.ApiGatewayV2Args = {
    cors: {
      allowOrigins: [consoleOrigin],
      allowHeaders: ["authorization", "content-type"],
      allowMethods: ["GET", "POST", "PATCH", "DELETE"],
      allowCredentials: false,
      maxAge: "1 hour",
    },
  };
  const api = new sst.aws.ApiGatewayV2(
    ...transformed(ctx.transform.api, "AdminApi", apiArgs, childOptions(ctx)),
  );
  /**
   * API Gateway checks the token's signature, expiry, issuer (this pool) and audience (the
   * console's client) before the function runs. Roles are checked by the function: an authorizer
   * cannot see that an admin was disabled a minute ago.
   */
  const authorizer = api.addAuthorizer({
    name: "Cognito",
    jwt: { issuer: inputs.issuer, audiences: [inputs.consoleClientId] },
  });
  const handlerArn = functionArn(handler);
  for (const route of adminRoutes) {
    api.route(route, handlerArn, { auth: { jwt: { authorizer: authorizer.id } } });
  }
  return { api, handler, authorizer };
}

/**
 * The admin console, built with the deployment's pool, client and API baked in, served with
 * security headers CloudFront adds to every response. The built index.html carries the same CSP
 * as a meta element, which browsers ignore for frame-ancestors: only the header stops the
 * console from being framed. Cognito's API origin is the issuer's.
 */
export function createConsole(
  ctx: StackContext,
  inputs: AdminInputs,
  api: sst.aws.ApiGatewayV2,
): { site: sst.aws.StaticSite; headers: aws.cloudfront.ResponseHeadersPolicy } {
  const headersArgs: aws.cloudfront.ResponseHeadersPolicyArgs = {
    comment: "Admin console security headers",
    securityHeadersConfig: {
      contentSecurityPolicy: {
        contentSecurityPolicy: $resolve({ cognito: inputs.issuer, apiUrl: api.url }).apply(
          ({ cognito, apiUrl }) =>
            consoleContentSecurityPolicy({ connectSources: [cognito, apiUrl], header: true }),
        ),
        override: true,
      },
      frameOptions: { frameOption: "DENY", override: true },
      contentTypeOptions: { override: true },
      strictTransportSecurity: {
        accessControlMaxAgeSec: 63_072_000,
        includeSubdomains: true,
        override: true,
      },
      referrerPolicy: { referrerPolicy: "no-referrer", override: true },
    },
  };
  const headers = new aws.cloudfront.ResponseHeadersPolicy(
    ...transformed(ctx.transform.consoleHeaders, "AdminConsoleHeaders", headersArgs, childOptions(ctx)),
  );
  const shipped = consoleSource($cli.paths.root);
  const siteArgs: sst.aws.StaticSiteArgs = {
    path: shipped?.path ?? "packages/console",
    build: { command: shipped?.command ?? "npm run build -w @cognito-lifecycle/console", output: "dist" },
    environment: {
      VITE_REGION: inputs.region,
      VITE_USER_POOL_ID: inputs.userPoolId,
      VITE_CLIENT_ID: inputs.consoleClientId,
      VITE_API_BASE: api.url,
      // The console's languages: lifecycle.config.ts's, like the emails'.
      VITE_LOCALES: ctx.config.locales.supported.join(","),
      VITE_DEFAULT_LOCALE: ctx.config.locales.default,
    },
    // SST writes a vite-env typing of these variables into the site; packages/console/src/env.d.ts
    // already declares them (optional, as config.json may supply them), so the generated file goes
    // to the git-ignored .sst/ where it cannot clash with it.
    ...(shipped ? {} : { vite: { types: "../../.sst/console-vite-env.d.ts" } }),
    ...(ctx.settings.consoleDomain ? { domain: ctx.settings.consoleDomain } : {}),
    transform: {
      cdn: (args) => {
        args.defaultCacheBehavior = $resolve({
          behavior: args.defaultCacheBehavior,
          responseHeadersPolicyId: headers.id,
        }).apply(({ behavior, responseHeadersPolicyId }) => ({ ...behavior, responseHeadersPolicyId }));
      },
    },
  };
  const site = new sst.aws.StaticSite(
    ...transformed(ctx.transform.console, "AdminConsole", siteArgs, childOptions(ctx)),
  );
  return { site, headers };
}

/**
 * A Lambda authorizer for the app's own APIs (functions/api-authorizer.ts): attach it to an
 * API Gateway by ARN. It verifies tokens of the app's clients and applies the route rules of
 * lifecycle.config.ts's `authorizer` export; it needs no AWS permissions.
 */
export function createApiAuthorizer(
  lambda: LambdaFactory,
  userPoolId: $util.Input<string>,
  clientIds: $util.Input<string>[],
): sst.aws.Function {
  return lambda("ApiAuthorizer", {
    handler: "functions/api-authorizer.handler",
    description: "Cognito token authorizer for the app's APIs",
    permissions: [],
    environment: {
      LIFECYCLE_USER_POOL_ID: userPoolId,
      LIFECYCLE_USER_POOL_CLIENT_ID: $resolve(clientIds).apply((ids) => ids.join(",")),
    },
  });
}
