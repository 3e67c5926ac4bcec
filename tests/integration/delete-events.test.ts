import { AdminDeleteUserCommand, DeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createAdminRuntime, settingsFromStack } from "@cognito-lifecycle/admin";
import type { LifecycleEvent } from "@cognito-lifecycle/core";
import { eventBridgeEvents } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import { type AdminStack, startAdminStack } from "../admin/stack-support.ts";

const password = "Passw0rd!delete-events";
const hook = "deletes";

interface InboxDelivery {
  webhookId?: string;
  verified: boolean | null;
  status: number;
  payload: LifecycleEvent;
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  // The dispatcher runs every 200 ms here; 30 s covers a loaded shared machine.
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

// Issue #18: a delete made through Cognito's own API, locally, reaches the app like any other change.
describe("a user deleted through Cognito's API locally: record deleted, user.deleted on the bus and the webhook", {
  timeout: 60_000,
}, () => {
  let s: AdminStack;
  let records: ReturnType<typeof createAdminRuntime>;

  beforeAll(async () => {
    s = await startAdminStack({ deleteSignal: true, webhookDispatchEveryMs: 200 });
    records = createAdminRuntime(settingsFromStack(config, s.stack.info));
    const { idToken } = await s.signIn(s.stack.info.admin.email, s.stack.info.admin.password);
    const inbox = s.stack.info.endpoints.webhookInbox;
    const added = await s.api("POST", "/webhooks", {
      token: idToken,
      body: { url: `${inbox}/hooks/${hook}`, eventTypes: ["user.deleted"] },
    });
    expect(added.status).toBe(201);
    // The inbox verifies each delivery with the endpoint's secret.
    const configured = await fetch(`${inbox}/endpoints/${hook}`, {
      method: "PUT",
      body: JSON.stringify({ secret: added.body.secret }),
    });
    expect(configured.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    records?.close();
    await s?.stop();
  });

  async function deliveredDeletion(sub: string): Promise<InboxDelivery> {
    return eventually(async () => {
      const response = await fetch(`${s.stack.info.endpoints.webhookInbox}/deliveries?endpoint=${hook}`);
      const { deliveries } = (await response.json()) as { deliveries: InboxDelivery[] };
      return deliveries.find(
        (entry) => entry.payload.type === "user.deleted" && entry.payload.data.sub === sub,
      );
    }, `user.deleted for ${sub} in the webhook inbox`);
  }

  async function publishedDeletion(sub: string) {
    return eventually(async () => {
      const events = await eventBridgeEvents(s.stack.info.endpoints.eventbridge);
      return events.find(
        (event) => event.detailType === "user.deleted" && (event.detail as LifecycleEvent).data.sub === sub,
      );
    }, `user.deleted for ${sub} on the local EventBridge`);
  }

  async function expectDeletedEverywhere(sub: string) {
    const record = await records.store.get(sub);
    expect(record?.status).toBe("deleted");
    const published = await publishedDeletion(sub);
    expect(published).toMatchObject({ source: "cognito-lifecycle", detailType: "user.deleted" });
    const detail = published.detail as LifecycleEvent;
    expect(detail.data).toMatchObject({ sub, version: record?.version, previous: { status: "active" } });
    const delivery = await deliveredDeletion(sub);
    expect(delivery).toMatchObject({ status: 204, verified: true, webhookId: detail.id });
    expect(delivery.payload).toEqual(detail);
  }

  it("AdminDeleteUser, without reconcile", async () => {
    const sub = await s.signUp("removed.by.admin@example.com", password);
    await s.cognito.send(
      new AdminDeleteUserCommand({
        UserPoolId: s.stack.info.userPoolId,
        Username: "removed.by.admin@example.com",
      }),
    );
    await expectDeletedEverywhere(sub);
  });

  it("DeleteUser with the user's own access token, without reconcile", async () => {
    const sub = await s.signUp("removed.by.self@example.com", password);
    const { accessToken } = await s.signIn("removed.by.self@example.com", password);
    await s.cognito.send(new DeleteUserCommand({ AccessToken: accessToken }));
    await expectDeletedEverywhere(sub);
  });
});
