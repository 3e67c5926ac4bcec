import {
  type CognitoMessageRule,
  cognitoMessageRules,
  type MessageInput,
  type MessageViolation,
  messageLimits,
  type RenderedMessage,
} from "@cognito-lifecycle/core";
import { allowedTokens, type Catalogs, type CopyKey, tokensOf } from "./catalog.ts";
import { htmlProblems } from "./html.ts";

/** The rules every message must keep: Cognito's (from core) and our templates'. */
export type Rule =
  | CognitoMessageRule
  | "placeholder-in-attribute"
  | "sms-headroom"
  | "html"
  | "unfilled-slot"
  | "catalog";

export type Violation = MessageViolation<Rule>;

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

/** Every rule, for one rendered message. Empty when the message is safe to hand to Cognito or SES. */
export function checkMessage(input: MessageInput, message: RenderedMessage): Violation[] {
  const violations: Violation[] = cognitoMessageRules(input, message);
  const add = (rule: Rule, text: string) => violations.push({ rule, message: text });
  const parts = { email: message.html, text: message.text, SMS: message.sms } as const;
  const smsLength = Array.from(message.sms).length;
  if (input.kind === "adminCreateUser" && smsLength > messageLimits.smsChars - smsHeadroom) {
    add(
      "sms-headroom",
      `SMS is ${smsLength} characters; an invitation SMS must leave ${smsHeadroom} for the real username and password`,
    );
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

  const leftovers = (body: string) =>
    [...body.matchAll(/\{\{[^{}]*\}\}|\{[A-Za-z]+\}/g)]
      .map((match) => match[0])
      .filter((token) => !placeholders.includes(token));
  for (const [part, body] of Object.entries({ subject: message.subject, ...parts })) {
    const tokens = leftovers(body);
    if (tokens.length > 0) add("unfilled-slot", `${part} still contains ${tokens.join(", ")}`);
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
