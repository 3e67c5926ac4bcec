import {
  type AuthorizerConfig,
  type AuthorizerEvent,
  checkAuthorizerConfig,
  createAuthorizer,
  createTokenVerifier,
  defineAuthorizerConfig,
  type TokenVerifier,
  tokenSettingsFromEnv,
} from "@cognito-lifecycle/admin";
import { logger } from "@cognito-lifecycle/aws";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import * as lifecycle from "../lifecycle.config.ts";

/**
 * An API Gateway Lambda authorizer for the app's own APIs: verifies the Cognito token and checks
 * the roles and permissions each route needs. Routes come from the `authorizer` export of
 * `lifecycle.config.ts` (see docs/admin.md); without it, every request is denied (the defaults list
 * no routes and deny unlisted ones), and the cold start logs why.
 * Works for HTTP APIs (payload 2.0, simple responses) and REST APIs (TOKEN or REQUEST, IAM policy).
 */
export function authorizerConfigFrom(module: object, config: LifecycleConfig): AuthorizerConfig {
  const input = "authorizer" in module ? module.authorizer : undefined;
  if (input === undefined) {
    logger.warn(
      "lifecycle.config.ts has no `authorizer` export: the API authorizer denies every request (docs/admin.md)",
    );
    return defineAuthorizerConfig();
  }
  return checkAuthorizerConfig(config, defineAuthorizerConfig(input as object));
}

export function createHandler(verifier: () => TokenVerifier, authorizer: AuthorizerConfig) {
  let run: ReturnType<typeof createAuthorizer> | undefined;
  return (event: AuthorizerEvent) => {
    run ??= createAuthorizer(verifier(), authorizer);
    return run(event);
  };
}

const config = lifecycle.default;
let verifier: TokenVerifier | undefined;

export const handler = createHandler(
  () => {
    // Built once per container, so the pool's JWKS is fetched once and cached across invocations.
    verifier ??= createTokenVerifier({
      ...tokenSettingsFromEnv(),
      claims: { roles: config.claims.roles, permissions: config.claims.permissions },
    });
    return verifier;
  },
  authorizerConfigFrom(lifecycle, config),
);
