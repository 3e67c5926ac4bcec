import { senderLimits } from "@cognito-lifecycle/aws/senders";
import {
  cognitoPlaceholders,
  customSenderEvent,
  fillPlaceholders,
  type MessageInput,
  messageViolations,
  parseEvent,
  unescapeTemporaryPassword,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import { senderConfig, senderEvent } from "./support.ts";

describe("sender event schema", () => {
  it("accepts cognito-local's shape: version 0 as a number, null maps, no callerContext", () => {
    const event = {
      ...senderEvent("CustomEmailSender_SignUp", "AYAD"),
      version: 0,
      callerContext: undefined,
    };
    event.request = { ...event.request, userAttributes: null as never };
    const parsed = parseEvent(customSenderEvent, event);
    expect(parsed.version).toBe("0");
    expect(parsed.request.userAttributes).toEqual({});
    expect(parsed.request.clientMetadata).toBeNull();
  });

  it("accepts an account take-over notification with code null", () => {
    const parsed = parseEvent(
      customSenderEvent,
      senderEvent("CustomEmailSender_AccountTakeOverNotification", null),
    );
    expect(parsed.request.code).toBeNull();
  });
});

describe("temporary password unescaping", () => {
  it.each([
    ["a&lt;b&gt;c", "a<b>c"],
    ["&quot;x&#39;", `"x'`],
    ["p&amp;lt;q", "p&lt;q"],
    ["plain$&1", "plain$&1"],
  ])("%s -> %s", (escaped, plain) => {
    expect(unescapeTemporaryPassword(escaped)).toBe(plain);
  });
});

describe("filling the placeholders", () => {
  const input: MessageInput = {
    kind: "adminCreateUser",
    locale: "en",
    branding: senderConfig.branding,
    codeParameter: cognitoPlaceholders.code,
    usernameParameter: cognitoPlaceholders.username,
  };
  const message = {
    subject: "Invitation",
    html: "<p>{username}</p><p>{####}</p>",
    text: "{username} / {####}",
    sms: "{username} {####}",
  };

  it("escapes the values in HTML only, in one pass", () => {
    const filled = fillPlaceholders(input, message, { code: "<{username}$&>", username: "ada@example.com" });
    expect(filled.html).toBe("<p>ada@example.com</p><p>&lt;{username}$&amp;&gt;</p>");
    expect(filled.text).toBe("ada@example.com / <{username}$&>");
    expect(filled.sms).toBe("ada@example.com <{username}$&>");
    expect(filled.subject).toBe("Invitation");
  });

  it("lifts only the 20,000-character limit for the sender path", () => {
    const long = { ...message, html: `${message.html}${"x".repeat(20_001)}` };
    expect(messageViolations(input, long)).toHaveLength(1);
    expect(messageViolations(input, long, senderLimits)).toEqual([]);
    expect(messageViolations(input, { ...long, sms: "no placeholders" }, senderLimits)).not.toEqual([]);
  });
});
