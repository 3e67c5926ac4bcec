import * as z from "zod/mini";
import { isReservedClaim } from "../claims/reserved.ts";
import { ConfigError } from "../errors.ts";
import { editableAttributeProblem } from "../profile.ts";
import "../zod-messages.ts";

/** Retention defaults; the store falls back to `auditDays` when a caller passes no config. */
export const retentionDefaults = { auditDays: 400, deletedProfileDays: 30 } as const;

/**
 * The roles an app gets when its config names none; a config that adds roles spreads these in
 * (`roles: { admin: defaultRoleDefinitions.admin, support: ... }`) rather than copying their permissions.
 */
export const defaultRoleDefinitions: Readonly<
  Record<"admin" | "member", { description: string; permissions: string[] }>
> = {
  admin: {
    description: "Manages users",
    permissions: [
      "users:read",
      "users:write",
      "audit:read",
      "profile:read",
      "profile:write",
      "webhooks:manage",
      "users:import",
    ],
  },
  member: { description: "A signed-up user", permissions: ["profile:read", "profile:write"] },
};

// zod/mini keeps the handlers' bundles small (classic zod adds ~440 KB to every trigger).
const lowerTrimmed = (pattern: RegExp, message: string) =>
  z.string().check(z.trim(), z.toLowerCase(), z.regex(pattern, message));
const emailAddress = () => lowerTrimmed(/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/, "must be an email address");

/**
 * Every key, with the default that applies when it is left out. Built on first use, not at import:
 * the schema is a few hundred zod nodes (about 20 ms of a cold start), and a deployed handler whose
 * config was validated when its stack was built never needs it (`defineConfig`). One declarative
 * schema, long because it lists every key with its rule and default.
 */
