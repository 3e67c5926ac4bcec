import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AdminRuntime, createAdminRuntime } from "@cognito-lifecycle/admin";
import { claimAndDeliverWelcome, type DynamoUserStore, logger, outboxEvents } from "@cognito-lifecycle/aws";
import { defineConfig, emailFeedbackOf, type UserRecord } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler } from "../../functions/email-feedback.ts";
import { auditItems } from "../events/support/stream.ts";
import { dynamoEndpoint, emailsTo, freshStore, localMailer } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

const config = defineConfig({});
checkIam(config);

/** An SES event-publishing record as the configuration set's EventBridge destination delivers it. */
function sesEvent(detailType: string, detail: Record<string, unknown>, to: string) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source: "aws.ses",
    account: "123456789012",
    time: "2026-11-30T09:00:05Z",
    region: "eu-west-1",
    resources: ["arn:aws:ses:eu-west-1:123456789012:configuration-set/lifecycle"],
    detail: {
      ...detail,
      mail: {
        timestamp: "2026-11-30T09:00:00.000Z",
        source: "hello@example.com",
        messageId: "0102018c-example",
        destination: [to],
        tags: { "ses:configuration-set": ["lifecycle"] },
      },
    },
  };
}

const bounce = (to: string, bounceType = "Permanent", bounceSubType = "General") =>
  sesEvent(
    "Email Bounced",
    {
      eventType: "Bounce",
      bounce: {
        feedbackId: "0102018c-feedback",
        bounceType,
        bounceSubType,
        bouncedRecipients: [
          {
            emailAddress: to,
            action: "failed",
            status: "5.1.1",
            diagnosticCode: "smtp; 550 5.1.1 user unknown",
          },
        ],
        timestamp: "2026-11-30T09:00:04.000Z",
        reportingMTA: "dns; mx.example.com",
      },
    },
    to,
  );

const complaint = (to: string) =>
  sesEvent(
    "Email Complaint Received",
    {
      eventType: "Complaint",
      complaint: {
        feedbackId: "0102018c-complaint",
        complaintSubType: null,
        complainedRecipients: [{ emailAddress: to }],
        timestamp: "2026-11-30T10:00:00.000Z",
        complaintFeedbackType: "abuse",
      },
    },
    to,
  );

describe("reading SES feedback events", () => {
  it("a permanent bounce marks each bounced recipient, normalised; a transient one marks nothing", () => {
    expect(emailFeedbackOf(bounce("Jane.Doe@Example.com", "Permanent", "NoEmail"))).toEqual([
      {
        email: "jane.doe@example.com",
        deliverability: {
          status: "bouncing",
          at: "2026-11-30T09:00:04.000Z",
          bounceType: "Permanent",
          subType: "NoEmail",
        },
      },
    ]);
    expect(emailFeedbackOf(bounce("jane@example.com", "Transient", "MailboxFull"))).toEqual([]);
    expect(emailFeedbackOf(bounce("jane@example.com", "Undetermined", "Undetermined"))).toEqual([]);
  });

  it("a complaint marks complained; other event types and malformed input mark nothing", () => {
    expect(emailFeedbackOf(complaint('"Jane" <jane@example.com>'))).toEqual([
      {
        email: "jane@example.com",
        deliverability: { status: "complained", at: "2026-11-30T10:00:00.000Z", subType: "abuse" },
      },
    ]);
    expect(
      emailFeedbackOf(sesEvent("Email Delivered", { eventType: "Delivery", delivery: {} }, "a@b.c")),
    ).toEqual([]);
    expect(emailFeedbackOf(undefined)).toEqual([]);
    expect(emailFeedbackOf({ detail: { eventType: "Bounce", bounce: { bounceType: "Permanent" } } })).toEqual(
      [],
    );
  });
});

