import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import {
  clientOptions,
  createToken,
  deliverWelcomeEmail,
  profileItem,
  SesMailer,
  sesClient,
  type UserStore,
} from "@cognito-lifecycle/aws";
import { type AuditEvent, defineConfig, newUserRecord, type UserRecord } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshStore } from "../support/aws.ts";

/**
 * SendEmail is not idempotent: a send whose answer is late may still have gone out, so the
 * sender must not try again and must not record it as unsent (reconcile would resend it).
 * The create transaction carries an idempotency token, so repeating a write that committed
 * succeeds instead of reporting the record as someone else's.
 */

const config = defineConfig({ timeouts: { budgetMs: 4000, requestMs: 300, maxAttempts: 2 } });

/** An SES API that accepts every SendEmail and answers only after `delayMs`. */
async function slowSes(delayMs: number): Promise<{ url: string; requests: () => number; close(): void }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    if (request.url?.startsWith("/v2/email/outbound-emails")) requests += 1;
    setTimeout(() => {
      if (response.destroyed) return;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ MessageId: "late" }));
    }, delayMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => server.close(),
  };
}

async function claimedRecord(store: UserStore): Promise<UserRecord> {
  const sub = randomUUID();
  const now = new Date().toISOString();
  const record = newUserRecord(config, {
    sub,
    username: sub,
    attributes: { sub, email: `slow-${sub.slice(0, 8)}@example.com`, email_verified: "true" },
    source: "sign-up",
    now,
    confirmed: true,
  });
  record.welcomeEmail = { status: "sending", at: now, attempts: 1 };
  expect(await store.create(record)).toBe("created");
  return record;
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("welcome email: at most one SendEmail per claim", () => {
  it("a slow SES gets exactly one request from the trigger's client, and the record says unknown", async () => {
    const ses = await slowSes(config.timeouts.requestMs * 3);
    servers.push(ses);
    vi.stubEnv("AWS_ENDPOINT_URL_SESV2", ses.url);
    const client = sesClient(config.timeouts);
    const { store } = await freshStore();
    const record = await claimedRecord(store);
    const deps = {
      config,
      store,
      mailer: new SesMailer(client),
      renderer: renderMessage,
      now: () => new Date(),
    };
    try {
      expect(await deliverWelcomeEmail(deps, record, 1)).toBe("unknown");
    } finally {
      client.destroy();
    }
    expect(ses.requests()).toBe(1);
    expect((await store.get(record.sub))?.welcomeEmail).toMatchObject({
      status: "unknown",
      attempts: 1,
      error: "SES SendEmail outcome unknown: TimeoutError",
    });
  });

  it("a client configured to retry still sends once: the mailer stops the SDK's second attempt", async () => {
    const ses = await slowSes(config.timeouts.requestMs * 3);
    servers.push(ses);
    const client = new SESv2Client({
      ...clientOptions({ requestMs: config.timeouts.requestMs, maxAttempts: 3 }),
      endpoint: ses.url,
      region: localRegion,
      credentials: localCredentials,
    });
    try {
      const sent = new SesMailer(client).send({
        from: "a@example.com",
        to: "b@example.com",
        subject: "s",
        html: "<p>h</p>",
        text: "t",
      });
      await expect(sent).rejects.toMatchObject({ ambiguous: true, permanent: false });
    } finally {
      client.destroy();
    }
    expect(ses.requests()).toBe(1);
  });

  it("a refused connection proves nothing was sent: the email stays pending", async () => {
    const ses = await slowSes(0);
    ses.close();
    vi.stubEnv("AWS_ENDPOINT_URL_SESV2", ses.url);
    const client = sesClient(config.timeouts);
    const { store } = await freshStore();
    const record = await claimedRecord(store);
    const deps = {
      config,
      store,
      mailer: new SesMailer(client),
      renderer: renderMessage,
      now: () => new Date(),
    };
    try {
      expect(await deliverWelcomeEmail(deps, record, 1)).toBe("pending");
    } finally {
      client.destroy();
    }
    expect((await store.get(record.sub))?.welcomeEmail?.status).toBe("pending");
  });
});

describe("create transaction idempotency token (DynamoDB Local)", () => {
  const recordAndAudit = () => {
    const sub = randomUUID();
    const now = new Date().toISOString();
    const record = newUserRecord(config, {
      sub,
      username: sub,
      attributes: { sub, email: `token-${sub.slice(0, 8)}@example.com`, email_verified: "true" },
      source: "sign-up",
      now,
      confirmed: true,
    });
    const audit: AuditEvent = { sub, id: randomUUID(), at: now, actor: "test", action: "user.created" };
    return { record, audit };
  };

  it("repeating a create that committed succeeds and writes nothing twice", async () => {
    const { store, db, tableName } = await freshStore();
    const { record, audit } = recordAndAudit();
    expect(await store.create(record, audit, { purpose: "post-confirmation" })).toBe("created");
    // The same request again, as after a lost answer: the write is recognised, not refused.
    expect(await store.create(record, audit, { purpose: "post-confirmation" })).toBe("created");
    expect(await store.auditHistory(record.sub)).toMatchObject({ items: [{ id: audit.id }] });

    // The raw transaction, sent twice with one token: DynamoDB Local honours the token too.
    const other = recordAndAudit().record;
    const items = [
      {
        Put: {
          TableName: tableName,
          Item: profileItem(other),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ];
    const token = createToken(other.sub, "raw");
    await db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
    await expect(
      db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token })),
    ).resolves.toBeDefined();
  });

  it("a different create for the same user and purpose within the window is 'exists', not an error", async () => {
    const { store } = await freshStore();
    const { record, audit } = recordAndAudit();
    expect(await store.create(record, audit, { purpose: "post-confirmation" })).toBe("created");
    const later = { ...record, createdAt: new Date(Date.now() + 1000).toISOString(), name: "Other" };
    const laterAudit = { ...audit, id: randomUUID() };
    expect(await store.create(later, laterAudit, { purpose: "post-confirmation" })).toBe("exists");
    expect((await store.get(record.sub))?.name).toBe(record.name);
  });

  it("tokens are per user and purpose, and fit DynamoDB's 36 characters", () => {
    const sub = randomUUID();
    expect(createToken(sub, "a")).toBe(createToken(sub, "a"));
    expect(createToken(sub, "a")).not.toBe(createToken(sub, "b"));
    expect(createToken(sub, "a")).not.toBe(createToken(randomUUID(), "a"));
    expect(createToken(sub, "a").length).toBeLessThanOrEqual(36);
  });
});
