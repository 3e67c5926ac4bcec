import { defineConfig } from "@cognito-lifecycle/core";

/**
 * cognito-lifecycle's config for this app. Every key is optional; see the README's
 * configuration reference. An invalid value fails at load with its path.
 */
export default defineConfig({
  roles: {
    admin: { description: "Manages users", permissions: ["users:read", "users:write", "audit:read"] },
    member: { description: "A signed-up user", permissions: ["profile:read", "profile:write"] },
  },
  defaultRoles: ["member"],
  groups: {
    admins: { description: "Administrators", precedence: 0, roles: ["admin"] },
  },
  branding: {
    productName: "My app",
    appUrl: "http://localhost:5173",
    sender: { name: "My app", address: "no-reply@example.com" },
    supportEmail: "support@example.com",
  },
});
