import { defineConfig, type MessageInput } from "@cognito-lifecycle/core";
import {
  appLink,
  catalogs,
  createRenderer,
  palette,
  renderMessage,
  sampleInput,
  sampleNames,
} from "@cognito-lifecycle/emails";
import { describe, expect, it } from "vitest";
import { compiledTemplates } from "../../packages/emails/generated/templates.ts";

const config = defineConfig({
  branding: {
    productName: "Nimbus",
    appUrl: "https://app.example.com/portal",
    colours: { primary: "#8250df", background: "#fbf7ff", text: "#24292f" },
    supportEmail: "help@example.com",
    footerLines: ["Nimbus GmbH, Beispielweg 1, Berlin", "Registered in <Berlin> & elsewhere"],
  },
});

const input = (overrides: Partial<MessageInput> = {}): MessageInput => ({
  ...sampleInput("signUp", "en", config.branding, { name: "Ada Lovelace", email: "ada+test@example.com" }),
  ...overrides,
});

describe("branding", () => {
  it("shows the product, colours, support address and footer lines from the config", () => {
    const { html, text, subject } = renderMessage(input());
    expect(subject).toBe("Confirm your Nimbus account");
    expect(html).toContain(">Nimbus</a>");
    expect(html).toContain("background-color:#fbf7ff");
    expect(html).toContain("background:#8250df");
    expect(html).toContain('href="mailto:help@example.com"');
    expect(html).toContain("Registered in &lt;Berlin&gt; &amp; elsewhere");
    expect(text).toContain("Questions? Write to us at help@example.com");
    expect(text).toContain("Registered in <Berlin> & elsewhere");
  });

  it("shows the logo, linked to the app, only when one is configured", () => {
    const withLogo = { ...config.branding, logoUrl: "https://cdn.example.com/logo.png?v=2&dark=1" };
    const logo = renderMessage(input({ branding: withLogo })).html;
    expect(logo).toContain('src="https://cdn.example.com/logo.png?v=2&amp;dark=1"');
    expect(logo).toContain('alt="Nimbus"');
    expect(renderMessage(input()).html).not.toContain("<img");
  });

  it("picks a readable button label colour for light and dark primaries", () => {
    expect(palette({ primary: "#ffd33d" }).onPrimary).toBe("#111111");
    expect(palette({ primary: "#0b3d91" }).onPrimary).toBe("#ffffff");
  });
});

describe("links", () => {
  it("point into the app with the email URL-encoded, never with the code", () => {
    const { html, text } = renderMessage(input());
    const link = "https://app.example.com/portal/confirm?email=ada%2Btest%40example.com";
    expect(html).toContain(`href="${link}"`);
    expect(text).toContain(`Open Nimbus: ${link}`);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).not.toContain("{####}");
  });

  it("encode characters that are unsafe in a URL", () => {
    const url = appLink("https://app.example.com/", "/reset-password", { email: `a&b=c #{####}@x.io` });
    expect(url).toBe("https://app.example.com/reset-password?email=a%26b%3Dc+%23%7B%23%23%23%23%7D%40x.io");
  });

  it("leave the button out of the sign-in code email", () => {
    const { html } = renderMessage(input({ kind: "authentication" }));
    expect(html).not.toContain("https://app.example.com/portal/");
  });
});

describe("user values", () => {
  it("truncates a 10,000-character name with an ellipsis and keeps the code", () => {
    const { html, text, sms } = renderMessage(input({ name: "A".repeat(10_000) }));
    expect(text).toContain(`Hi ${"A".repeat(63)}…,`);
    expect(html).toContain(`Hi ${"A".repeat(63)}…,`);
    expect(html).toContain("{####}");
    expect(sms).toContain("{####}");
  });

  it("escapes markup, quotes and placeholder look-alikes in a name", () => {
    const { html, text } = renderMessage(input({ name: `<b onclick="x">Eve</b> & 'Bo' {####}` }));
    expect(html).toContain(
      "Hi &lt;b onclick=&quot;x&quot;&gt;Eve&lt;/b&gt; &amp; &#39;Bo&#39; &#123;####&#125;,",
    );
    expect(text).toContain(`Hi <b onclick="x">Eve</b> & 'Bo' (####),`);
    expect(html.split("{####}")).toHaveLength(2);
    expect(renderMessage(input({ name: sampleNames.markup })).html).not.toContain("<x-injected");
  });

  it("greets without a name when there is none", () => {
    expect(renderMessage(input({ name: undefined })).text).toContain("\nHi,\n");
  });
});

