import {
  type AuthorizerConfig,
  type AuthorizerEvent,
  createAuthorizer,
  defineAuthorizerConfig,
  type TokenVerifier,
  type VerifiedCaller,
} from "@cognito-lifecycle/admin";
import type { APIGatewayAuthorizerResult } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * The REST authorizer's policies under API Gateway's result cache (finding 1 of issue #12). A
 * simulated gateway replays an identity's cached policy for its later requests and evaluates it
 * as IAM does: `*` matches any characters including `/`, `?` one character, an explicit Deny
 * wins, no match is a deny. The rules' own answer comes from an oracle written independently of
 * the authorizer's route matching.
 */

const arnBase = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod";

/** Overlapping routes: `{id}` next to deeper routes under it, a greedy proxy, an open route. */
const routeTable = [
  { route: "GET /users/{id}", roles: ["member", "admin"] },
  { route: "GET /users/{id}/secrets", roles: ["admin"] },
  { route: "GET /users/{id}/items", roles: ["member"] },
  { route: "DELETE /users/{id}", permissions: ["users:write"] },
  { route: "ANY /admin/{proxy+}", roles: ["admin"] },
  { route: "GET /public" },
  { route: "ANY /users/{id}/{proxy+}", roles: ["support"] },
];

// --- IAM evaluation -------------------------------------------------------------------------

function iamMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((char) =>
      char === "*" ? "[\\s\\S]*" : char === "?" ? "[\\s\\S]" : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`).test(value);
}

function iamAllows(policy: APIGatewayAuthorizerResult, methodArn: string): boolean {
  const statements = policy.policyDocument.Statement as { Effect: string; Resource: string | string[] }[];
  const matching = (effect: string) =>
    statements
      .filter((statement) => statement.Effect === effect)
      .some((statement) => [statement.Resource].flat().some((resource) => iamMatches(resource, methodArn)));
  return !matching("Deny") && matching("Allow");
}

// --- the rules, independently --------------------------------------------------------------

function routeRegex(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) =>
      /^\{.+\+\}$/.test(part)
        ? "[^/]+(?:/[^/]+)*"
        : /^\{.+\}$/.test(part)
          ? "[^/]+"
          : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}

interface Caller {
  roles: string[];
  permissions: string[];
}

function rulesAllow(config: AuthorizerConfig, caller: Caller, method: string, path: string): boolean {
  const route = config.routes.find((candidate) => {
    const [routeMethod, routePath] = candidate.route.split(" ") as [string, string];
    return (routeMethod === "ANY" || routeMethod === method) && routeRegex(routePath).test(path);
  });
  if (!route) return config.unlistedRoutes === "authenticated";
  const hasRole = route.roles.length === 0 || route.roles.some((role) => caller.roles.includes(role));
  return hasRole && route.permissions.every((permission) => caller.permissions.includes(permission));
}

// --- the gateway and its cache -------------------------------------------------------------

interface Request {
  method: string;
  path: string;
  /** Seconds since the previous request. */
  after: number;
}

/** What API Gateway keys its cache on: the token (TOKEN authorizers), or token, method and path. */
type CacheKey = "token" | "token+method+path";

/** Each caller's token is its index; the verifier is a stub, this suite is about policies. */
function stubVerifier(callers: Caller[]): TokenVerifier {
  return {
    issuer: "stub",
    async verify(token: string): Promise<VerifiedCaller> {
      const index = Number(token.replace("caller-", ""));
      const caller = callers[index] as Caller;
      return {
        sub: `sub-${index}`,
        tokenUse: "access",
        clientId: "client",
        roles: caller.roles,
        permissions: caller.permissions,
        groups: [],
        claims: {},
      };
    },
    authorize: () => Promise.reject(new Error("not used")),
  };
}

/** Sends `requests` per caller through a gateway with result caching; returns each decision. */
async function throughGateway(
  config: AuthorizerConfig,
  callers: Caller[],
  requests: (Request & { caller: number })[],
  ttlSeconds: number,
  key: CacheKey,
): Promise<boolean[]> {
  const authorize = createAuthorizer(stubVerifier(callers), config);
  const cache = new Map<string, { policy: APIGatewayAuthorizerResult; at: number }>();
  let now = 0;
  const decisions: boolean[] = [];
  for (const request of requests) {
    now += request.after;
    const token = `caller-${request.caller}`;
    const methodArn = `${arnBase}/${request.method}${request.path}`;
    const cacheKey = key === "token" ? token : `${token} ${request.method} ${request.path}`;
    let entry = cache.get(cacheKey);
    if (!entry || now - entry.at >= ttlSeconds) {
      const event: AuthorizerEvent = { type: "TOKEN", methodArn, authorizationToken: `Bearer ${token}` };
      entry = { policy: (await authorize(event)) as APIGatewayAuthorizerResult, at: now };
      if (ttlSeconds > 0) cache.set(cacheKey, entry);
    }
    decisions.push(iamAllows(entry.policy, methodArn));
  }
  return decisions;
}

// --- arbitraries ---------------------------------------------------------------------------

const configArbitrary = fc
  .record({
    routes: fc.shuffledSubarray(routeTable, { minLength: 1 }),
    unlistedRoutes: fc.constantFrom("deny" as const, "authenticated" as const),
  })
  .map((input) => defineAuthorizerConfig(input));

const callerArbitrary: fc.Arbitrary<Caller> = fc.record({
  roles: fc.subarray(["admin", "member", "support"]),
  permissions: fc.subarray(["users:read", "users:write"]),
});

const segment = fc.constantFrom("users", "42", "7", "secrets", "items", "admin", "public", "x", "*", "?");
const requestArbitrary = fc.record({
  caller: fc.nat({ max: 2 }),
  method: fc.constantFrom("GET", "DELETE", "POST", "PATCH"),
  path: fc
    .oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }),
      fc.array(segment, { minLength: 1, maxLength: 3 }).map((rest) => ["users", ...rest]),
    )
    .map((parts) => `/${parts.join("/")}`),
  after: fc.nat({ max: 120 }),
});

const scenario = fc.record({
  config: configArbitrary,
  callers: fc.array(callerArbitrary, { minLength: 3, maxLength: 3 }),
  requests: fc.array(requestArbitrary, { minLength: 1, maxLength: 25 }),
});

function expectedOf(config: AuthorizerConfig, callers: Caller[], requests: (Request & { caller: number })[]) {
  return requests.map(
    (request) =>
      // A path holding an IAM wildcard is always refused (it cannot be named exactly in a policy).
      !/[*?]/.test(request.path) &&
      rulesAllow(config, callers[request.caller] as Caller, request.method, request.path),
  );
}

describe("REST authorizer policies under API Gateway result caching", () => {
  it("a member's cached Allow for GET /users/42 does not open GET /users/42/secrets", async () => {
    const config = defineAuthorizerConfig({ routes: routeTable, unlistedRoutes: "deny" });
    const member = { roles: ["member"], permissions: [] };
    const requests = [
      { caller: 0, method: "GET", path: "/users/42", after: 0 },
      { caller: 0, method: "GET", path: "/users/42/secrets", after: 1 },
      { caller: 0, method: "GET", path: "/users/42/x/y", after: 1 },
    ];
    expect(await throughGateway(config, [member], requests, 300, "token")).toEqual([true, false, false]);
  });

  it("whatever the routes, callers and requests, a cached policy never allows what the rules deny", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.constantFrom(0, 300, 3600),
        async ({ config, callers, requests }, ttl) => {
          const expected = expectedOf(config, callers, requests);
          const actual = await throughGateway(config, callers, requests, ttl, "token");
          actual.forEach((allowed, index) => {
            if (allowed)
              expect({ request: requests[index], allowed }).toEqual({
                request: requests[index],
                allowed: expected[index],
              });
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("with caching off (the documented default) every decision is exactly the rules'", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ config, callers, requests }) => {
        expect(await throughGateway(config, callers, requests, 0, "token")).toEqual(
          expectedOf(config, callers, requests),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("with the cache keyed on token, method and path, every decision is exactly the rules'", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.constantFrom(300, 3600), async ({ config, callers, requests }, ttl) => {
        expect(await throughGateway(config, callers, requests, ttl, "token+method+path")).toEqual(
          expectedOf(config, callers, requests),
        );
      }),
      { numRuns: 200 },
    );
  });
});
