import { customMessageKinds, defineConfig, type MessageRenderer } from "@cognito-lifecycle/core";
import { htmlProblems, renderMessage } from "@cognito-lifecycle/emails";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../functions/custom-message.ts";
import {
  type CustomMessageFixtureEvent,
  type CustomMessageSource,
  customMessage,
  customMessageSources,
} from "../contract/fixtures/custom-message.ts";

const config = defineConfig({
  branding: { productName: "Nimbus", appUrl: "https://app.example.com", supportEmail: "help@example.com" },
  locales: { default: "es", supported: ["en", "de", "es"] },
});
const handler = createHandler(config, renderMessage);

async function invoke(
  event: CustomMessageFixtureEvent,
  trigger: ReturnType<typeof createHandler> = handler,
): Promise<CustomMessageFixtureEvent> {
  return (await trigger(event as never)) as unknown as CustomMessageFixtureEvent;
}

const headings: Record<CustomMessageSource, string> = {
  CustomMessage_SignUp: "Confirm your email address",
  CustomMessage_AdminCreateUser: "You&#39;re invited to Nimbus",
  CustomMessage_ResendCode: "Here&#39;s your new code",
  CustomMessage_ForgotPassword: "Reset your password",
  CustomMessage_UpdateUserAttribute: "Confirm your new email address",
  CustomMessage_VerifyUserAttribute: "Verify your email address",
  CustomMessage_Authentication: "Your sign-in code",
};

describe("custom message trigger", () => {
  it.each(customMessageSources)("%s answers with the branded email, subject and SMS", async (source) => {
    const event = customMessage(source, { name: "Ada Lovelace", clientMetadata: { locale: "en" } });
    const { response, request } = await invoke(event);
    const html = response.emailMessage ?? "";
    expect(html).toContain(headings[source]);
    expect(html).toContain(">Nimbus</a>");
    expect(html).toContain("Hi Ada Lovelace,");
    expect(htmlProblems(html)).toEqual([]);
    expect(response.emailSubject).toContain("Nimbus");
    expect(response.smsMessage).toMatch(/^Nimbus: /);
    const kind = customMessageKinds[source];
    const expected = renderMessage({
      kind,
      locale: "en",
      branding: config.branding,
      codeParameter: request.codeParameter,
      ...(kind === "adminCreateUser" ? { usernameParameter: "{username}" } : {}),
      name: "Ada Lovelace",
      email: request.userAttributes.email ?? "",
    });
    expect(response).toEqual({
      emailSubject: expected.subject,
      emailMessage: expected.html,
      smsMessage: expected.sms,
    });
  });

  it.each([
    ["client metadata first", { locale: "de" }, { locale: "es" }, "Bestätigen Sie Ihr Nimbus-Konto"],
    ["then the locale attribute", null, { locale: "de-CH" }, "Bestätigen Sie Ihr Nimbus-Konto"],
    ["then the default", null, {}, "Confirma tu cuenta de Nimbus"],
    [
      "an unsupported request falls to the attribute",
      { locale: "fr" },
      { locale: "en" },
      "Confirm your Nimbus account",
    ],
  ])("chooses the language: %s", async (_label, clientMetadata, attributes, subject) => {
    const event = customMessage("CustomMessage_SignUp", { clientMetadata, attributes });
    expect((await invoke(event)).response.emailSubject).toBe(subject);
  });

  it("escapes a hostile name and keeps the code when the name is 10,000 characters", async () => {
    const name = `<img src=x onerror=alert(1)>${"<".repeat(10_000)}`;
    const { response } = await invoke(customMessage("CustomMessage_ForgotPassword", { name }));
    expect(response.emailMessage).not.toContain("<img");
    expect(response.emailMessage).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(response.emailMessage).toContain("{####}");
    expect((response.emailMessage ?? "").length).toBeLessThanOrEqual(20_000);
  });

  it("falls back to a plain message that keeps Cognito's rules when the renderer fails", async () => {
    const broken: MessageRenderer = () => {
      throw new Error("template missing");
    };
    const event = customMessage("CustomMessage_AdminCreateUser", { clientMetadata: { locale: "en" } });
    const { response } = await invoke(event, createHandler(config, broken));
    expect(response.emailMessage).toContain("{####}");
    expect(response.emailMessage).toContain("{username}");
    expect(response.smsMessage).toContain("{####}");
    expect(response.emailSubject).toBe("You're invited to Nimbus");
  });

  it("falls back when the branded message drops the code placeholder", async () => {
    const careless: MessageRenderer = (input) => ({
      ...renderMessage(input),
      sms: "Nimbus: check your email",
    });
    const event = customMessage("CustomMessage_SignUp", { clientMetadata: { locale: "en" } });
    const { response } = await invoke(event, createHandler(config, careless));
    expect(response.smsMessage).toContain("{####}");
  });
});