function buildConfigSchema() {
  const domain = lowerTrimmed(
    /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/,
    "must be a domain name such as example.com",
  );
  const roleName = z
    .string()
    .check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be lower-case letters, digits, - or _"));
  const permission = z
    .string()
    .check(z.regex(/^[A-Za-z0-9_.:*-]{1,64}$/, "must be a short token like users:read"));
  const claimName = z.string().check(
    z.regex(/^[A-Za-z][A-Za-z0-9_:.-]{0,63}$/, "must be a short claim name"),
    z.refine((name) => !isReservedClaim(name), "is a reserved claim Cognito does not let a trigger set"),
  );
  const locale = z.string().check(z.regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a locale such as en or pt-BR"));
  const hexColour = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #1f6feb"));
  const email = emailAddress();
  const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
  const claimValue = z.union([z.string(), z.array(z.string())]);
  const text = (max?: number) => (max === undefined ? z.string() : z.string().check(z.maxLength(max)));
  const nonEmpty = (max?: number) =>
    z.string().check(z.minLength(1), ...(max === undefined ? [] : [z.maxLength(max)]));
  const integer = (min: number, max?: number) =>
    z.int().check(z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));
  /**
   * Each default is written once, on its value; a section defaults to `{}` parsed through its own
   * schema (`z.prefault`), so its leaves' defaults apply and are not repeated as a literal.
   */
  const d = z._default;

  return z
    .strictObject({
      /** Shown in logs and used as the default product name. */
      appName: d(nonEmpty(), "cognito-lifecycle"),
      /** Role -> the permissions it grants. Roles live in our table, never in user attributes. */
      roles: d(
        z.record(roleName, z.strictObject({ description: d(text(), ""), permissions: z.array(permission) })),
        () => structuredClone(defaultRoleDefinitions),
      ),
      /** Roles every new user gets. */
      defaultRoles: d(z.array(roleName), ["member"]),
      /** Cognito groups to create, and the roles membership of each grants at token time. */
      groups: d(
        z.record(
          z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be a Cognito group name")),
          z.strictObject({
            description: d(text(), ""),
            precedence: z.optional(integer(0)),
            roles: d(z.array(roleName), []),
          }),
        ),
        { admins: { description: "Administrators", roles: ["admin"] } },
      ),
      /** Cognito group every confirmed sign-up is added to (must be one of `groups`). */
      defaultGroup: z.optional(z.string()),
      /**
       * Emails that get the `admin` role once verified. `LIFECYCLE_BOOTSTRAP_ADMINS` (comma
       * separated) adds more at load time, so deployments need not commit addresses.
       */
      bootstrapAdmins: d(z.array(email), []),
      signUp: z.prefault(
        z.strictObject({
          /** If not empty, only these domains (and their subdomains) may sign up. */
          allowedDomains: d(z.array(domain), []),
          /** Never allowed (with subdomains). */
          deniedDomains: d(z.array(domain), []),
          /** Refuse the built-in list of disposable email providers. */
          blockDisposable: d(z.boolean(), true),
          extraDisposableDomains: d(z.array(domain), []),
          /** Only AdminCreateUser (invitations) may create users; self and federated sign-up are refused. */
          inviteOnly: d(z.boolean(), false),
          /** Self sign-ups from these domains are confirmed without a code. */
          autoConfirmDomains: d(z.array(domain), []),
          /** With auto-confirm, also mark the email verified (never for bootstrap admins). */
          autoVerifyEmail: d(z.boolean(), false),
          /** Federated (social, OIDC, SAML) sign-ups are allowed, subject to the domain rules. */
          allowFederated: d(z.boolean(), true),
          /**
           * Providers whose emails pass `allowedDomains` without `email_verified`; every other
           * federated sign-up needs a verified email to pass the domain rules.
           */
          federatedDomainTrust: d(z.array(nonEmpty()), []),
        }),
        {},
      ),
      /** Link a federated sign-up to the existing native user with the same verified email. */
      linking: z.prefault(
        z.strictObject({
          enabled: d(z.boolean(), false),
          /** Provider names (as configured in the pool) whose emails we trust for linking. */
          trustedProviders: d(z.array(nonEmpty()), []),
        }),
        {},
      ),
      /** Federated groups: an IdP attribute mapped to a pool attribute clients cannot write. */
      federation: z.prefault(
        z.strictObject({
          groupsAttribute: d(
            z
              .string()
              .check(
                z.regex(
                  /^custom:[A-Za-z0-9_]{1,20}$/,
                  "must be a custom attribute such as custom:idp_groups",
                ),
              ),
            "custom:idp_groups",
          ),
          groupRoles: d(z.record(nonEmpty(), z.array(roleName)), {}),
          /** IdP group roles count for this long after the IdP sign-in that delivered the groups. */
          groupsMaxAgeHours: d(integer(1, 720), 24),
        }),
        {},
      ),
      claims: z.prefault(
        z.strictObject({
          roles: d(claimName, "roles"),
          permissions: d(claimName, "permissions"),
          /** Upper bound for the claims we add, in bytes of JSON; over it permissions are dropped first. */
          maxBytes: d(integer(256, 8192), 2048),
          /** Claims for machine-to-machine tokens (V3 client credentials), by app client id. */
          machine: d(z.record(z.string(), z.record(claimName, claimValue)), {}),
        }),
        {},
      ),
      tokens: z.prefault(
        z.strictObject({
          /** If the store cannot be read: refuse the sign-in, or issue group-derived roles only. */
          onStoreUnavailable: d(z.enum(["deny", "groups-only"]), "deny"),
          /** Create a missing record at token time (admin-created, federated, or lost post confirmation). */
          createMissingRecords: d(z.boolean(), true),
        }),
        {},
      ),
      welcomeEmail: z.prefault(z.strictObject({ enabled: d(z.boolean(), true) }), {}),
      /**
       * Who delivers Cognito's code messages. `custom-message`: Cognito sends through our SES
       * identity what the custom message trigger renders (at most 20,000 characters).
       * `custom-sender`: Cognito hands the custom email/SMS sender triggers the code encrypted
       * with a KMS key of ours, and we send (no length limit; costs a KMS key and its calls).
       */
      delivery: d(
        z.enum(["custom-message", "custom-sender"], {
          error: 'must be "custom-message" (Cognito sends) or "custom-sender" (our sender functions send)',
        }),
        "custom-message",
      ),
      branding: z.prefault(
        z.strictObject({
          productName: d(nonEmpty(60), "Acme"),
          logoUrl: z.optional(httpUrl),
          appUrl: d(httpUrl, "http://localhost:3000"),
          colours: z.prefault(
            z.strictObject({
              primary: d(hexColour, "#1f6feb"),
              background: d(hexColour, "#f6f8fa"),
              text: d(hexColour, "#1f2328"),
            }),
            {},
          ),
          sender: z.prefault(
            z.strictObject({ name: d(nonEmpty(), "Acme"), address: d(email, "no-reply@example.com") }),
            {},
          ),
          supportEmail: d(email, "support@example.com"),
          footerLines: d(z.array(text(200)), []),
        }),
        {},
      ),
      locales: z.prefault(
        z.strictObject({
          default: d(locale, "en"),
          supported: d(z.array(locale).check(z.minLength(1)), ["en", "de", "es"]),
        }),
        {},
      ),
      /**
       * How long personal data is kept. Audit items expire through the table's TTL `auditDays`
       * after they were written; soft-deleted profiles are scrubbed of personal fields
       * `deletedProfileDays` after their deletion by the retention job (functions/retention.ts).
       */
      retention: z.prefault(
        z.strictObject({
          auditDays: d(integer(1, 3650), retentionDefaults.auditDays),
          deletedProfileDays: d(integer(0, 3650), retentionDefaults.deletedProfileDays),
        }),
        {},
      ),
      /** Lifecycle events (docs/events.md). */
      events: z.prefault(
        z.strictObject({
          /**
           * Emit `user.signed_in` on every sign-in (post authentication): a read and a transaction
           * with its audit item instead of one update, and an audit item per sign-in. Off by default.
           */
          signedIn: d(z.boolean(), false),
        }),
        {},
      ),
      /** The app's self-service data-rights endpoints (`DELETE /me`, `GET /me/export`). */
      selfService: z.prefault(
        z.strictObject({
          /**
           * How recently the user must have signed in (the token's `auth_time`) to delete their
           * account: a token left in an unlocked browser must not be enough.
           */
          recentAuthSeconds: d(integer(30, 86_400), 300),
        }),
        {},
      ),
      /**
       * Lazy migration from another system (docs/migration.md): the user migration trigger is
       * deployed and attached only while `enabled`. Turn it off to end the migration window.
       */
      migration: z.prefault(
        z.strictObject({
          enabled: d(z.boolean(), false),
          /** The old system's role or group names -> our roles; unmapped names give no role. */
          roleMap: d(z.record(nonEmpty(), z.array(roleName)), {}),
          /** Verification attempts per user (successful or not) in `windowSeconds`. */
          maxAttempts: d(integer(1, 100), 5),
          windowSeconds: d(integer(60, 86_400), 900),
          /**
           * The old system's verify-password API, asked when a user was not imported. The request is
           * signed with the secret in the function's `LIFECYCLE_MIGRATION_SECRET` environment variable.
           */
          endpoint: z.optional(
            z.strictObject({
              url: httpUrl,
              /** Capped further by what is left of the trigger's budget. */
              timeoutMs: d(integer(100, 4000), 2000),
            }),
          ),
        }),
        {},
      ),
      /** The admin tools (API, CLI, console). */
      admin: z.prefault(
        z.strictObject({
          /**
           * Custom attributes admins may edit besides `name` and `locale`, e.g. `["custom:department"]`.
           * Each becomes a mutable String attribute of the pool (Cognito never deletes a custom
           * attribute, so one deployed stays in the pool). Never a role source, never an attribute
           * Cognito verifies.
           */
          editableAttributes: d(z.array(z.string()).check(z.maxLength(25)), []),
        }),
        {},
      ),
      /** Time limits that keep every trigger inside Cognito's 5 s, retries included. */
      timeouts: z.prefault(
        z.strictObject({
          /** Whole-invocation budget; work still running then is abandoned cleanly. */
          budgetMs: d(integer(500, 4500), 4000),
          /** One SDK request. */
          requestMs: d(integer(100, 4000), 1000),
          /** SDK attempts per call (1 = no retry). */
          maxAttempts: d(integer(1, 5), 2),
        }),
        {},
      ),
    })
    .check(
      z.superRefine((config, ctx) => {
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
        for (const [name, roles] of Object.entries(config.migration.roleMap)) {
          checkRoles(roles, ["migration", "roleMap", name]);
        }
        if (!known.includes("admin")) {
          ctx.addIssue({ code: "custom", path: ["roles"], message: 'must define the "admin" role' });
        }
        if (config.defaultGroup !== undefined && !(config.defaultGroup in config.groups)) {
          ctx.addIssue({ code: "custom", path: ["defaultGroup"], message: "is not one of groups" });
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
        if (
          config.linking.enabled &&
          config.signUp.autoVerifyEmail &&
          config.signUp.autoConfirmDomains.length > 0
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["signUp", "autoVerifyEmail"],
            message:
              "must be false when linking.enabled is true: an auto-verified address proves no mailbox, so anyone could register a victim's address and receive their federated sign-ins",
          });
        }
        config.admin.editableAttributes.forEach((name, index) => {
          const problem =
            editableAttributeProblem(config, name) ??
            (config.admin.editableAttributes.indexOf(name) < index ? "is listed twice" : undefined);
          if (problem)
            ctx.addIssue({ code: "custom", path: ["admin", "editableAttributes", index], message: problem });
        });
        if (config.linking.enabled && config.linking.trustedProviders.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["linking", "trustedProviders"],
            message: "must name at least one provider when linking is enabled",
          });
        }
      }),
    );
}

