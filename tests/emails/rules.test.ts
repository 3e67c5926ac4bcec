import { defineConfig, type RenderedMessage } from "@cognito-lifecycle/core";
import {
  catalogs,
  checkCatalogs,
  checkMessage,
  htmlProblems,
  renderMessage,
  sampleInput,
} from "@cognito-lifecycle/emails";
import { describe, expect, it } from "vitest";

/** The checks the build and the matrix rely on must themselves catch each broken rule. */

const page = (body: string) =>
  `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;

describe("htmlProblems", () => {
  it("accepts MJML-style output: conditional comments, void elements, entities", () => {
    const html = page(
      `<!--[if mso | IE]><table><tr><td><![endif]--><div style="a:b"><img src="x.png" alt=""><br>&amp; &#8202; &#x1F600;</div><!--[if mso | IE]></td></tr></table><![endif]-->`,
    );
    expect(htmlProblems(html)).toEqual([]);
  });

  it.each([
    ["an unclosed element", page("<div><p>text</div>"), "closes <p>"],
    ["a stray <", page("<p>1 < 2</p>"), 'stray "<"'],
    ["a bare &", page("<p>Tom & Jerry</p>"), 'bare "&"'],
    ["a bare & in an attribute", page('<a href="/x?a=1&b=2">x</a>'), 'bare "&"'],
    ["an end tag for a void element", page("<br></br>"), "void element"],
    ["an element never closed", page("<table><tr><td>x</td></tr>"), "<table> opened"],
    ["a duplicate attribute", page('<p class="a" class="b">x</p>'), "duplicate attribute"],
    ["a script", page("<script>alert(1)</script>"), "not allowed"],
    ["no doctype", "<html><head></head><body></body></html>", "doctype"],
    [
      "markup in the title",
      "<!doctype html><html><head><title>a<b</title></head><body></body></html>",
      "<title>",
    ],
  ])("flags %s", (_label, html, problem) => {
    expect(htmlProblems(html).join("\n")).toContain(problem);
  });
});

describe("checkMessage", () => {
  const config = defineConfig({});
  const input = sampleInput("adminCreateUser", "en", config.branding, { name: "Ada" });
  const good = renderMessage(input);
  const rulesOf = (message: RenderedMessage) => checkMessage(input, message).map((v) => v.rule);

  it("accepts the rendered message", () => {
    expect(checkMessage(input, good)).toEqual([]);
  });

  it.each([
    ["code-placeholder", { ...good, sms: good.sms.replace("{####}", "") }],
    ["code-placeholder", { ...good, html: good.html.replace("{####}", "{####} {####}") }],
    ["username-placeholder", { ...good, html: good.html.replace("{username}", "") }],
    ["subject-placeholder", { ...good, subject: `${good.subject} {####}` }],
    ["email-size", { ...good, html: good.html.replace("</body>", `<p>${"x".repeat(20_000)}</p></body>`) }],
    ["subject-size", { ...good, subject: "s".repeat(141) }],
    ["sms-size", { ...good, sms: `${good.sms}${"s".repeat(140)}` }],
    ["sms-headroom", { ...good, sms: `${good.sms}${"s".repeat(50)}` }],
    ["empty-part", { ...good, text: " " }],
    ["html", { ...good, html: good.html.replace("</body>", "<div></body>") }],
    ["placeholder-in-attribute", { ...good, html: good.html.replace("<a ", '<a title="{####}" ') }],
    ["escaping", { ...good, html: good.html.replace("</body>", "<x-injected></x-injected></body>") }],
    ["unfilled-slot", { ...good, html: good.html.replace("</body>", "{{heading}}</body>") }],
  ] as const)("flags %s", (rule, message) => {
    expect(rulesOf(message)).toContain(rule);
  });

  it("flags a user value that reaches the HTML unescaped", () => {
    const hostile = { ...input, name: `Eve <img src=x onerror=alert(1)>` };
    const message = renderMessage(hostile);
    const broken = { ...message, html: message.html.replace("</body>", `${hostile.name}</body>`) };
    expect(checkMessage(hostile, broken).map((v) => v.rule)).toContain("escaping");
  });
});

describe("checkCatalogs", () => {
  it("flags a string using a token it may not, and an empty string", () => {
    const violations = checkCatalogs({
      en: { ...catalogs.en, "signUp.intro": "Your code is {code}" },
      xx: { "welcome.heading": " " },
    });
    expect(violations.map((v) => v.message)).toEqual([
      "en: signUp.intro uses {code} (allowed: {product})",
      "xx: welcome.heading is empty",
    ]);
  });
});
