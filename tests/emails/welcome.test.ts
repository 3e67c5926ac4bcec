import { randomUUID } from "node:crypto";
import {
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import {
  deliverWelcomeEmail as deliverOutsideFunction,
  isPermanentMailError,
  type Mailer,
  runAs,
  SesMailer,
  senderAddress,
  type UserStore,
} from "@cognito-lifecycle/aws";
import { defineConfig, newUserRecord, type UserRecord } from "@cognito-lifecycle/core";
import { htmlProblems, renderMessage } from "@cognito-lifecycle/emails";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { createHandler as postConfirmation } from "../../functions/post-confirmation.ts";
import { confirmSignUp } from "../contract/fixtures/post-confirmation.ts";
import { invoke, runtime } from "../contract/support.ts";
import { relayCommitted } from "../events/support/stream.ts";
import { emailsTo, freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

const config = defineConfig({
  branding: {
    productName: "Nimbus",
    appUrl: "https://app.example.com",
    sender: { name: "Nimbus", address: "hello@nimbus.example.com" },
    supportEmail: "help@nimbus.example.com",
    footerLines: ["Nimbus GmbH, Berlin"],
  },
});

checkIam(config);

/** Sends as the events function does: its calls are checked against the Events role. */
const deliverWelcomeEmail = (...args: Parameters<typeof deliverOutsideFunction>) =>
  runAs("Events", () => deliverOutsideFunction(...args));

async function claimedRecord(store: UserStore, attributes: Record<string, string> = {}): Promise<UserRecord> {
  const sub = randomUUID();
  const now = new Date().toISOString();
  const record = newUserRecord(config, {
    sub,
    username: sub,
    attributes: { sub, email: `w-${sub.slice(0, 8)}@example.com`, email_verified: "true", ...attributes },
    source: "sign-up",
    now,
    confirmed: true,
  });
  // As the events function's claim leaves it: the record created with the welcome email claimed.
  record.welcomeEmail = { status: "sending", at: now, attempts: 1 };
  expect(await store.create(record)).toBe("created");
  return record;
}

const dependencies = (store: UserStore, mailer: Mailer) => ({
  config,
  store,
  mailer,
  renderer: renderMessage,
  now: () => new Date(),
});

describe("welcome email through the local SES", () => {
  it("arrives branded, in the user's language, and is recorded as sent with its message id", async () => {
    const { store, db, tableName } = await freshStore();
    const event = confirmSignUp({ name: `Zoë <b>"Z"</b>`, attributes: { locale: "de" } });
    const { sub, email } = event.request.userAttributes as { sub: string; email: string };
    await invoke(postConfirmation(runtime({ config, store })), event);
    expect((await store.get(sub))?.welcomeEmail?.status).toBe("pending");
    // The events function sends it on the `user.created` post confirmation committed.
    expect(await relayCommitted({ db, tableName, store, config, subs: [sub] })).toEqual({
      batchItemFailures: [],
    });

    const inbox = await emailsTo(email);
    expect(inbox).toHaveLength(1);
    const [message] = inbox;
    expect(message?.subject).toBe("Willkommen bei Nimbus");
    expect(message?.from).toBe('"Nimbus" <hello@nimbus.example.com>');
    const html = message?.body.html ?? "";
    expect(htmlProblems(html)).toEqual([]);
    expect(html).toContain('lang="de"');
    expect(html).toContain("Willkommen bei Nimbus");
    expect(html).toContain("Hallo Zoë &lt;b&gt;&quot;Z&quot;&lt;/b&gt;,");
    expect(html).toContain(`Sie haben sich mit ${email} registriert.`);
    expect(html).toContain('href="https://app.example.com"');
    expect(html).toContain("Nimbus GmbH, Berlin");
    expect(message?.body.text).toContain("Jetzt loslegen: https://app.example.com");

    const stored = await store.get(sub);
    expect(stored?.welcomeEmail).toMatchObject({ status: "sent", messageId: message?.messageId });
  });
});

describe("SES rejections", () => {
  function rejectingMailer(error: SESv2ServiceException): SesMailer {
    const client = new SESv2Client({ region: localRegion, credentials: localCredentials, maxAttempts: 1 });
    mockClient(client).on(SendEmailCommand).rejects(error);
    return new SesMailer(client);
  }

  it.each([
    [
      "a rejected message is recorded failed, not left for a retry",
      new MessageRejected({ message: "Email address is not verified.", $metadata: {} }),
      "failed",
      "SES rejected the email: MessageRejected",
    ],
    [
      "throttling is left pending for reconcile to retry",
      new TooManyRequestsException({ message: "Too many requests", $metadata: {} }),
      "pending",
      "SES SendEmail failed, retry later: TooManyRequestsException",
    ],
    [
      "a paused account is left pending: once sending resumes a retry succeeds",
      new SESv2ServiceException({
        name: "SendingPausedException",
        $fault: "client",
        message: "Sending paused",
        $metadata: {},
      }),
      "pending",
      "SES SendEmail failed, retry later: SendingPausedException",
    ],
    [
      "a 5xx may have sent it: recorded unknown, never resent automatically",
      new SESv2ServiceException({
        name: "InternalFailure",
        $fault: "server",
        message: "Internal failure",
        $metadata: { httpStatusCode: 500 },
      }),
      "unknown",
      "SES SendEmail outcome unknown: InternalFailure",
    ],
  ])("%s", async (_label, error, status, reason) => {
    const { store } = await freshStore();
    const record = await claimedRecord(store);
    expect(await deliverWelcomeEmail(dependencies(store, rejectingMailer(error)), record, 1)).toBe(status);
    const stored = await store.get(record.sub);
    expect(stored?.welcomeEmail).toMatchObject({ status, error: reason });
    // The SES message can quote the address; the recorded reason must not.
    expect(JSON.stringify(stored?.welcomeEmail)).not.toContain(record.email);
  });

  it("classifies the SES error names", () => {
    expect(isPermanentMailError({ name: "MessageRejected" })).toBe(true);
    expect(isPermanentMailError({ name: "BadRequestException" })).toBe(true);
    for (const name of ["TooManyRequestsException", "MailFromDomainNotVerifiedException", "TimeoutError"]) {
      expect(isPermanentMailError({ name })).toBe(false);
    }
  });
});

describe("sender address", () => {
  it("quotes an ASCII name and MIME-encodes any other", () => {
    const ascii = defineConfig({ branding: { sender: { name: 'Acme "Cloud"', address: "a@example.com" } } });
    expect(senderAddress(ascii)).toBe('"Acme Cloud" <a@example.com>');
    const accented = defineConfig({
      branding: { sender: { name: "Müller & Söhne", address: "m@example.com" } },
    });
    expect(senderAddress(accented)).toBe(
      `=?UTF-8?B?${Buffer.from("Müller & Söhne").toString("base64")}?= <m@example.com>`,
    );
  });
});
