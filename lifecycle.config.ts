import { defaultRoleDefinitions, defineConfig } from "@cognito-lifecycle/core";

/**
 * The one place an app customises cognito-lifecycle. Every key is optional; see the README's
 * configuration reference for what each does. An invalid value fails at load with its path.
 */
export default defineConfig({
  roles: {
    // admin and member as the defaults define them; support is this app's own.
    admin: defaultRoleDefinitions.admin,
    support: { description: "Reads user records", permissions: ["users:read", "profile:read"] },
    member: defaultRoleDefinitions.member,
  },
  defaultRoles: ["member"],
  groups: {
    admins: { description: "Administrators", precedence: 0, roles: ["admin"] },
    support: { description: "Support staff", precedence: 10, roles: ["support"] },
  },
  signUp: {
    deniedDomains: ["example.invalid"],
    blockDisposable: true,
  },
  branding: {
    productName: "Acme",
    appUrl: "http://localhost:3000",
    sender: { name: "Acme", address: "no-reply@example.com" },
    supportEmail: "support@example.com",
    footerLines: ["Acme Inc., 1 Example Street, Springfield"],
  },
  locales: { default: "en", supported: ["en", "de", "es"] },
  // Admins edit it from the API, CLI and console; it is added to the pool (and stays there).
  admin: { editableAttributes: ["custom:department"] },
});
