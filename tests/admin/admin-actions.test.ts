import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localCredentials } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";
import { decodeJwt } from "./tokens.ts";

const password = "Passw0rd!admin-actions";

// Issue #19: disable per step, the audit log with names and filters, invitations.
describe("admin actions against the real local stack", () => {
  let s: AdminStack;
  let admin: Tokens;
  let adminSub: string;
  const subs: Record<string, string> = {};
  let db: DynamoDBDocumentClient;
  const get = (path: string) => s.api("GET", path, { token: admin.idToken });
  const post = (path: string, body?: unknown) =>
    s.api("POST", path, { token: admin.idToken, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    adminSub = String(decodeJwt(admin.idToken).sub);
    subs.mallory = await s.signUp("mallory@example.com", password, "Mallory Ng");
    subs.trent = await s.signUp("trent@example.com", password, "Trent Ōkubo");
    db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: info.endpoints.dynamodb,
        region: info.region,
        credentials: localCredentials,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    db?.destroy();
    await s?.stop();
  }, 60_000);

  describe("disable reports what happened, per step (defect 2)", () => {
    it("returns and audits each step; cognito-local's missing global sign-out is a failed step", async () => {
      const disabled = await post(`/users/${subs.mallory}/disable`, { reason: "abuse" });
      expect(disabled.status).toBe(200);
      const steps = disabled.body.steps as { step: string; ok: boolean; error?: string }[];
      expect(steps).toEqual([
        { step: "cognito-disable", ok: true },
        { step: "sign-out", ok: false, error: expect.any(String) },
        { step: "record", ok: true },
      ]);
      expect(disabled.body.user).toMatchObject({ status: "disabled" });
      const audit = (await get(`/users/${subs.mallory}`)).body.audit as { items: Record<string, unknown>[] };
      expect(audit.items[0]).toMatchObject({
        action: "user.disabled",
        actor: adminSub,
        details: expect.objectContaining({ steps }),
      });
    });

    it("reports a sign-out that worked as done", async () => {
      const signOut = vi.spyOn(s.server.runtime.cognito, "signOutEverywhere").mockResolvedValue();
      const disabled = await post(`/users/${subs.trent}/disable`);
      expect(disabled.body.steps).toEqual([
        { step: "cognito-disable", ok: true },
        { step: "sign-out", ok: true },
        { step: "record", ok: true },
      ]);
      signOut.mockRestore();
      await post(`/users/${subs.trent}/enable`);
    });
  });
});
