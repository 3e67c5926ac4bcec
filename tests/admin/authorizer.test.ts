import {
  type AuthorizerEvent,
  checkAuthorizerConfig,
  createAuthorizer,
  createTokenVerifier,
  defineAuthorizerConfig,
  findRoute,
  pathMatches,
} from "@cognito-lifecycle/admin";
import { logger } from "@cognito-lifecycle/aws";
import { ConfigError, readListClaim } from "@cognito-lifecycle/core";
import type { APIGatewayAuthorizerResult } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authorizerConfigFrom, createHandler } from "../../functions/api-authorizer.ts";
import config from "../../lifecycle.config.ts";
import { type JwksServer, startJwksServer, tamperedJwt } from "./tokens.ts";

const clientId = "app-client";
const arnBase = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod";

const routes = defineAuthorizerConfig({
  tokenUse: "id",
  routes: [
    { route: "GET /orders/{id}", roles: ["member", "admin"] },
    { route: "DELETE /orders/{id}", permissions: ["users:write"] },
    { route: "ANY /admin/{proxy+}", roles: ["admin"] },
  ],
  unlistedRoutes: "deny",
});

function httpEvent(
  method: string,
  path: string,
  token: string | undefined,
  routeKey = `${method} ${path}`,
): AuthorizerEvent {
  return {
    version: "2.0",
    type: "REQUEST",
    routeArn: `${arnBase}/${method}${path}`,
    identitySource: token ? [`Bearer ${token}`] : [],
    routeKey,
    rawPath: path,
    rawQueryString: "",
    cookies: [],
    headers: token ? { authorization: `Bearer ${token}` } : {},
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "test" },
      requestId: "r1",
      routeKey,
      stage: "$default",
      time: "01/Jan/2025:00:00:00 +0000",
      timeEpoch: 0,
    },
  };
}

function tokenEvent(method: string, path: string, token: string): AuthorizerEvent {
  return { type: "TOKEN", methodArn: `${arnBase}/${method}${path}`, authorizationToken: `Bearer ${token}` };
}

