import {
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminUpdateUserAttributesCommand,
  DeleteUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createAdminRuntime, settingsFromStack } from "@cognito-lifecycle/admin";
import { cloudTrailEventFor } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import { type AdminStack, startAdminStack } from "../admin/stack-support.ts";
import { adminDeleteUser } from "../contract/fixtures/cognito-api-events.ts";

const password = "Passw0rd!signal-tests";

/** The same keys at every level, values aside (arrays and nulls compared by kind). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return "array";
  if (value === null || typeof value !== "object") return value === null ? "null" : typeof value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, inner]) => [key, shapeOf(inner)]),
  );
}

describe("the local delete signal: cognito-local's calls produce CloudTrail-shaped events for the same handler", () => {
  let s: AdminStack;
  let records: ReturnType<typeof createAdminRuntime>;

  beforeAll(async () => {
    s = await startAdminStack({ deleteSignal: true });
    records = createAdminRuntime(settingsFromStack(config, s.stack.info));
  });

  afterAll(async () => {
    records?.close();
    await s?.stop();
  });

  it("AdminDeleteUser marks the record deleted with a user.deleted audit entry, without reconcile", async () => {
    const sub = await s.signUp("gone.admin@example.com", password);
    expect((await records.store.get(sub))?.status).toBe("active");

    await s.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: s.stack.info.userPoolId, Username: "gone.admin@example.com" }),
    );
    expect(await records.store.get(sub)).toMatchObject({ status: "deleted", version: 2 });
    const audit = await records.store.auditHistory(sub);
    expect(audit.items.map((item) => [item.action, item.actor])).toContainEqual([
      "user.deleted",
      "system:cognito-api-events",
    ]);
  });

  it("DeleteUser with the user's own access token marks the record deleted", async () => {
    const sub = await s.signUp("gone.self@example.com", password);
    const { accessToken } = await s.signIn("gone.self@example.com", password);
    await s.cognito.send(new DeleteUserCommand({ AccessToken: accessToken }));
    expect((await records.store.get(sub))?.status).toBe("deleted");
  });

  it("AdminUpdateUserAttributes of name updates the record", async () => {
    const sub = await s.signUp("renamed@example.com", password, "Before");
    expect((await records.store.get(sub))?.name).toBe("Before");
    await s.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.stack.info.userPoolId,
        Username: "renamed@example.com",
        UserAttributes: [{ Name: "name", Value: "After" }],
      }),
    );
    expect(await records.store.get(sub)).toMatchObject({ name: "After", status: "active" });
  });

  it("AdminDeleteUserAttributes of name and locale removes them from the record", async () => {
    const sub = await s.signUp("cleared@example.com", password, "Named");
    await s.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.stack.info.userPoolId,
        Username: "cleared@example.com",
        UserAttributes: [{ Name: "locale", Value: "de" }],
      }),
    );
    expect(await records.store.get(sub)).toMatchObject({ name: "Named", locale: "de" });
    await s.cognito.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: s.stack.info.userPoolId,
        Username: "cleared@example.com",
        UserAttributeNames: ["name", "locale"],
      }),
    );
    const record = await records.store.get(sub);
    expect(record).toMatchObject({ status: "active" });
    expect(record?.name).toBeUndefined();
    expect(record?.locale).toBeUndefined();
  });

  it("produces the fixtures' shape, values hidden", async () => {
    const local = cloudTrailEventFor({ eventName: "AdminDeleteUser", userPoolId: "pool", sub: "s" });
    const fixture = adminDeleteUser("pool", "s");
    const { tlsDetails: _tls, ...fixtureDetail } = fixture.detail;
    const { sessionContext: _session, ...fixtureIdentity } = fixtureDetail.userIdentity as Record<
      string,
      unknown
    >;
    expect(Object.keys(shapeOf(local.detail) as object)).toEqual(
      Object.keys(shapeOf(fixtureDetail) as object),
    );
    expect(shapeOf({ ...local, detail: {} })).toEqual(shapeOf({ ...fixture, detail: {} }));
    expect(Object.keys(local.detail.userIdentity).sort()).toEqual(
      expect.arrayContaining(
        Object.keys(fixtureIdentity)
          .filter((key) => key !== "userName")
          .sort(),
      ),
    );
    expect(local.detail.requestParameters).toEqual({
      userPoolId: "pool",
      username: "HIDDEN_DUE_TO_SECURITY_REASONS",
    });
  });
});
