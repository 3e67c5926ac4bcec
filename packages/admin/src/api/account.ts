import { Hono } from "hono";
import type { Env } from "./context.ts";

/**
 * `/me` (the caller as the API sees them, with the permissions their current roles grant, so the
 * console offers only what the API allows) and `/roles` (the configured roles, and the locales
 * and custom attributes a profile edit may set).
 */
export const accountRoutes = new Hono<Env>()
  .get("/me", (c) => {
    const caller = c.get("caller");
    return c.json({
      sub: caller.sub,
      ...(caller.email ? { email: caller.email } : {}),
      roles: caller.roles,
      permissions: caller.permissions,
    });
  })
  .get("/roles", (c) => {
    const { rt } = c.get("deps");
    return c.json({
      roles: Object.entries(rt.config.roles).map(([name, role]) => ({
        name,
        description: role.description,
        permissions: role.permissions,
      })),
      // What the console's profile form offers (PATCH /users/{sub}/profile checks the same).
      profileFields: {
        locales: rt.config.locales.supported,
        editableAttributes: rt.config.admin.editableAttributes,
      },
    });
  });
