import { defineConfig, MalformedEventError } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../functions/custom-message.ts";
import { checkIam } from "../support/iam.ts";
import {
  type CustomMessageFixtureEvent,
  customMessage,
  customMessageFixtures,
} from "./fixtures/custom-message.ts";
import { clone, expectOnlyResponseChanged, invoke } from "./support.ts";

const customMessageConfig = defineConfig({ branding: { productName: "Acme Cloud" } });
checkIam(customMessageConfig);
const handler = createHandler(customMessageConfig, renderMessage);

/** Cognito counts characters, not UTF-16 units. */
const length = (text: string) => Array.from(text).length;

function checkMessage(event: CustomMessageFixtureEvent, result: CustomMessageFixtureEvent) {
  expectOnlyResponseChanged(event, result);
  const { emailMessage, smsMessage, emailSubject } = result.response;
  for (const part of [emailMessage, smsMessage, emailSubject]) {
    expect(part).toBeTypeOf("string");
    expect((part ?? "").trim()).not.toBe("");
  }
  const { codeParameter, usernameParameter } = event.request;
  expect(emailMessage).toContain(codeParameter);
  expect(smsMessage).toContain(codeParameter);
  if (event.triggerSource === "CustomMessage_AdminCreateUser") {
    // Without both placeholders Cognito silently sends its default invitation instead.
    expect(emailMessage).toContain(usernameParameter ?? "{username}");
    expect(smsMessage).toContain(usernameParameter ?? "{username}");
  }
  expect(length(emailMessage ?? "")).toBeLessThanOrEqual(20_000);
  expect(length(smsMessage ?? "")).toBeLessThanOrEqual(140);
  expect(length(emailSubject ?? "")).toBeLessThanOrEqual(140);
}

describe("custom message contract", () => {
  it.each(customMessageFixtures)("$name: subject, email and SMS within Cognito's rules", async (fixture) => {
    const event = fixture.build();
    checkMessage(event, await invoke(handler, clone(event)));
  });

  it.each(customMessageFixtures)(
    "$name: user-provided values are escaped and kept short",
    async (fixture) => {
      const hostile = `<script>alert("x")</script> & ${"Ω".repeat(3000)}`;
      const event = fixture.build({ name: hostile, email: `o'brien+<b>@example.com` });
      const result = await invoke(handler, clone(event));
      checkMessage(event, result);
      expect(result.response.emailMessage).not.toContain("<script>");
      expect(result.response.emailMessage).not.toContain("<b>@example.com");
    },
  );

  it("returns an event with an unknown trigger source unchanged", async () => {
    const event = { ...customMessage("CustomMessage_SignUp"), triggerSource: "CustomMessage_Future" };
    expect(await invoke(handler, clone(event))).toEqual(event);
  });

  it("refuses an event without a code placeholder with an error naming the field", async () => {
    const event = customMessage("CustomMessage_ForgotPassword");
    Reflect.deleteProperty(event.request, "codeParameter");
    const error = await invoke(handler, event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toContain("request.codeParameter");
  });
});
