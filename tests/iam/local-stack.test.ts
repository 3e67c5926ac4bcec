import { withoutAction } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminStack, startAdminStack, type Tokens } from "../admin/stack-support.ts";
import { decodeJwt } from "../admin/tokens.ts";

/**
 * The local stack under the offline IAM check: the admin API's calls are evaluated against the
 * AdminApiHandler role from packages/core/src/least-privilege.ts, with the local table's and pool's ARNs.
 */
describe("the local stack under the offline IAM check", () => {
  let s: AdminStack;
  let admin: Tokens;
  let alice: string;
  const password = "Correct-Horse-9";

  beforeAll(async () => {
    s = await startAdminStack();
    admin = await s.signIn(s.stack.info.admin.email, s.stack.info.admin.password);
    alice = await s.signUp("alice@example.com", password, "Alice");
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  const setRoles = (roles: string[], expectedVersion: number) =>
    s.api("PATCH", `/users/${alice}/roles`, {
      token: admin.idToken,
      body: { roles, expectedVersion, reason: "iam check" },
    });

  it("lets the admin API change a user's roles (its transaction has an Update item)", async () => {
    expect(s.stack.iam).toBeDefined();
    const changed = await setRoles(["support", "member"], 1);
    expect(s.stack.iam?.denials).toEqual([]);
    expect(s.stack.iam?.unattributed).toEqual([]);
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ roles: ["member", "support"], version: 2 });
  });

  it("fails the same change with AWS's AccessDeniedException once dynamodb:UpdateItem is removed", async () => {
    const iam = s.stack.iam;
    if (!iam) throw new Error("the stack runs without the IAM check");
    const granted = iam.grants;
    iam.replaceGrants(withoutAction(granted, "AdminApiHandler", "dynamodb:UpdateItem"));
    try {
      const refused = await setRoles(["member"], 2);
      expect(refused.status).not.toBe(200);
      expect(iam.denials).toHaveLength(1);
      expect(iam.denials[0]).toMatch(
        /^User: arn:aws:sts::000000000000:assumed-role\/AdminApiHandlerRole\/AdminApiHandler is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/\S+ because no identity-based policy allows the dynamodb:UpdateItem action$/,
      );
      console.log(`AccessDeniedException: ${iam.denials[0]}`);
    } finally {
      iam.replaceGrants(granted);
      iam.denials.length = 0;
    }
    const unchanged = await s.api("GET", `/users/${alice}`, { token: admin.idToken });
    expect(unchanged.body.user).toMatchObject({ roles: ["member", "support"], version: 2 });
  });

  it("signs users in with role claims: the triggers' calls pass their own roles", async () => {
    const tokens = await s.signIn("alice@example.com", password);
    expect(decodeJwt(tokens.idToken).roles).toEqual(["member", "support"]);
    expect(s.stack.iam?.denials).toEqual([]);
    expect(s.stack.iam?.requests.get("PreTokenGeneration")?.size).toBeGreaterThan(0);
  });
});
