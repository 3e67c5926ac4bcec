import { randomUUID } from "node:crypto";
import { logger } from "@cognito-lifecycle/aws";
import type { SentCodeMessage } from "@cognito-lifecycle/aws/senders";
import {
  emailSenderKinds,
  type MessageRenderer,
  messageInputFor,
  messageViolations,
} from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { freePort, type LocalKms, type StoredEmail, startLocalKms } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHandler, type EmailSenderDependencies } from "../../functions/custom-email-sender.ts";
import { invoke } from "../contract/support.ts";
import { emailsTo, localMailer } from "../support/aws.ts";
import {
  cognitoCode,
  cognitoLocalCode,
  localDecryptor,
  poolId,
  senderConfig,
  senderEvent,
} from "./support.ts";

let kms: LocalKms;
const recorded: SentCodeMessage[] = [];

beforeAll(async () => {
  kms = await startLocalKms({ port: await freePort() });
});
afterAll(() => kms.stop());

function handlerWith(overrides: Partial<EmailSenderDependencies> = {}) {
  return createHandler(() => ({
    config: senderConfig,
    decryptor: localDecryptor(kms),
    renderer: renderMessage,
    mailer: localMailer(),
    recorder: { record: async (sent) => void recorded.push(sent) },
    now: () => new Date("2026-11-30T00:00:00Z"),
    ...overrides,
  }));
}

const newAddress = () => `jane+${randomUUID().slice(0, 8)}@example.com`;

async function onlyEmailTo(address: string): Promise<StoredEmail> {
  const emails = await emailsTo(address);
  expect(emails).toHaveLength(1);
  return emails[0] as StoredEmail;
}

/** Every log line, as text: what must never hold a code. */
function loggedText(spies: ReturnType<typeof vi.spyOn>[]): string {
  return JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
}

const codeSources = Object.entries(emailSenderKinds)
  .filter(([, kind]) => kind !== "accountTakeOver")
  .map(([source, kind]) => ({ source, kind }));