let schema: ReturnType<typeof buildConfigSchema> | undefined;

/** The config schema (built once, on first use). */
export function configSchema(): ReturnType<typeof buildConfigSchema> {
  schema ??= buildConfigSchema();
  return schema;
}

export type LifecycleConfigInput = z.input<ReturnType<typeof buildConfigSchema>>;
export type LifecycleConfig = z.output<ReturnType<typeof buildConfigSchema>>;

/**
 * The config a deployed handler's bundle carries, validated when its stack was built (esbuild
 * `define`, set by the stacks from `compiledConfigDefine`), with the JSON of the input it came from.
 */
declare const __COGNITO_LIFECYCLE_CONFIG__: { input: string; config: LifecycleConfig } | undefined;

/** The bundle's validated config; outside a deployed bundle the name is not defined at all. */
function compiledConfig(): { input: string; config: LifecycleConfig } | undefined {
  try {
    return __COGNITO_LIFECYCLE_CONFIG__; // one reference: esbuild inlines the object at each
  } catch {
    return undefined;
  }
}

/** Each config `defineConfig` returned, with the input it was validated from. */
const inputs = new WeakMap<LifecycleConfig, LifecycleConfigInput>();

/**
 * Validates a config; an invalid one throws a `ConfigError` naming each bad field. In a deployed
 * handler whose bundle carries this same input already validated, that result is returned
 * without building the schema: the input is compared as JSON, so an edited or different config
 * is always validated here.
 */
