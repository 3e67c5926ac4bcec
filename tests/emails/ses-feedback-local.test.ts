import { randomUUID } from "node:crypto";
import { createAdminRuntime } from "@cognito-lifecycle/admin";
import { defineConfig, type UserRecord } from "@cognito-lifecycle/core";
import {
  localCredentials,
  localRegion,
  simulatorFeedbackEvents,
  startSesFeedback,
} from "@cognito-lifecycle/local";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../functions/email-feedback.ts";
import { relayCommitted } from "../events/support/stream.ts";
import { dynamoEndpoint, emailsTo, freshStore, localMailer, sesEndpoint } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

const config = defineConfig({});
checkIam(config);

describe("the local SES mailbox simulator's bounces and complaints", () => {
  it("yields the SES events AWS would publish for bounce@ and complaint@, and none for other mail", () => {
    const email = {
      messageId: "m-1",
      from: "hello@example.com",
      destination: {
        to: ["bounce+a1@simulator.amazonses.com", "jane@example.com"],
        cc: ['"C" <complaint@simulator.amazonses.com>'],
      },
      subject: "Hi",
      body: { text: "Hi" },
      at: 1_796_000_000,
    };
    const [bounced, complained, ...rest] = simulatorFeedbackEvents(email, "lifecycle-local");
    expect(rest).toEqual([]);
    expect(bounced).toMatchObject({
      source: "aws.ses",
      "detail-type": "Email Bounced",
      detail: {
        eventType: "Bounce",
        bounce: {
          bounceType: "Permanent",
          bouncedRecipients: [{ emailAddress: "bounce+a1@simulator.amazonses.com" }],
        },
        mail: { tags: { "ses:configuration-set": ["lifecycle-local"] } },
      },
    });
    expect(complained).toMatchObject({
      "detail-type": "Email Complaint Received",
      detail: {
        complaint: { complainedRecipients: [{ emailAddress: "complaint@simulator.amazonses.com" }] },
      },
    });
    expect(
      simulatorFeedbackEvents({ ...email, destination: { to: ["jane@example.com"] } }, "lifecycle-local"),
    ).toEqual([]);
  });

  it("a user whose address bounces is marked on their record and gets no welcome email", async () => {
    const { store, db, tableName } = await freshStore();
    const runtime = createAdminRuntime({
      config,
      region: localRegion,
      tableName,
      userPoolId: "eu-west-1_Ab12Cd34E",
      clientId: "client",
      endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9" },
      credentials: localCredentials,
    });
    const sub = randomUUID();
    const address = `bounce+${sub.slice(0, 8)}@simulator.amazonses.com`;
    const now = new Date().toISOString();
    const record: UserRecord = {
      sub,
      username: sub,
      email: address,
      emailNormalised: address,
      emailVerified: true,
      status: "active",
      roles: ["member"],
      groups: [],
      source: "sign-up",
      identities: [],
      createdAt: now,
      version: 1,
      updatedAt: now,
      welcomeEmail: { status: "pending", at: now, attempts: 0 },
    };
    const marked = new Promise<void>((resolve, reject) => {
      void startSesFeedback({
        sesEndpoint: sesEndpoint(),
        configurationSet: "lifecycle-local",
        everyMs: 100,
        handle: createHandler(() => runtime),
        onEvent: (_type, outcome) => (outcome === "ok" ? resolve() : reject(new Error("handler failed"))),
      }).then((watcher) => marked.finally(() => watcher.stop()));
    });
    try {
      // Created with its audit item, as post confirmation does: the outbox carries user.created.
      const audit = {
        id: randomUUID(),
        at: now,
        sub,
        actor: "system:post-confirmation",
        action: "user.created" as const,
      };
      expect(await store.create(record, audit)).toBe("created");
      // A message to the address (as a code email would be) reaches the local SES, and bounces.
      await localMailer().send({
        from: "hello@example.com",
        to: address,
        subject: "Your code",
        html: "<p>1</p>",
        text: "1",
      });
      await marked;
      expect((await store.get(sub))?.emailDeliverability).toMatchObject({
        status: "bouncing",
        bounceType: "Permanent",
      });

      // The events function on the user.created: the welcome email is skipped, with the reason.
      expect(await relayCommitted({ db, tableName, store, config, subs: [sub] })).toEqual({
        batchItemFailures: [],
      });
      expect((await store.get(sub))?.welcomeEmail).toMatchObject({
        status: "skipped",
        error: "address bouncing",
      });
      const inbox = await emailsTo(address);
      expect(inbox.map((email) => email.subject)).toEqual(["Your code"]);
    } finally {
      runtime.close();
    }
  });
});
