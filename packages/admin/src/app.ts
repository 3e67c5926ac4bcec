import { adminAccessPermissions, adminRoutePermissions, permissionsFor } from "@cognito-lifecycle/core";
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { accountRoutes } from "./api/account.ts";
import { accountActionRoutes } from "./api/account-actions.ts";
import { auditRoutes } from "./api/audit.ts";
import { bulkRoutes } from "./api/bulk.ts";
import { type Deps, type Env, needs, notFound, onError } from "./api/context.ts";
import { exportRoutes } from "./api/export.ts";
import { importRoutes } from "./api/imports.ts";
import { invitationRoutes } from "./api/invitations.ts";
import { profileRoutes } from "./api/profile.ts";
import { schemas } from "./api/schemas.ts";
import { userRoutes } from "./api/users.ts";
import { webhookRoutes } from "./api/webhooks.ts";
import { bearerToken, ForbiddenError, MfaRequiredError } from "./jwt.ts";
import type { AdminRuntime } from "./runtime.ts";
import { AdminService } from "./service.ts";

function corsFor(get: () => AdminRuntime): MiddlewareHandler<Env> {
  return async (c, next) => {
    const origins = get().settings.allowedOrigins;
    if (!origins || origins.length === 0) return next();
    return cors({
      origin: origins,
      allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type"],
      maxAge: 600,
    })(c, next);
  };
}

/**
 * Every route: a verified token from a caller whose own record is active and whose roles, as
 * stored now (record ∪ Cognito groups, never the token's claim), grant at least one permission an
 * admin API route needs (`admin`, or e.g. `support` with `users:read`). Each route's own permission
 * is checked by `routeChecks`.
 */
function callerGate(deps: () => Deps): MiddlewareHandler<Env> {
  return async (c, next) => {
    const current = deps();
    const { rt, service } = current;
    c.set("deps", current);
    const caller = await rt.verifier.verify(bearerToken(c.req.header("authorization")));
    const record = await rt.store.get(caller.sub);
    if (record?.status !== "active") {
      throw new ForbiddenError(
        record ? `caller record is ${record.status}` : "caller has no record",
        "Your account is not active.",
      );
    }
    const roles = await service.currentRoles(record, "admin");
    const permissions = permissionsFor(rt.config, roles);
    if (!adminAccessPermissions.some((permission) => permissions.includes(permission))) {
      throw new ForbiddenError("no admin API permission");
    }
    // Everyone let in reads user data: TOTP on the account means Cognito asked for a code at this
    // session's sign-in (no remembered devices).
    if (rt.settings.requireAdminMfa && !(await rt.cognito.hasTotp(record.username))) {
      throw new MfaRequiredError();
    }
    c.set("caller", { ...caller, roles, permissions });
    await next();
  };
}

/** `GET /users/{sub}` (the table's, API Gateway's form) as Hono's `/users/:sub`. */
const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

/** The permission of every route from the one table, checked before the route's handler. */
function routeChecks(app: Hono<Env>): Hono<Env> {
  for (const [route, permission] of Object.entries(adminRoutePermissions)) {
    if (permission === null) continue;
    const [method, path] = route.split(" ") as [string, string];
    app.on(method, honoPath(path), needs(permission));
  }
  return app;
}

/**
 * The admin HTTP API (see docs/admin.md for every route): one small Hono app per resource,
 * mounted behind CORS, the caller check and each route's permission (`adminRoutePermissions`). The same app runs on Lambda behind API Gateway
 * (routes at the root) and on Node in the local stack (mounted under `/api`).
 * `runtime` may be a function, so a Lambda builds its clients on the first request.
 */
export function createAdminApp(runtime: AdminRuntime | (() => AdminRuntime)): Hono<Env> {
  const get = typeof runtime === "function" ? runtime : () => runtime;
  let cached: Omit<Deps, "rt"> | undefined;
  const deps = (): Deps => {
    const rt = get();
    cached ??= { service: new AdminService(rt), schemas: schemas(rt) };
    return { rt, ...cached };
  };
  return (
    routeChecks(new Hono<Env>().use("*", corsFor(get)).use("*", callerGate(deps)))
      .route("/", accountRoutes)
      .route("/users.csv", exportRoutes)
      // Before `/users`, whose `/:sub` routes would otherwise take "bulk" for a sub.
      .route("/users/bulk", bulkRoutes)
      .route("/users", invitationRoutes)
      .route("/users", accountActionRoutes)
      .route("/users", profileRoutes)
      .route("/users", userRoutes)
      .route("/audit", auditRoutes)
      .route("/webhooks", webhookRoutes)
      .route("/imports", importRoutes)
      .notFound(notFound)
      .onError(onError)
  );
}