describe("the email feedback function (DynamoDB Local, as the EmailFeedback role)", () => {
  let runtime: AdminRuntime;
  let store: DynamoUserStore;
  let db: DynamoDBDocumentClient;
  let tableName: string;
  let handler: ReturnType<typeof createHandler>;

  beforeEach(async () => {
    ({ store, db, tableName } = await freshStore());
    runtime = createAdminRuntime({
      config,
      region: localRegion,
      tableName,
      userPoolId: "eu-west-1_Ab12Cd34E",
      clientId: "client",
      endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9" },
      credentials: localCredentials,
    });
    handler = createHandler(() => runtime);
  });

  afterEach(() => runtime.close());

  async function userWith(overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
    const sub = randomUUID();
    const email = `fb-${sub.slice(0, 8)}@example.com`;
    const now = "2026-11-30T08:00:00.000Z";
    const record: UserRecord = {
      sub,
      username: sub,
      email,
      emailNormalised: email,
      emailVerified: true,
      status: "active",
      roles: ["member"],
      groups: [],
      source: "sign-up",
      identities: [],
      createdAt: now,
      version: 1,
      updatedAt: now,
      ...overrides,
    };
    expect(await store.create(record)).toBe("created");
    return record;
  }

  it("a permanent bounce marks the record, audited with user.email-feedback and a user.updated event; redelivery writes nothing", async () => {
    const user = await userWith();
    const info = vi.spyOn(logger, "info");
    const event = bounce((user.email as string).toUpperCase());
    expect(await handler(event)).toEqual({ marked: 1, unknown: 0 });

    const marked = await store.get(user.sub);
    expect(marked?.emailDeliverability).toEqual({
      status: "bouncing",
      at: "2026-11-30T09:00:04.000Z",
      bounceType: "Permanent",
      subType: "General",
    });
    expect(marked?.version).toBe(2);
    const items = await auditItems(db, tableName, user.sub);
    const audit = items.find((item) => item.action === "user.email-feedback");
    expect(audit).toMatchObject({ actor: "ses", details: { status: "bouncing", bounceType: "Permanent" } });
    const [published] = outboxEvents(audit as Record<string, unknown>);
    expect(published).toMatchObject({
      type: "user.updated",
      data: { changes: ["emailDeliverability"], record: { emailDeliverability: { status: "bouncing" } } },
    });
    // Logs name the sub, never the address.
    const logged = JSON.stringify(info.mock.calls);
    expect(logged).toContain(user.sub);
    expect(logged).not.toContain(user.email);
    info.mockRestore();

    expect(await handler(event)).toEqual({ marked: 0, unknown: 0 });
    expect((await store.get(user.sub))?.version).toBe(2);
  });

  it("a later complaint replaces a bounce; an older bounce after it changes nothing", async () => {
    const user = await userWith();
    await handler(bounce(user.email as string));
    await handler(complaint(user.email as string));
    expect((await store.get(user.sub))?.emailDeliverability).toEqual({
      status: "complained",
      at: "2026-11-30T10:00:00.000Z",
      subType: "abuse",
    });
    expect(await handler(bounce(user.email as string))).toEqual({ marked: 0, unknown: 0 });
    expect((await store.get(user.sub))?.version).toBe(3);
  });

  it("a transient bounce, or an address that is no user's, marks nothing", async () => {
    const user = await userWith();
    expect(await handler(bounce(user.email as string, "Transient", "MailboxFull"))).toEqual({
      marked: 0,
      unknown: 0,
    });
    expect((await store.get(user.sub))?.emailDeliverability).toBeUndefined();
    expect(await handler(bounce(`nobody-${randomUUID()}@example.com`))).toEqual({ marked: 0, unknown: 1 });
  });

  it("a new address drops the mark: the bounce was about the old one", async () => {
    const user = await userWith();
    await handler(bounce(user.email as string));
    const bounced = (await store.get(user.sub)) as UserRecord;
    const email = `new-${user.sub.slice(0, 8)}@example.com`;
    await runtime.records.editFields(
      bounced,
      { email, emailNormalised: email },
      { actor: "admin", action: "user.resynced" },
    );
    expect((await store.get(user.sub))?.emailDeliverability).toBeUndefined();
  });

  it("the welcome email is not sent to a bouncing address: recorded skipped with the reason", async () => {
    const user = await userWith({
      welcomeEmail: { status: "pending", at: "2026-11-30T08:00:00.000Z", attempts: 0 },
    });
    await handler(bounce(user.email as string));
    const record = (await store.get(user.sub)) as UserRecord;
    const deps = { config, store, mailer: localMailer(), renderer: renderMessage, now: () => new Date() };
    expect(await claimAndDeliverWelcome(deps, record)).toBe("skipped");
    expect((await store.get(user.sub))?.welcomeEmail).toMatchObject({
      status: "skipped",
      error: "address bouncing",
    });
    expect(await emailsTo(user.email as string)).toEqual([]);
  });
});