describe("locales", () => {
  it.each([
    ["en", "Confirm your Nimbus account", "Hi Ada Lovelace,"],
    ["de", "Bestätigen Sie Ihr Nimbus-Konto", "Hallo Ada Lovelace,"],
    ["es", "Confirma tu cuenta de Nimbus", "Hola, Ada Lovelace:"],
    ["de-AT", "Bestätigen Sie Ihr Nimbus-Konto", "Hallo Ada Lovelace,"],
  ])("%s", (locale, subject, greeting) => {
    const { subject: actual, html } = renderMessage(input({ locale }));
    expect(actual).toBe(subject);
    expect(html).toContain(greeting);
    expect(html).toContain(`lang="${locale.slice(0, 2)}"`);
  });

  it("has every string translated into German and Spanish", () => {
    for (const locale of ["de", "es"]) {
      expect(Object.keys(catalogs[locale] ?? {}).sort()).toEqual(Object.keys(catalogs.en).sort());
    }
  });

  it("falls back to English string by string, never to an empty message", () => {
    const render = createRenderer(compiledTemplates, {
      ...catalogs,
      de: { ...catalogs.de, "signUp.heading": undefined, "signUp.note": "" },
    });
    const { html, subject } = render(input({ locale: "de" }));
    expect(subject).toBe("Bestätigen Sie Ihr Nimbus-Konto");
    expect(html).toContain("Confirm your email address");
    expect(html).toContain("If you didn&#39;t sign up for Nimbus, you can ignore this email.");
    expect(html).toContain("Danke für Ihre Registrierung bei Nimbus.");
  });

  it("uses English for a locale without a catalog", () => {
    const { subject, html } = renderMessage(input({ locale: "fr" }));
    expect(subject).toBe("Confirm your Nimbus account");
    expect(html).toContain('lang="en"');
  });
});

describe("message kinds", () => {
  it("gives an invitation the username and the temporary password, each once", () => {
    const invite = input({ kind: "adminCreateUser", usernameParameter: "{username}" });
    const { html, text, sms } = renderMessage(invite);
    expect(text).toContain("Username: {username}\nTemporary password: {####}");
    expect(sms).toBe("Nimbus: you're invited. Username: {username} Temporary password: {####}");
    expect(html.split("{username}")).toHaveLength(2);
    expect(html).toContain('href="https://app.example.com/portal/sign-in?email=ada%2Btest%40example.com"');
  });

  it("welcomes a user with their address and a link to the app, without any code", () => {
    const welcome = input({ kind: "welcome", codeParameter: undefined, locale: "de" });
    const { subject, html, text } = renderMessage(welcome);
    expect(subject).toBe("Willkommen bei Nimbus");
    expect(html).toContain("Sie haben sich mit ada+test@example.com registriert.");
    expect(html).toContain('href="https://app.example.com/portal"');
    expect(text).toContain("Jetzt loslegen: https://app.example.com/portal");
    expect(html).not.toContain("{####}");
  });

  it("writes a distinct subject and SMS for each of the seven Cognito kinds", () => {
    const kinds = [
      "signUp",
      "adminCreateUser",
      "resendCode",
      "forgotPassword",
      "updateUserAttribute",
      "verifyUserAttribute",
      "authentication",
    ] as const;
    const subjects = new Set(kinds.map((kind) => renderMessage(input({ kind })).subject));
    expect(subjects.size).toBe(kinds.length);
    expect(renderMessage(input({ kind: "forgotPassword" })).sms).toBe(
      "Nimbus: your password reset code is {####}",
    );
  });
});
