import { logger } from "@cognito-lifecycle/aws";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from "aws-lambda";
import { type AuthorizerConfig, findRoute } from "./authorizer-config.ts";
import {
  AuthError,
  bearerToken,
  ForbiddenError,
  requireAccess,
  type TokenVerifier,
  type VerifiedCaller,
} from "./jwt.ts";

export type AuthorizerEvent =
  | APIGatewayRequestAuthorizerEventV2
  | APIGatewayRequestAuthorizerEvent
  | APIGatewayTokenAuthorizerEvent;

/** What the backend receives as the authorizer context (every value a string, as REST APIs require). */
export interface CallerContext {
  [key: string]: string;
  sub: string;
  tokenUse: string;
  /** JSON arrays, e.g. `["admin","member"]`; `readListClaim` reads them. */
  roles: string;
  permissions: string;
  groups: string;
}

export type AuthorizerResult =
  | APIGatewaySimpleAuthorizerWithContextResult<CallerContext>
  | APIGatewayAuthorizerResult;

interface RequestView {
  kind: "http" | "rest";
  authorization: string | undefined;
  routeKey?: string;
  method: string;
  path: string;
  /** REST only: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`. */
  methodArn?: string;
}

function header(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** `arn:...:<api>/<stage>/<METHOD>/<path...>` -> its method and path. */
function splitMethodArn(methodArn: string): { method: string; path: string } {
  const [, , method, ...path] = methodArn.split("/");
  return { method: method ?? "", path: `/${path.join("/")}` };
}

function view(event: AuthorizerEvent): RequestView {
  if ("version" in event && event.version === "2.0") {
    const stage = event.requestContext.stage;
    const rawPath = event.requestContext.http.path;
    const path =
      stage && stage !== "$default" && rawPath.startsWith(`/${stage}/`)
        ? rawPath.slice(stage.length + 1)
        : rawPath;
    return {
      kind: "http",
      authorization: header(event.headers, "authorization") ?? event.identitySource?.[0],
      routeKey: event.routeKey,
      method: event.requestContext.http.method,
      path,
    };
  }
  if (event.type === "TOKEN") {
    return {
      kind: "rest",
      authorization: event.authorizationToken,
      methodArn: event.methodArn,
      ...splitMethodArn(event.methodArn),
    };
  }
  const rest = event as APIGatewayRequestAuthorizerEvent;
  return {
    kind: "rest",
    authorization: header(rest.headers, "authorization"),
    routeKey: `${rest.httpMethod} ${rest.resource}`,
    method: rest.httpMethod,
    path: rest.path,
    methodArn: rest.methodArn,
  };
}

function callerContext(caller: VerifiedCaller): CallerContext {
  return {
    sub: caller.sub,
    tokenUse: caller.tokenUse,
    roles: JSON.stringify(caller.roles),
    permissions: JSON.stringify(caller.permissions),
    groups: JSON.stringify(caller.groups),
    ...(caller.username ? { username: caller.username } : {}),
    ...(caller.email ? { email: caller.email } : {}),
  };
}

/** IAM reads `*` and `?` in a Resource as wildcards: such a methodArn cannot name one request. */
const iamWildcard = /[*?]/;

/**
 * The REST policy: one statement for exactly this request's methodArn. API Gateway may replay it
 * from its cache for the same identity; naming only this request means a replay can refuse another
 * route but never allow one (docs/decisions.md, "REST authorizer policies name one request").
 */
function policy(
  principalId: string,
  effect: "Allow" | "Deny",
  methodArn: string,
  context?: CallerContext,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: [methodArn] }],
    },
    ...(context ? { context } : {}),
  };
}

/** Whether the rules let `caller` make `request`, and why not. */
function decide(
  config: AuthorizerConfig,
  caller: VerifiedCaller,
  request: RequestView,
): { allowed: boolean; reason: string } {
  if (request.methodArn !== undefined && iamWildcard.test(request.methodArn))
    return { allowed: false, reason: "wildcard character in the request path" };
  const route = findRoute(config, request);
  if (!route)
    return config.unlistedRoutes === "authenticated"
      ? { allowed: true, reason: "" }
      : { allowed: false, reason: "route not configured" };
  try {
    requireAccess(caller, route);
    return { allowed: true, reason: "" };
  } catch (error) {
    return { allowed: false, reason: error instanceof ForbiddenError ? error.reason : "refused" };
  }
}

/**
 * An API Gateway Lambda authorizer over `verifier`, with each route's required roles and
 * permissions from `config`:
 * - HTTP APIs (payload 2.0, simple responses): `{ isAuthorized, context }`.
 * - REST APIs (TOKEN or REQUEST): an IAM policy that allows or denies exactly the request's
 *   methodArn, so a cached policy never widens access (turn result caching off, or key it on
 *   the method and path: docs/admin.md).
 * A missing or invalid token throws `Unauthorized` (API Gateway answers 401); a valid token
 * without the route's role or permission is refused (403). The verified claims reach the
 * backend as the authorizer context.
 */
export function createAuthorizer(verifier: TokenVerifier, config: AuthorizerConfig) {
  return async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
    const request = view(event);
    let caller: VerifiedCaller;
    try {
      caller = await verifier.verify(bearerToken(request.authorization));
      if (config.tokenUse !== "any" && caller.tokenUse !== config.tokenUse) {
        throw new AuthError(
          401,
          "unauthorized",
          "A valid bearer token is required.",
          `${caller.tokenUse} token not accepted`,
        );
      }
    } catch (error) {
      if (error instanceof AuthError) {
        logger.info("authorizer refused a token", {
          reason: error.reason,
          method: request.method,
          path: request.path,
        });
        throw new Error("Unauthorized");
      }
      throw error;
    }

    const { allowed, reason } = decide(config, caller, request);
    if (!allowed)
      logger.info("authorizer denied", {
        sub: caller.sub,
        reason,
        method: request.method,
        path: request.path,
      });

    const context = callerContext(caller);
    if (request.kind === "http") return { isAuthorized: allowed, context };
    const methodArn = request.methodArn as string;
    return allowed ? policy(caller.sub, "Allow", methodArn, context) : policy(caller.sub, "Deny", methodArn);
  };
}