export function defineConfig(input: LifecycleConfigInput = {}): LifecycleConfig {
  const compiled = compiledConfig();
  if (compiled !== undefined && compiled.input === JSON.stringify(input)) return compiled.config;
  const config = validated(input);
  inputs.set(config, input);
  return config;
}

function validated(input: LifecycleConfigInput): LifecycleConfig {
  const parsed = configSchema().safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
      return `  - ${path}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid cognito-lifecycle config:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The name handlers' bundles define the validated config under (`defineConfig`). */
export const compiledConfigName = "__COGNITO_LIFECYCLE_CONFIG__";

/**
 * The esbuild `define` a deployment's handlers are bundled with, so their cold start does not
 * validate `config` again: its input (as `defineConfig` received it) and that input validated
 * once more here. Empty when `config` did not come from `defineConfig`, or when input or result
 * would not survive JSON unchanged; those handlers validate at cold start as before.
 */
export function compiledConfigDefine(config: LifecycleConfig): Record<string, string> {
  const input = inputs.get(config);
  if (input === undefined) return {};
  // Every function of a deployment asks for the same config: validate and serialise it once.
  let define = defines.get(config);
  if (define === undefined) {
    const result = validated(input);
    define =
      isPlainJson(input) && isPlainJson(result)
        ? { [compiledConfigName]: JSON.stringify({ input: JSON.stringify(input), config: result }) }
        : {};
    defines.set(config, define);
  }
  return { ...define };
}

const defines = new WeakMap<LifecycleConfig, Record<string, string>>();

/** Whether JSON carries `value` unchanged: no undefined, functions, class instances or NaN. */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(isPlainJson);
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
  const bootstrapAdmins = z.array(emailAddress()).safeParse(extra);
  if (!bootstrapAdmins.success) {
    throw new ConfigError("Invalid LIFECYCLE_BOOTSTRAP_ADMINS: expected comma-separated email addresses");
  }
  return { ...config, bootstrapAdmins: [...new Set([...config.bootstrapAdmins, ...bootstrapAdmins.data])] };
}
