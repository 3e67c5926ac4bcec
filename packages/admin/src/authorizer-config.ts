import { ConfigError, type LifecycleConfig } from "@cognito-lifecycle/core";
import * as z from "zod/mini";

const methods = ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** `GET /orders/{id}`, `ANY /admin/{proxy+}`: API Gateway's own route-key syntax. */
const routeKey = z
  .string()
  .check(
    z.trim(),
    z.regex(
      new RegExp(`^(${methods.join("|")}) /[^\\s]*$`),
      'must be a method and a path, such as "GET /orders/{id}" or "ANY /admin/{proxy+}"',
    ),
  );
const names = z.array(z.string().check(z.minLength(1)));

/**
 * The API Gateway Lambda authorizer's settings (`functions/api-authorizer.ts`). The app's
 * `lifecycle.config.ts` may export them as `authorizer` (`export const authorizer =
 * defineAuthorizerConfig({...})`). Every default refuses: access tokens only, unlisted routes
 * denied, so without that export (no routes) every request is denied.
 */
export const authorizerConfigSchema = z.strictObject({
  /** Which Cognito tokens clients send: `access` (the default, what OAuth clients send), `id`, or either. */
  tokenUse: z._default(z.enum(["id", "access", "any"]), "access"),
  /**
   * What each route requires. The first route whose method and path match applies; a caller
   * needs one of its `roles` (if any are listed) and every one of its `permissions`.
   */
  routes: z._default(
    z.array(
      z.strictObject({
        route: routeKey,
        roles: z._default(names, []),
        permissions: z._default(names, []),
      }),
    ),
    [],
  ),
  /** A route not listed: `deny` (the default) refuses it, `authenticated` lets any valid token through. */
  unlistedRoutes: z._default(z.enum(["deny", "authenticated"]), "deny"),
});

export type AuthorizerConfigInput = z.input<typeof authorizerConfigSchema>;
export type AuthorizerConfig = z.output<typeof authorizerConfigSchema>;
export type AuthorizerRoute = AuthorizerConfig["routes"][number];

/** Validates authorizer settings; a bad value throws a `ConfigError` naming each bad field. */
export function defineAuthorizerConfig(input: AuthorizerConfigInput = {}): AuthorizerConfig {
  const parsed = authorizerConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  - authorizer.${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid authorizer config:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Fails fast when a route names a role or permission the lifecycle config does not define. */
export function checkAuthorizerConfig(
  config: LifecycleConfig,
  authorizer: AuthorizerConfig,
): AuthorizerConfig {
  const roles = Object.keys(config.roles);
  const permissions = new Set(Object.values(config.roles).flatMap((role) => role.permissions));
  const problems = authorizer.routes.flatMap((route, index) => [
    ...route.roles
      .filter((role) => !roles.includes(role))
      .map(
        (role) => `  - authorizer.routes.${index}.roles: unknown role "${role}" (known: ${roles.join(", ")})`,
      ),
    ...route.permissions
      .filter((permission) => !permissions.has(permission))
      .map((permission) => `  - authorizer.routes.${index}.permissions: no role grants "${permission}"`),
  ]);
  if (problems.length > 0) throw new ConfigError(`Invalid authorizer config:\n${problems.join("\n")}`);
  return authorizer;
}

function segments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Whether `path` fits a route path: `{name}` is one segment, `{name+}` one or more. */
export function pathMatches(pattern: string, path: string): boolean {
  const want = segments(pattern);
  const have = segments(path);
  for (let index = 0; index < want.length; index++) {
    const part = want[index] as string;
    if (/^\{[^}]+\+\}$/.test(part)) return index === want.length - 1 && have.length > index;
    const actual = have[index];
    if (actual === undefined) return false;
    if (/^\{[^}]+\}$/.test(part)) continue;
    if (part !== actual) return false;
  }
  return want.length === have.length;
}

/** The first configured route for this request (by exact route key first, then by method and path). */
export function findRoute(
  config: AuthorizerConfig,
  request: { routeKey?: string; method: string; path: string },
): AuthorizerRoute | undefined {
  const exact = request.routeKey
    ? config.routes.find((route) => route.route === request.routeKey)
    : undefined;
  if (exact) return exact;
  const method = request.method.toUpperCase();
  return config.routes.find((route) => {
    const [routeMethod, routePath] = route.route.split(" ") as [string, string];
    return (routeMethod === "ANY" || routeMethod === method) && pathMatches(routePath, request.path);
  });
}
