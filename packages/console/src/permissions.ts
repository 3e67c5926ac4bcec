import type { Me } from "./types.ts";

/**
 * Whether the signed-in admin's current roles grant `permission`, as `GET /me` reports them. The
 * console hides what the API would refuse; the API still checks every request.
 */
export function allows(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}
