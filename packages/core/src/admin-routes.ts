/**
 * Every route of the admin API and the permission it needs: the one table the API's checks
 * (packages/admin/src/app.ts) and the deployed API Gateway routes (packages/sst stacks/admin.ts)
 * are built from. `null`: any caller the API lets in (see `adminAccessPermissions`).
 */
export const adminRoutePermissions = {
  "GET /me": null,
  "GET /roles": null,
  "GET /users": "users:read",
  "POST /users": "users:write",
  "GET /users.csv": "users:read",
  "GET /users/count": "users:read",
  "POST /users/bulk": "users:write",
  "GET /users/bulk/{id}": "users:write",
  "POST /users/bulk/{id}/resume": "users:write",
  "POST /users/bulk/export": "users:read",
  "GET /users/{sub}": "users:read",
  "PATCH /users/{sub}/roles": "users:write",
  "PATCH /users/{sub}/profile": "users:write",
  "POST /users/{sub}/disable": "users:write",
  "POST /users/{sub}/enable": "users:write",
  "DELETE /users/{sub}": "users:write",
  "POST /users/{sub}/resync": "users:write",
  "GET /users/{sub}/export": "users:read",
  "POST /users/{sub}/erase": "users:write",
  "POST /users/{sub}/invite": "users:write",
  "POST /users/{sub}/sign-out": "users:write",
  "POST /users/{sub}/reset-password": "users:write",
  "POST /users/{sub}/verify-email": "users:write",
  "GET /users/{sub}/mfa": "users:read",
  "POST /users/{sub}/mfa/reset": "users:write",
  "GET /audit": "audit:read",
  "GET /webhooks": "webhooks:manage",
  "POST /webhooks": "webhooks:manage",
  "GET /webhooks/{id}": "webhooks:manage",
  "PATCH /webhooks/{id}": "webhooks:manage",
  "POST /webhooks/{id}/disable": "webhooks:manage",
  "POST /webhooks/{id}/enable": "webhooks:manage",
  "POST /webhooks/{id}/rotate": "webhooks:manage",
  "POST /webhooks/{id}/test": "webhooks:manage",
  "GET /webhooks/{id}/attempts": "webhooks:manage",
  "POST /webhooks/{id}/replay": "webhooks:manage",
  "POST /imports": "users:import",
  "GET /imports/{id}": "users:import",
} as const satisfies Record<string, string | null>;

export type AdminRoute = keyof typeof adminRoutePermissions;

/** Every admin API route, as API Gateway names it (`GET /users/{sub}`). */
export const adminRoutes = Object.keys(adminRoutePermissions) as AdminRoute[];

/**
 * The permissions that let a caller into the admin API at all: one of them is enough (a
 * `support` role with `users:read` reads; `/me` tells the console what else it may do).
 */
export const adminAccessPermissions: readonly string[] = [
  ...new Set(Object.values(adminRoutePermissions).filter((permission) => permission !== null)),
];
