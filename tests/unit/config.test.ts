import {
  ConfigError,
  defineConfig,
  disposableDomains,
  type LifecycleConfigInput,
  withEnvironment,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";

function configError(input: unknown): ConfigError {
  try {
    defineConfig(input as LifecycleConfigInput);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected defineConfig to refuse the config");
}

describe("config defaults", () => {
  it("works with no keys at all", () => {
    const config = defineConfig();
    expect(config.defaultRoles).toEqual(["member"]);
    expect(Object.keys(config.roles).sort()).toEqual(["admin", "member"]);
    expect(config.groups.admins?.roles).toEqual(["admin"]);
    expect(config.signUp).toMatchObject({ blockDisposable: true, inviteOnly: false, allowedDomains: [] });
    expect(config.linking.enabled).toBe(false);
    expect(config.tokens).toEqual({ onStoreUnavailable: "deny", createMissingRecords: true });
    expect(config.claims).toMatchObject({ roles: "roles", permissions: "permissions", maxBytes: 2048 });
    expect(config.timeouts.budgetMs).toBeLessThan(5000);
    expect(config.delivery).toBe("custom-message");
  });

  it("ships a disposable-domain list that includes mailinator.com", () => {
    expect(disposableDomains).toContain("mailinator.com");
  });

  it("accepts the repository's own lifecycle.config.ts", () => {
    expect(lifecycleConfig.roles.admin).toBeDefined();
  });

  it("normalises domains and bootstrap admin emails", () => {
    const config = defineConfig({
      signUp: { allowedDomains: [" Example.COM "] },
      bootstrapAdmins: [" Boss@Example.com"],
    });
    expect(config.signUp.allowedDomains).toEqual(["example.com"]);
    expect(config.bootstrapAdmins).toEqual(["boss@example.com"]);
  });
});

describe("config validation names the bad field", () => {
  it.each([
    ["an unknown default role", { defaultRoles: ["owner"] }, /defaultRoles\.0: .*unknown role "owner"/],
    [
      "an unknown role in a group",
      { groups: { staff: { roles: ["boss"] } } },
      /groups\.staff\.roles\.0: .*unknown role "boss"/,
    ],
    [
      "a missing admin role",
      { roles: { member: { permissions: [] } } },
      /roles: must define the "admin" role/,
    ],
    [
      "a domain that is not one",
      { signUp: { deniedDomains: ["not a domain"] } },
      /signUp\.deniedDomains\.0: must be a domain/,
    ],
    ["a reserved claim name", { claims: { roles: "sub" } }, /claims\.roles: is a reserved claim/],
    [
      "an unknown delivery mode",
      { delivery: "custom-senders" as never },
      /delivery: must be "custom-message" \(Cognito sends\) or "custom-sender"/,
    ],
    [
      "a cognito: claim name",
      { claims: { permissions: "cognito:username" } },
      /claims\.permissions: is a reserved claim/,
    ],
    [
      "equal claim names",
      { claims: { roles: "perms", permissions: "perms" } },
      /claims\.permissions: must differ/,
    ],
    [
      "a default locale not supported",
      { locales: { default: "fr" } },
      /locales\.default: must be one of locales\.supported/,
    ],
    ["a default group that does not exist", { defaultGroup: "nobody" }, /defaultGroup: is not one of groups/],
    [
      "a request timeout over the budget",
      { timeouts: { budgetMs: 1000, requestMs: 2000 } },
      /timeouts\.requestMs/,
    ],
    ["a budget over Cognito's 5 s", { timeouts: { budgetMs: 6000 } }, /timeouts\.budgetMs/],
    [
      "linking without a trusted provider",
      { linking: { enabled: true } },
      /linking\.trustedProviders: must name at least one provider/,
    ],
    ["a non-http logo", { branding: { logoUrl: "javascript:alert(1)" } }, /branding\.logoUrl/],
    ["a bad bootstrap admin", { bootstrapAdmins: ["not-an-email"] }, /bootstrapAdmins\.0/],
    ["a misspelt key", { signup: {} }, /signup/],
    ["an unknown policy", { tokens: { onStoreUnavailable: "allow" } }, /tokens\.onStoreUnavailable/],
  ])("refuses %s", (_case, input, pattern) => {
    const error = configError(input);
    expect(error.message).toMatch(/^Invalid cognito-lifecycle config:/);
    expect(error.message).toMatch(pattern);
  });

  it("lists every bad field at once", () => {
    const error = configError({ defaultRoles: ["owner"], locales: { default: "fr" } });
    expect(error.message).toContain("defaultRoles.0");
    expect(error.message).toContain("locales.default");
  });
});

describe("environment overrides", () => {
  it("adds bootstrap admins from LIFECYCLE_BOOTSTRAP_ADMINS", () => {
    const config = withEnvironment(defineConfig({ bootstrapAdmins: ["a@example.com"] }), {
      LIFECYCLE_BOOTSTRAP_ADMINS: " B@Example.com, a@example.com ,",
    });
    expect(config.bootstrapAdmins).toEqual(["a@example.com", "b@example.com"]);
  });

  it("refuses a malformed LIFECYCLE_BOOTSTRAP_ADMINS by name", () => {
    expect(() => withEnvironment(defineConfig(), { LIFECYCLE_BOOTSTRAP_ADMINS: "nobody" })).toThrow(
      /LIFECYCLE_BOOTSTRAP_ADMINS/,
    );
  });
});