function requestEvent(method: string, resource: string, path: string, token: string): AuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn: `${arnBase}/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers: { Authorization: `Bearer ${token}` },
    multiValueHeaders: null,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as never,
  };
}

describe("API Gateway Lambda authorizer", () => {
  let jwks: JwksServer;
  let authorize: ReturnType<typeof createAuthorizer>;
  let member: string;
  let admin: string;

  beforeAll(async () => {
    jwks = await startJwksServer(clientId);
    authorize = createAuthorizer(
      createTokenVerifier({ userPoolId: jwks.userPoolId, clientId, issuer: jwks.issuer }),
      checkAuthorizerConfig(config, routes),
    );
    member = jwks.token({ sub: "member-sub", roles: '["member"]', permissions: '["profile:read"]' });
    admin = jwks.token({ sub: "admin-sub", roles: ["admin"], permissions: ["users:read", "users:write"] });
  });
  afterAll(() => jwks.stop());

  describe("HTTP API (simple responses)", () => {
    it("lets a caller with one of the route's roles through and passes the claims as context", async () => {
      const result = await authorize(httpEvent("GET", "/orders/42", member, "GET /orders/{id}"));
      expect(result).toMatchObject({ isAuthorized: true, context: { sub: "member-sub", tokenUse: "id" } });
      const context = (result as { context: Record<string, string> }).context;
      expect(readListClaim(context.roles)).toEqual(["member"]);
      expect(readListClaim(context.permissions)).toEqual(["profile:read"]);
    });

    it("refuses a valid token without the route's role or permission (403)", async () => {
      await expect(
        authorize(httpEvent("DELETE", "/orders/42", member, "DELETE /orders/{id}")),
      ).resolves.toMatchObject({
        isAuthorized: false,
      });
      await expect(
        authorize(httpEvent("POST", "/admin/users/1", member, "ANY /admin/{proxy+}")),
      ).resolves.toMatchObject({
        isAuthorized: false,
      });
      await expect(
        authorize(httpEvent("POST", "/admin/users/1", admin, "ANY /admin/{proxy+}")),
      ).resolves.toMatchObject({
        isAuthorized: true,
      });
    });

    it("denies routes the config does not list when unlistedRoutes is deny", async () => {
      await expect(authorize(httpEvent("GET", "/reports", admin))).resolves.toMatchObject({
        isAuthorized: false,
      });
    });

    it("answers Unauthorized (401) for a missing, tampered or expired token", async () => {
      await expect(authorize(httpEvent("GET", "/orders/1", undefined))).rejects.toThrow("Unauthorized");
      await expect(
        authorize(httpEvent("GET", "/orders/1", tamperedJwt(member, { roles: '["admin"]' }))),
      ).rejects.toThrow("Unauthorized");
      const expired = jwks.token({ exp: Math.floor(Date.now() / 1000) - 5 });
      await expect(authorize(httpEvent("GET", "/orders/1", expired))).rejects.toThrow("Unauthorized");
    });
  });

  describe("REST API (IAM policy)", () => {
    it("TOKEN authorizer: allows exactly the request's methodArn, nothing a cache could replay wider", async () => {
      const result = (await authorize(tokenEvent("GET", "/orders/7", admin))) as APIGatewayAuthorizerResult;
      expect(result.principalId).toBe("admin-sub");
      expect(result.policyDocument.Statement).toEqual([
        { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${arnBase}/GET/orders/7`] },
      ]);
      expect(result.context).toMatchObject({ sub: "admin-sub" });
    });

    it("REQUEST authorizer: denies a member on an admin route with an explicit Deny (403)", async () => {
      const result = (await authorize(
        requestEvent("PATCH", "/admin/{proxy+}", "/admin/users/9", member),
      )) as APIGatewayAuthorizerResult;
      expect(result.policyDocument.Statement).toEqual([
        { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${arnBase}/PATCH/admin/users/9`] },
      ]);
      expect(result.context).toBeUndefined();
    });

    it("a member's Allow names only the request, never a `{param}` wildcard", async () => {
      const result = (await authorize(
        requestEvent("GET", "/orders/{id}", "/orders/3", member),
      )) as APIGatewayAuthorizerResult;
      const [statement] = result.policyDocument.Statement as { Resource: string[] }[];
      expect(statement?.Resource).toEqual([`${arnBase}/GET/orders/3`]);
    });

    it("denies a request whose path holds an IAM wildcard, which a cached Allow would widen", async () => {
      const result = (await authorize(tokenEvent("GET", "/orders/*", member))) as APIGatewayAuthorizerResult;
      expect(result.policyDocument.Statement).toMatchObject([{ Effect: "Deny" }]);
      const single = (await authorize(tokenEvent("GET", "/orders/?", member))) as APIGatewayAuthorizerResult;
      expect(single.policyDocument.Statement).toMatchObject([{ Effect: "Deny" }]);
    });
  });

  describe("route config", () => {
    it("matches paths with {param} and {proxy+}", () => {
      expect(pathMatches("/orders/{id}", "/orders/42")).toBe(true);
      expect(pathMatches("/orders/{id}", "/orders/42/items")).toBe(false);
      expect(pathMatches("/orders/{id}", "/orders")).toBe(false);
      expect(pathMatches("/admin/{proxy+}", "/admin/a/b/c")).toBe(true);
      expect(pathMatches("/admin/{proxy+}", "/admin")).toBe(false);
      expect(findRoute(routes, { method: "DELETE", path: "/orders/1" })?.route).toBe("DELETE /orders/{id}");
      expect(findRoute(routes, { method: "GET", path: "/nowhere" })).toBeUndefined();
    });

    it("refuses malformed routes and roles the lifecycle config does not define", () => {
      expect(() => defineAuthorizerConfig({ routes: [{ route: "/orders" }] })).toThrow(
        /authorizer\.routes\.0\.route/,
      );
      expect(() =>
        checkAuthorizerConfig(
          config,
          defineAuthorizerConfig({ routes: [{ route: "GET /x", roles: ["wizard"] }] }),
        ),
      ).toThrow(ConfigError);
      expect(() =>
        checkAuthorizerConfig(
          config,
          defineAuthorizerConfig({ routes: [{ route: "GET /x", permissions: ["fly"] }] }),
        ),
      ).toThrow(/no role grants "fly"/);
    });

    it("functions/api-authorizer reads the `authorizer` export of the config module, and defaults without it", async () => {
      expect(authorizerConfigFrom({ default: config }, config)).toEqual({
        tokenUse: "access",
        routes: [],
        unlistedRoutes: "deny",
      });
      const module = {
        default: config,
        authorizer: { tokenUse: "access", routes: [{ route: "GET /me", roles: ["member"] }] },
      };
      expect(authorizerConfigFrom(module, config).routes).toEqual([
        { route: "GET /me", roles: ["member"], permissions: [] },
      ]);
      const handler = createHandler(
        () => createTokenVerifier({ userPoolId: jwks.userPoolId, clientId, issuer: jwks.issuer }),
        authorizerConfigFrom(module, config),
      );
      // An ID token is refused where the config asks for access tokens.
      await expect(handler(httpEvent("GET", "/me", member))).rejects.toThrow("Unauthorized");
      const access = jwks.token({
        token_use: "access",
        aud: undefined,
        client_id: clientId,
        roles: ["member"],
      });
      await expect(handler(httpEvent("GET", "/me", access))).resolves.toMatchObject({ isAuthorized: true });
    });

    it("fails closed by default: no `authorizer` export denies every request, and says so at cold start", async () => {
      const warn = vi.spyOn(logger, "warn");
      const handler = createHandler(
        () => createTokenVerifier({ userPoolId: jwks.userPoolId, clientId, issuer: jwks.issuer }),
        authorizerConfigFrom({ default: config }, config),
      );
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("no `authorizer` export"));
      const access = jwks.token({
        token_use: "access",
        aud: undefined,
        client_id: clientId,
        roles: ["admin"],
      });
      await expect(handler(httpEvent("GET", "/anything", access))).resolves.toMatchObject({
        isAuthorized: false,
      });
      const rest = (await handler(tokenEvent("GET", "/anything", access))) as APIGatewayAuthorizerResult;
      expect(rest.policyDocument.Statement).toMatchObject([{ Effect: "Deny" }]);
      // ID tokens are not accepted unless the config asks for them.
      await expect(handler(httpEvent("GET", "/anything", admin))).rejects.toThrow("Unauthorized");
    });
  });
});
