import { z } from "zod";
import { isReservedClaim } from "../claims/reserved.ts";
import { ConfigError } from "../errors.ts";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, "must be a domain name such as example.com");
const roleName = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be lower-case letters, digits, - or _");
const permission = z.string().regex(/^[A-Za-z0-9_.:*-]{1,64}$/, "must be a short token like users:read");
const claimName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_:.-]{0,63}$/, "must be a short claim name")
  .refine((name) => !isReservedClaim(name), "is a reserved claim Cognito does not let a trigger set");
const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a locale such as en or pt-BR");
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #1f6feb");
const email = z.string().trim().toLowerCase().pipe(z.email());
const claimValue = z.union([z.string(), z.array(z.string())]);

/** Every key, with the default that applies when it is left out. */
export const configSchema = z
  .strictObject({
    /** Shown in logs and used as the default product name. */
    appName: z.string().min(1).default("cognito-lifecycle"),
    /** Role -> the permissions it grants. Roles live in our table, never in user attributes. */
    roles: z
      .record(
        roleName,
        z.strictObject({ description: z.string().default(""), permissions: z.array(permission) }),
      )
      .default({
        admin: {
          description: "Manages users",
          permissions: ["users:read", "users:write", "audit:read", "profile:read", "profile:write"],
        },
        member: { description: "A signed-up user", permissions: ["profile:read", "profile:write"] },
      }),
    /** Roles every new user gets. */
    defaultRoles: z.array(roleName).default(["member"]),
    /** Cognito groups to create, and the roles membership of each grants at token time. */
    groups: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be a Cognito group name"),
        z.strictObject({
          description: z.string().default(""),
          precedence: z.number().int().min(0).optional(),
          roles: z.array(roleName).default([]),
        }),
      )
      .default({ admins: { description: "Administrators", roles: ["admin"] } }),
    /** Cognito group every confirmed sign-up is added to (must be one of `groups`). */
    defaultGroup: z.string().optional(),
    /**
     * Emails that get the `admin` role once verified. `LIFECYCLE_BOOTSTRAP_ADMINS` (comma
     * separated) adds more at load time, so deployments need not commit addresses.
     */
    bootstrapAdmins: z.array(email).default([]),
    signUp: z
      .strictObject({
        /** If not empty, only these domains (and their subdomains) may sign up. */
        allowedDomains: z.array(domain).default([]),
        /** Never allowed (with subdomains). */
        deniedDomains: z.array(domain).default([]),
        /** Refuse the built-in list of disposable email providers. */
        blockDisposable: z.boolean().default(true),
        extraDisposableDomains: z.array(domain).default([]),
        /** Only AdminCreateUser (invitations) may create users; self and federated sign-up are refused. */
        inviteOnly: z.boolean().default(false),
        /** Self sign-ups from these domains are confirmed without a code. */
        autoConfirmDomains: z.array(domain).default([]),
        /** With auto-confirm, also mark the email verified (never for bootstrap admins). */
        autoVerifyEmail: z.boolean().default(false),
        /** Federated (social, OIDC, SAML) sign-ups are allowed, subject to the domain rules. */
        allowFederated: z.boolean().default(true),
      })
      .default({
        allowedDomains: [],
        deniedDomains: [],
        blockDisposable: true,
        extraDisposableDomains: [],
        inviteOnly: false,
        autoConfirmDomains: [],
        autoVerifyEmail: false,
        allowFederated: true,
      }),
    /** Link a federated sign-up to the existing native user with the same verified email. */
    linking: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Provider names (as configured in the pool) whose emails we trust for linking. */
        trustedProviders: z.array(z.string().min(1)).default([]),
      })
      .default({ enabled: false, trustedProviders: [] }),
    /** Federated groups: an IdP attribute mapped to a pool attribute clients cannot write. */
    federation: z
      .strictObject({
        groupsAttribute: z
          .string()
          .regex(/^custom:[A-Za-z0-9_]{1,20}$/, "must be a custom attribute such as custom:idp_groups")
          .default("custom:idp_groups"),
        groupRoles: z.record(z.string().min(1), z.array(roleName)).default({}),
      })
      .default({ groupsAttribute: "custom:idp_groups", groupRoles: {} }),
    claims: z
      .strictObject({
        roles: claimName.default("roles"),
        permissions: claimName.default("permissions"),
        /** Upper bound for the claims we add, in bytes of JSON; over it permissions are dropped first. */
        maxBytes: z.number().int().min(256).max(8192).default(2048),
        /** Claims for machine-to-machine tokens (V3 client credentials), by app client id. */
        machine: z.record(z.string(), z.record(claimName, claimValue)).default({}),
      })
      .default({ roles: "roles", permissions: "permissions", maxBytes: 2048, machine: {} }),
    tokens: z
      .strictObject({
        /** If the store cannot be read: refuse the sign-in, or issue group-derived roles only. */
        onStoreUnavailable: z.enum(["deny", "groups-only"]).default("deny"),
        /** Create a missing record at token time (admin-created, federated, or lost post confirmation). */
        createMissingRecords: z.boolean().default(true),
      })
      .default({ onStoreUnavailable: "deny", createMissingRecords: true }),
    welcomeEmail: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    branding: z
      .strictObject({
        productName: z.string().min(1).max(60).default("Acme"),
        logoUrl: z.url({ protocol: /^https?$/ }).optional(),
        appUrl: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
        colours: z
          .strictObject({
            primary: hexColour.default("#1f6feb"),
            background: hexColour.default("#f6f8fa"),
            text: hexColour.default("#1f2328"),
          })
          .default({ primary: "#1f6feb", background: "#f6f8fa", text: "#1f2328" }),
        sender: z
          .strictObject({
            name: z.string().min(1).default("Acme"),
            address: email.default("no-reply@example.com"),
          })
          .default({ name: "Acme", address: "no-reply@example.com" }),
        supportEmail: email.default("support@example.com"),
        footerLines: z.array(z.string().max(200)).default([]),
      })
      .default({
        productName: "Acme",
        appUrl: "http://localhost:3000",
        colours: { primary: "#1f6feb", background: "#f6f8fa", text: "#1f2328" },
        sender: { name: "Acme", address: "no-reply@example.com" },
        supportEmail: "support@example.com",
        footerLines: [],
      }),
    locales: z
      .strictObject({
        default: locale.default("en"),
        supported: z.array(locale).min(1).default(["en", "de", "es"]),
      })
      .default({ default: "en", supported: ["en", "de", "es"] }),
    /** Time limits that keep every trigger inside Cognito's 5 s, retries included. */
    timeouts: z
      .strictObject({
        /** Whole-invocation budget; work still running then is abandoned cleanly. */
        budgetMs: z.number().int().min(500).max(4500).default(4000),
        /** One SDK request. */
        requestMs: z.number().int().min(100).max(4000).default(1000),
        /** SDK attempts per call (1 = no retry). */
        maxAttempts: z.number().int().min(1).max(5).default(2),
      })
      .default({ budgetMs: 4000, requestMs: 1000, maxAttempts: 2 }),
  })
  .superRefine((config, ctx) => {
    const known = Object.keys(config.roles);
    const checkRoles = (roles: string[], path: (string | number)[]) => {
      roles.forEach((role, index) => {
        if (!known.includes(role)) {
          ctx.addIssue({
            code: "custom",
            path: [...path, index],
            message: `unknown role "${role}" (known: ${known.join(", ")})`,
          });
        }
      });
    };
    checkRoles(config.defaultRoles, ["defaultRoles"]);
    for (const [group, definition] of Object.entries(config.groups)) {
      checkRoles(definition.roles, ["groups", group, "roles"]);
    }
    for (const [group, roles] of Object.entries(config.federation.groupRoles)) {
      checkRoles(roles, ["federation", "groupRoles", group]);
    }
    if (!known.includes("admin")) {
      ctx.addIssue({ code: "custom", path: ["roles"], message: 'must define the "admin" role' });
    }
    if (config.defaultGroup !== undefined && !(config.defaultGroup in config.groups)) {
      ctx.addIssue({ code: "custom", path: ["defaultGroup"], message: `is not one of groups` });
    }
    if (!config.locales.supported.includes(config.locales.default)) {
      ctx.addIssue({
        code: "custom",
        path: ["locales", "default"],
        message: "must be one of locales.supported",
      });
    }
    if (config.claims.roles === config.claims.permissions) {
      ctx.addIssue({
        code: "custom",
        path: ["claims", "permissions"],
        message: "must differ from claims.roles",
      });
    }
    if (config.timeouts.requestMs > config.timeouts.budgetMs) {
      ctx.addIssue({
        code: "custom",
        path: ["timeouts", "requestMs"],
        message: "must not exceed timeouts.budgetMs",
      });
    }
    if (config.linking.enabled && config.linking.trustedProviders.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["linking", "trustedProviders"],
        message: "must name at least one provider when linking is enabled",
      });
    }
  });

export type LifecycleConfigInput = z.input<typeof configSchema>;
export type LifecycleConfig = z.output<typeof configSchema>;

/** Validates a config; an invalid one throws a `ConfigError` naming each bad field. */
export function defineConfig(input: LifecycleConfigInput = {}): LifecycleConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
      return `  - ${path}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid cognito-lifecycle config:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/**
 * Applies the documented environment overrides to a validated config. Only keys that
 * are safe to vary per deployment can be overridden.
 */
export function withEnvironment(
  config: LifecycleConfig,
  env: Record<string, string | undefined> = process.env,
): LifecycleConfig {
  const extra = (env.LIFECYCLE_BOOTSTRAP_ADMINS ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);
  if (extra.length === 0) return config;
  const bootstrapAdmins = z.array(email).safeParse(extra);
  if (!bootstrapAdmins.success) {
    throw new ConfigError("Invalid LIFECYCLE_BOOTSTRAP_ADMINS: expected comma-separated email addresses");
  }
  return { ...config, bootstrapAdmins: [...new Set([...config.bootstrapAdmins, ...bootstrapAdmins.data])] };
}
