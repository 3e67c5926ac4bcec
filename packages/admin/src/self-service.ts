import { selfServiceRoutes } from "@cognito-lifecycle/core";
import { Hono, type MiddlewareHandler } from "hono";
import { type Env, notFound, onError } from "./api/context.ts";
import { schemas } from "./api/schemas.ts";
import { bearerToken, RecentSignInRequiredError, UnauthorizedError } from "./jwt.ts";
import type { AdminRuntime } from "./runtime.ts";
import { AdminService } from "./service.ts";

/**
 * A verified access token from one of the app's clients (the runtime's verifier), whose sign-in
 * (`auth_time`) is within `selfService.recentAuthSeconds`. No role is needed: the caller acts on
 * their own sub only. Access tokens only, since DeleteUser takes one.
 */
function recentlySignedIn(deps: () => Env["Variables"]["deps"]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const current = deps();
    c.set("deps", current);
    const caller = await current.rt.verifier.verify(bearerToken(c.req.header("authorization")));
    if (caller.tokenUse !== "access") throw new UnauthorizedError("self-service needs an access token");
    const maxAge = current.rt.config.selfService.recentAuthSeconds;
    const authTime = caller.claims.auth_time;
    const age = typeof authTime === "number" ? current.rt.now().getTime() / 1000 - authTime : undefined;
    if (age === undefined || age > maxAge) {
      throw new RecentSignInRequiredError(
        age === undefined ? "token has no auth_time" : `signed in ${Math.round(age)} s ago`,
        maxAge,
      );
    }
    c.set("caller", caller);
    await next();
  };
}

export function isSelfServiceRoute(method: string, path: string): boolean {
  return (selfServiceRoutes as readonly string[]).includes(`${method.toUpperCase()} ${path}`);
}

/** Cognito refused the token itself (revoked by a global sign-out, or its user is gone). */
function isRefusedToken(error: unknown): boolean {
  return (error as Error)?.name === "NotAuthorizedException";
}

/**
 * The app's self-service data-rights API (docs/data-rights.md): `DELETE /me` deletes the
 * caller's account, `GET /me/export` returns their data. Separate from the admin API (its own
 * function, clients and grants): it authenticates app users, who are not admins.
 */
export function createSelfServiceApp(runtime: AdminRuntime | (() => AdminRuntime)): Hono<Env> {
  const get = typeof runtime === "function" ? runtime : () => runtime;
  let service: AdminService | undefined;
  const deps = () => {
    const rt = get();
    service ??= new AdminService(rt);
    return { rt, service, schemas: schemas(rt) };
  };
  const auth = recentlySignedIn(deps);
  return new Hono<Env>()
    .delete("/me", auth, async (c) => {
      const { rt, service } = c.get("deps");
      const { sub } = c.get("caller");
      let cognitoUser = "deleted";
      try {
        await rt.cognito.deleteSelf(bearerToken(c.req.header("authorization")));
      } catch (error) {
        if (isRefusedToken(error)) throw new UnauthorizedError("Cognito refused the access token");
        if ((error as Error)?.name !== "UserNotFoundException") throw error;
        cognitoUser = "already gone";
      }
      const record = await service.markDeletedBySelf(sub, cognitoUser);
      return c.json({ sub, status: "deleted", recorded: record !== undefined });
    })
    .get("/me/export", auth, async (c) => {
      const { rt } = c.get("deps");
      const { sub } = c.get("caller");
      const exported = await rt.records.exportData(sub, { actor: sub, details: { via: "self-service" } });
      return c.json(exported, 200, {
        "content-disposition": 'attachment; filename="my-data.json"',
        "cache-control": "no-store",
      });
    })
    .notFound(notFound)
    .onError(onError);
}
