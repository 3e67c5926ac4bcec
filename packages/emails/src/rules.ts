import {
  type MessageInput,
  type MessageKind,
  messageLimits,
  messageViolations,
  type RenderedMessage,
} from "@cognito-lifecycle/core";
import { allowedTokens, type Catalogs, type CopyKey, tokensOf } from "./catalog.ts";
import { htmlProblems } from "./html.ts";

/** The rules every message must keep; the build fails naming the template and the rule. */
export type Rule =
  | "code-placeholder"
  | "username-placeholder"
  | "placeholder-in-attribute"
  | "subject-placeholder"
  | "email-size"
  | "subject-size"
  | "sms-size"
  | "sms-headroom"
  | "empty-part"
  | "escaping"
  | "html"
  | "unfilled-slot"
  | "cognito-guard"
  | "catalog";

export interface Violation {
  rule: Rule;
  message: string;
}

/**
 * An invitation SMS carries the real username and temporary password in place of the
 * placeholders, both usually longer than them: its text leaves this many characters spare.
 */
export const smsHeadroom = 30;

/** The elements our templates produce. Anything else in a message was injected. */
const allowedElements = new Set([
  "html",
  "head",
  "title",
  "meta",
  "style",
  "body",
  "div",
  "table",
  "tbody",
  "tr",
  "td",
  "a",
  "img",
  "br",
  "p",
  "span",
]);

function occurrences(haystack: string, needle: string): number {
  return needle === "" ? 0 : haystack.split(needle).length - 1;
}

/** How many times each placeholder must appear in each part. */
export function expectedPlaceholders(kind: MessageKind): { code: number; username: number } {
  return { code: kind === "welcome" ? 0 : 1, username: kind === "adminCreateUser" ? 1 : 0 };
}

/** Every rule, for one rendered message. Empty when the message is safe to hand to Cognito or SES. */
export function checkMessage(input: MessageInput, message: RenderedMessage): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: Rule, text: string) => violations.push({ rule, message: text });
  const expected = expectedPlaceholders(input.kind);
  const parts = { email: message.html, text: message.text, SMS: message.sms } as const;

  for (const [rule, placeholder, count] of [
    ["code-placeholder", input.codeParameter ?? "{####}", expected.code],
    ["username-placeholder", input.usernameParameter ?? "{username}", expected.username],
  ] as const) {
    for (const [part, body] of Object.entries(parts)) {
      const found = occurrences(body, placeholder);
      if (found !== count) add(rule, `${part} has ${placeholder} ${found} times, expected ${count}`);
    }
    if (message.subject.includes(placeholder)) add("subject-placeholder", `subject contains ${placeholder}`);
  }

  if (message.html.length > messageLimits.emailChars) {
    add("email-size", `email is ${message.html.length} characters, over ${messageLimits.emailChars}`);
  }
  const subjectLength = Array.from(message.subject).length;
  if (subjectLength > messageLimits.subjectChars) {
    add("subject-size", `subject is ${subjectLength} characters, over ${messageLimits.subjectChars}`);
  }
  const smsLength = Array.from(message.sms).length;
  if (smsLength > messageLimits.smsChars) {
    add("sms-size", `SMS is ${smsLength} characters, over ${messageLimits.smsChars}`);
  }
  if (input.kind === "adminCreateUser" && smsLength > messageLimits.smsChars - smsHeadroom) {
    add(
      "sms-headroom",
      `SMS is ${smsLength} characters; an invitation SMS must leave ${smsHeadroom} for the real username and password`,
    );
  }
  for (const [part, body] of Object.entries({ subject: message.subject, ...parts })) {
    if (body.trim() === "") add("empty-part", `${part} is empty`);
  }

  const placeholders = [input.codeParameter, input.usernameParameter].filter((value): value is string =>
    Boolean(value),
  );
  const elements = new Set<string>();
  for (const problem of htmlProblems(message.html, {
    element(name, attributes) {
      elements.add(name);
      for (const [key, value] of attributes) {
        for (const placeholder of placeholders) {
          if (value.includes(placeholder)) {
            add(
              "placeholder-in-attribute",
              `<${name} ${key}> contains ${placeholder}: Cognito inserts the code unencoded`,
            );
          }
        }
      }
    },
  })) {
    add("html", problem);
  }
  for (const element of elements) {
    if (!allowedElements.has(element)) add("escaping", `email contains an unexpected <${element}> element`);
  }

  for (const [label, value] of [
    ["name", input.name],
    ["email address", input.email],
  ] as const) {
    const special = value ? value.search(/[<>&"'{}]/) : -1;
    if (!value || special === -1) continue;
    const shown = value.slice(Math.max(0, special - 6), special + 6);
    if (message.html.includes(shown)) add("escaping", `email contains the ${label} unescaped`);
  }

  const leftovers = (body: string) =>
    [...body.matchAll(/\{\{[^{}]*\}\}|\{[A-Za-z]+\}/g)]
      .map((match) => match[0])
      .filter((token) => !placeholders.includes(token));
  for (const [part, body] of Object.entries({ subject: message.subject, ...parts })) {
    const tokens = leftovers(body);
    if (tokens.length > 0) add("unfilled-slot", `${part} still contains ${tokens.join(", ")}`);
  }

  for (const problem of messageViolations(input, message)) {
    add("cognito-guard", `the trigger's guard would replace this message: ${problem}`);
  }
  return violations;
}

/** Catalog strings that use a token they may not, or are empty. */
export function checkCatalogs(all: Catalogs): Violation[] {
  const violations: Violation[] = [];
  for (const [locale, catalog] of Object.entries(all)) {
    for (const [key, text] of Object.entries(catalog) as [CopyKey, string | undefined][]) {
      if (!Object.hasOwn(all.en, key)) {
        violations.push({ rule: "catalog", message: `${locale}: ${key} is not a known string` });
        continue;
      }
      if (text === undefined) continue;
      if (text.trim() === "") {
        violations.push({ rule: "catalog", message: `${locale}: ${key} is empty` });
      }
      const allowed = allowedTokens(key);
      for (const token of tokensOf(text)) {
        if (!allowed.includes(token)) {
          violations.push({
            rule: "catalog",
            message: `${locale}: ${key} uses {${token}} (allowed: ${allowed.map((t) => `{${t}}`).join(" ") || "none"})`,
          });
        }
      }
    }
  }
  return violations;
}
