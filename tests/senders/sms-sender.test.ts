import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { logger, SnsSmsSender } from "@cognito-lifecycle/aws";
import { smsSenderKinds } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import {
  freePort,
  type LocalKms,
  localCredentials,
  localRegion,
  startLocalKms,
} from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler } from "../../functions/custom-sms-sender.ts";
import { invoke } from "../contract/support.ts";
import { cognitoCode, localDecryptor, senderConfig, senderEvent } from "./support.ts";

let kms: LocalKms;
const sns = new SNSClient({ region: localRegion, credentials: localCredentials });
const snsMock = mockClient(sns);
const recorded: unknown[] = [];

beforeAll(async () => {
  kms = await startLocalKms({ port: await freePort() });
});
afterAll(() => kms.stop());
beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: "sns-message-1" });
});

const handler = createHandler(() => ({
  config: senderConfig,
  decryptor: localDecryptor(kms),
  renderer: renderMessage,
  sms: new SnsSmsSender(sns),
  recorder: { record: async (sent) => void recorded.push(sent) },
  now: () => new Date("2026-11-30T00:00:00Z"),
}));

const phone = "+491701234567";
const sources = Object.keys(smsSenderKinds);

function published() {
  return snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe("custom SMS sender contract", () => {
  it.each(sources)(
    "%s: a transactional SMS with the real code, in the user's language, within 140 characters",
    async (source) => {
      const event = senderEvent(source, await cognitoCode(kms, "482913"), {
        phone_number: phone,
        locale: "es",
      });
      expect(await invoke(handler, structuredClone(event))).toEqual(event);

      const [sms] = published();
      expect(sms?.PhoneNumber).toBe(phone);
      expect(sms?.Message).toContain("482913");
      expect(sms?.Message).not.toContain("{####}");
      expect(Array.from(sms?.Message ?? "").length).toBeLessThanOrEqual(140);
      expect(sms?.MessageAttributes?.["AWS.SNS.SMS.SMSType"]?.StringValue).toBe("Transactional");
      expect(recorded.at(-1)).toMatchObject({
        channel: "sms",
        triggerSource: source,
        messageId: "sns-message-1",
      });
    },
  );

  it("uses the locale's catalog text", async () => {
    const english = senderEvent("CustomSMSSender_SignUp", await cognitoCode(kms, "482913"), {
      phone_number: phone,
    });
    const spanish = senderEvent("CustomSMSSender_SignUp", await cognitoCode(kms, "482913"), {
      phone_number: phone,
      locale: "es",
    });
    await invoke(handler, english);
    await invoke(handler, spanish);
    const [en, es] = published().map((input) => input.Message);
    expect(en).not.toBe(es);
  });

  it("puts the sign-in name and the unescaped temporary password in an invitation", async () => {
    const event = senderEvent("CustomSMSSender_AdminCreateUser", await cognitoCode(kms, "Pa&lt;ss&amp;1"), {
      phone_number: phone,
      email: "jane@example.com",
    });
    await invoke(handler, event);
    const [sms] = published();
    expect(sms?.Message).toContain("Pa<ss&1");
    expect(sms?.Message).toContain("jane@example.com");
  });

  it("sends nothing to a user without a phone number", async () => {
    await invoke(handler, senderEvent("CustomSMSSender_SignUp", await cognitoCode(kms, "482913"), {}));
    expect(published()).toHaveLength(0);
  });

  it("refuses a code for another pool without sending or logging it", async () => {
    const error = vi.spyOn(logger, "error");
    const event = senderEvent(
      "CustomSMSSender_SignUp",
      await cognitoCode(kms, "482913", { "userpool-id": "us-east-1_Other" }),
      { phone_number: phone },
    );
    await expect(invoke(handler, event)).rejects.toThrow();
    expect(published()).toHaveLength(0);
    expect(JSON.stringify(error.mock.calls)).not.toContain("482913");
    expect(JSON.stringify(error.mock.calls)).not.toContain(phone);
  });

  it("refuses a tampered code without sending, and logs the refusal without the code or the number", async () => {
    const error = vi.spyOn(logger, "error");
    const code = Buffer.from(await cognitoCode(kms, "482913"), "base64");
    const at = code.length - 40;
    code[at] = (code[at] as number) ^ 1;
    const event = senderEvent("CustomSMSSender_SignUp", code.toString("base64"), { phone_number: phone });
    await expect(invoke(handler, event)).rejects.toThrow();
    expect(published()).toHaveLength(0);
    expect(error).toHaveBeenCalledWith(
      "code refused",
      expect.objectContaining({ reason: expect.any(String) }),
    );
    const logged = JSON.stringify(error.mock.calls);
    expect(logged).not.toContain("482913");
    expect(logged).not.toContain(phone);
    expect(logged).not.toContain(event.request.code);
  });

  it("throws on throttling so Lambda retries, and drops an invalid number", async () => {
    const event = senderEvent("CustomSMSSender_SignUp", await cognitoCode(kms, "482913"), {
      phone_number: phone,
    });
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottledException" }));
    await expect(invoke(handler, structuredClone(event))).rejects.toThrow();
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error("Invalid number"), { name: "InvalidParameterException" }));
    await expect(invoke(handler, structuredClone(event))).resolves.toEqual(event);
  });
});
