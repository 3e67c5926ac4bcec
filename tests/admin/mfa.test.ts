import { type AdminRuntime, createAdminApp, settingsFromEnv } from "@cognito-lifecycle/admin";
import { defineConfig } from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

const config = defineConfig({});
const env = {
  LIFECYCLE_TABLE_NAME: "users",
  LIFECYCLE_USER_POOL_ID: "eu-west-1_pool",
  LIFECYCLE_USER_POOL_CLIENT_ID: "client",
};

/** The API's first gate with a stand-in verifier, store and Cognito: only the MFA lookup varies. */
function app(requireAdminMfa: boolean, mfa: string[]) {
  const looked: string[] = [];
  const runtime = {
    config,
    settings: { ...settingsFromEnv(config, env), requireAdminMfa },
    verifier: {
      verify: async () => ({ sub: "admin-sub", email: "a@example.com", roles: ["admin"], permissions: [] }),
    },
    store: {
      get: async () => ({ sub: "admin-sub", username: "admin-user", status: "active", roles: ["admin"] }),
    },
    cognito: {
      hasTotp: async (username: string) => {
        looked.push(username);
        return mfa.includes("SOFTWARE_TOKEN_MFA");
      },
    },
  } as unknown as AdminRuntime;
  return { app: createAdminApp(runtime), looked };
}

const me = (target: ReturnType<typeof app>) =>
  target.app.request("/me", { headers: { authorization: "Bearer token" } });

describe("admins need TOTP MFA", () => {
  it("is required by deployed functions unless LIFECYCLE_ADMIN_REQUIRE_MFA=false", () => {
    expect(settingsFromEnv(config, env).requireAdminMfa).toBe(true);
    expect(settingsFromEnv(config, { ...env, LIFECYCLE_ADMIN_REQUIRE_MFA: "false" }).requireAdminMfa).toBe(
      false,
    );
  });

  it("refuses an admin token whose user has no authenticator app, whatever the role claim says", async () => {
    const target = app(true, []);
    const response = await me(target);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: "mfa_required",
      message: "Administrators must sign in with an authenticator app. Set one up, then sign in again.",
    });
    expect(target.looked).toEqual(["admin-user"]);
  });

  it("lets an admin with TOTP through, and does not ask Cognito when the check is off", async () => {
    expect((await me(app(true, ["SOFTWARE_TOKEN_MFA"]))).status).toBe(200);
    const off = app(false, []);
    expect((await me(off)).status).toBe(200);
    expect(off.looked).toEqual([]);
  });
});