describe("custom email sender contract", () => {
  it.each(codeSources)("$source: the branded email arrives with the real code", async ({ source }) => {
    const address = newAddress();
    const code = String(100000 + Math.floor(Math.random() * 899999));
    const event = senderEvent(source, await cognitoCode(kms, code), {
      email: address,
      name: "Jane Doe",
      locale: "de",
    });
    const result = await invoke(handlerWith(), structuredClone(event));

    expect(result).toEqual(event);
    const email = await onlyEmailTo(address);
    expect(email.body.html).toContain(code);
    expect(email.body.text).toContain(code);
    expect(email.body.html).not.toContain("{####}");
    expect(email.body.html).toContain('lang="de"');
    expect(email.from).toContain("no-reply@example.com");
    expect(recorded.at(-1)).toMatchObject({ channel: "email", triggerSource: source, userPoolId: poolId });
    expect(recorded.at(-1)?.messageId).toBe(email.messageId);
  });

  it("decrypts a code shaped as cognito-local sends it (two data keys, no pool in the context, version 0)", async () => {
    const address = newAddress();
    const event = senderEvent(
      "CustomEmailSender_SignUp",
      await cognitoLocalCode(kms, "246810"),
      { email: address },
      {
        version: "0",
        region: "local",
      },
    );
    await invoke(handlerWith(), event);
    expect((await onlyEmailTo(address)).body.text).toContain("246810");
  });

  it("shows an invitation's temporary password unescaped in text and escaped once in HTML, with the sign-in name", async () => {
    const address = newAddress();
    // Cognito HTML-escapes the temporary password before encrypting it.
    const event = senderEvent(
      "CustomEmailSender_AdminCreateUser",
      await cognitoCode(kms, "a&lt;b&amp;$&amp;{username}"),
      {
        email: address,
      },
    );
    await invoke(handlerWith(), event);
    const email = await onlyEmailTo(address);
    expect(email.body.text).toContain("a<b&$&{username}");
    expect(email.body.html).toContain("a&lt;b&amp;$&amp;{username}");
    expect(email.body.text).toContain(address);
    expect(email.body.text).not.toContain(event.userName);
  });

  it("delivers an email over 20,000 characters whole", async () => {
    const address = newAddress();
    const notice = `<p>${"Terms apply. ".repeat(2_000)}</p><p>END-OF-NOTICE</p>`;
    const longRenderer: MessageRenderer = (input) => {
      const message = renderMessage(input);
      return { ...message, html: message.html.replace("</body>", `${notice}</body>`) };
    };
    const event = senderEvent("CustomEmailSender_ForgotPassword", await cognitoCode(kms, "135790"), {
      email: address,
    });
    await invoke(handlerWith({ renderer: longRenderer }), event);

    const html = (await onlyEmailTo(address)).body.html ?? "";
    expect(html.length).toBeGreaterThan(20_000);
    expect(html).toContain("END-OF-NOTICE");
    expect(html).toContain("135790");
    // The custom message path could not have sent it: Cognito's limit.
    const input = messageInputFor(senderConfig, "forgotPassword", event.request, { codeParameter: "{####}" });
    expect(messageViolations(input, longRenderer(input))).toContainEqual(expect.stringMatching(/over 20000/));
  });

  it.each([
    ["a tampered ciphertext", async () => flipByte(await cognitoCode(kms, "975310"))],
    [
      "another pool in the encryption context",
      () => cognitoCode(kms, "975310", { "userpool-id": "us-east-1_Other" }),
    ],
    [
      "a ciphertext that is not an Encryption SDK message",
      async () => Buffer.from("975310").toString("base64"),
    ],
  ])("refuses %s: nothing sent, refusal logged without the code", async (_name, makeCode) => {
    const spies = [vi.spyOn(logger, "error"), vi.spyOn(logger, "warn"), vi.spyOn(logger, "info")];
    const address = newAddress();
    const event = senderEvent("CustomEmailSender_SignUp", await makeCode(), { email: address });

    await expect(invoke(handlerWith(), event)).rejects.toThrow();
    expect(await emailsTo(address)).toHaveLength(0);
    expect(spies[0]).toHaveBeenCalledWith(
      "code refused",
      expect.objectContaining({ reason: expect.any(String) }),
    );
    const logs = loggedText(spies);
    expect(logs).not.toContain("975310");
    expect(logs).not.toContain(event.request.code);
    expect(logs).not.toContain(address);
  });

  /** The attributes Cognito adds to an account take-over notification (threat protection). */
  const takeOverAttributes = (address: string, locale: string) => ({
    email: address,
    name: "Jane Doe",
    locale,
    EVENT_ID: "5e1f0c6a-7d3b-4f1e-9a0b-2c4d6e8f0a1b",
    USER_NAME: "jane",
    IP_ADDRESS: "192.0.2.44",
    ACCOUNT_TAKE_OVER_ACTION: "BLOCK",
    ONE_CLICK_LINK_VALID: "https://cognito-idp.us-east-1.amazonaws.com/feedback?token=valid-9f8e",
    ONE_CLICK_LINK_INVALID: "https://cognito-idp.us-east-1.amazonaws.com/feedback?token=invalid-7d6c",
    LOGIN_TIME: "Mon Nov 30 08:15:42 UTC 2026",
    FEEDBACK_TOKEN: "feedback-token-3a2b",
    CITY: "Lyon",
    COUNTRY: "France",
    DEVICE_NAME: "Chrome 131, Windows 10",
  });

  it.each([
    {
      locale: "en",
      subject: "Unusual sign-in to your Acme Cloud account",
      lines: [
        "When: Mon Nov 30 08:15:42 UTC 2026. Device: Chrome 131, Windows 10. Location: Lyon, France. IP address: 192.0.2.44.",
        "change your password now",
      ],
    },
    {
      locale: "de",
      subject: "Ungewöhnliche Anmeldung bei Ihrem Acme Cloud-Konto",
      lines: [
        "Zeitpunkt: Mon Nov 30 08:15:42 UTC 2026. Gerät: Chrome 131, Windows 10. Ort: Lyon, France. IP-Adresse: 192.0.2.44.",
        "ändern Sie jetzt Ihr Passwort",
      ],
    },
  ])(
    "account take-over notification ($locale): the branded notice arrives with the sign-in's details",
    async ({ locale, subject, lines }) => {
      const spies = (["error", "warn", "info"] as const).map((level) => vi.spyOn(logger, level));
      const address = newAddress();
      const event = senderEvent(
        "CustomEmailSender_AccountTakeOverNotification",
        null,
        takeOverAttributes(address, locale),
      );
      expect(await invoke(handlerWith(), structuredClone(event))).toEqual(event);

      const email = await onlyEmailTo(address);
      expect(email.subject).toBe(subject);
      for (const line of lines) {
        expect(email.body.text).toContain(line);
        expect(email.body.html).toContain(line);
      }
      expect(email.body.html).toContain(`lang="${locale}"`);
      expect(email.body.text).toContain("Jane Doe");
      // Nothing Cognito uses to take feedback ends up in the email we do not offer links for.
      expect(email.body.html).not.toContain("feedback-token-3a2b");
      expect(recorded.at(-1)).toMatchObject({
        channel: "email",
        triggerSource: "CustomEmailSender_AccountTakeOverNotification",
        userPoolId: poolId,
      });
      const logs = loggedText(spies);
      expect(logs).not.toContain(address);
      expect(logs).not.toContain("192.0.2.44");
      for (const spy of spies) spy.mockRestore();
    },
  );

  it("account take-over notification: parts the event lacks show as a dash, hostile values escaped", async () => {
    const address = newAddress();
    const { CITY: _city, DEVICE_NAME: _device, ...attributes } = takeOverAttributes(address, "en");
    const event = senderEvent("CustomEmailSender_AccountTakeOverNotification", null, {
      ...attributes,
      COUNTRY: "<b>France</b>",
    });
    await invoke(handlerWith(), event);
    const email = await onlyEmailTo(address);
    expect(email.body.text).toContain("Device: -. Location: <b>France</b>.");
    expect(email.body.html).toContain("Device: -. Location: &lt;b&gt;France&lt;/b&gt;.");
  });

  it("sends nothing to a user without an email address", async () => {
    const send = vi.fn();
    const event = senderEvent("CustomEmailSender_SignUp", await cognitoCode(kms, "111222"), {
      phone_number: "+15550100",
    });
    await invoke(handlerWith({ mailer: { send } }), event);
    expect(send).not.toHaveBeenCalled();
  });

  it("throws on a transient SES failure so Lambda retries, and drops a permanent one", async () => {
    const { MailError } = await import("@cognito-lifecycle/aws");
    const event = senderEvent("CustomEmailSender_SignUp", await cognitoCode(kms, "333444"), {
      email: newAddress(),
    });
    const transient = { send: vi.fn().mockRejectedValue(new MailError("throttled", false)) };
    await expect(invoke(handlerWith({ mailer: transient }), structuredClone(event))).rejects.toThrow();
    const permanent = { send: vi.fn().mockRejectedValue(new MailError("rejected", true)) };
    await expect(invoke(handlerWith({ mailer: permanent }), structuredClone(event))).resolves.toEqual(event);
  });

  it("refuses a malformed event naming the field", async () => {
    const event = senderEvent("CustomEmailSender_SignUp", "x", { email: newAddress() }, { userPoolId: "" });
    await expect(invoke(handlerWith(), event)).rejects.toThrow(/userPoolId/);
  });
});

function flipByte(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  const at = bytes.length - 40;
  bytes[at] = (bytes[at] as number) ^ 1;
  return bytes.toString("base64");
}
