import { logger } from "@cognito-lifecycle/aws";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from "aws-lambda";
import { type AuthorizerConfig, type AuthorizerRoute, findRoute } from "./authorizer-config.ts";
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
  /** REST only: `arn:aws:execute-api:<region>:<account>:<api>/<stage>`. */
  arnBase?: string;
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

/** `arn:...:<api>/<stage>/<METHOD>/<path...>` -> its base, method and path. */
function splitMethodArn(methodArn: string): { arnBase: string; method: string; path: string } {
  const [prefix, ...rest] = methodArn.split("/");
  const [stage, method, ...path] = rest;
  return { arnBase: `${prefix}/${stage}`, method: method ?? "", path: `/${path.join("/")}` };
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
    arnBase: splitMethodArn(rest.methodArn).arnBase,
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

function meets(caller: VerifiedCaller, route: AuthorizerRoute): boolean {
  try {
    requireAccess(caller, route);
    return true;
  } catch {
    return false;
  }
}

/** `GET /orders/{id}` -> `<arnBase>/GET/orders/*`, the policy resource for every request to it. */
function routeResource(arnBase: string, route: string): string {
  const [method, path] = route.split(" ") as [string, string];
  const resourcePath = path
    .split("/")
    .filter(Boolean)
    .map((part) => (/^\{.+\}$/.test(part) ? "*" : part))
    .join("/");
  return `${arnBase}/${method === "ANY" ? "*" : method}/${resourcePath}`;
}

function policy(
  principalId: string,
  effect: "Allow" | "Deny",
  resources: string[],
  context?: CallerContext,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: [...new Set(resources)] }],
    },
    ...(context ? { context } : {}),
  };
}

/**
 * An API Gateway Lambda authorizer over `verifier`, with each route's required roles and
 * permissions from `config`:
 * - HTTP APIs (payload 2.0, simple responses): `{ isAuthorized, context }`.
 * - REST APIs (TOKEN or REQUEST): an IAM policy. The Allow lists every configured route the
 *   caller may use, so a cached policy stays right across routes.
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

    const route = findRoute(config, request);
    let allowed: boolean;
    let reason = "";
    if (route) {
      try {
        requireAccess(caller, route);
        allowed = true;
      } catch (error) {
        allowed = false;
        reason = error instanceof ForbiddenError ? error.reason : "refused";
      }
    } else {
      allowed = config.unlistedRoutes === "authenticated";
      reason = "route not configured";
    }
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
    if (!allowed) return policy(caller.sub, "Deny", [methodArn]);
    const arnBase = request.arnBase as string;
    const permitted = config.routes
      .filter((candidate) => meets(caller, candidate))
      .map((candidate) => routeResource(arnBase, candidate.route));
    return policy(caller.sub, "Allow", [methodArn, ...permitted], context);
  };
}
