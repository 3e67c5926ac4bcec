import {
  codelessKinds,
  type MessageInput,
  type MessageKind,
  messageLimits,
  type RenderedMessage,
} from "./types.ts";

const htmlEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] as string);
}

/** Shortens to at most `max` characters (code points), ending in an ellipsis when cut. */
export function truncate(value: string, max: number): string {
  const characters = Array.from(value);
  if (characters.length <= max) return value;
  return `${characters.slice(0, Math.max(0, max - 1)).join("")}…`;
}

function count(haystack: string, needle: string): number {
  return needle === "" ? 0 : haystack.split(needle).length - 1;
}

/** The rules Cognito's messages must keep, by name; the emails build adds its template rules. */
export type CognitoMessageRule =
  | "code-placeholder"
  | "username-placeholder"
  | "subject-placeholder"
  | "email-size"
  | "subject-size"
  | "sms-size"
  | "empty-part"
  | "escaping";

export interface MessageViolation<R extends string = CognitoMessageRule> {
  rule: R;
  message: string;
}

/**
 * How many times each placeholder must appear in the email, text and SMS: the code once (Cognito
 * refuses a message without it, and twice shows it twice), the username once in invitations.
 */
export function expectedPlaceholders(kind: MessageKind): { code: number; username: number } {
  return { code: codelessKinds.includes(kind) ? 0 : 1, username: kind === "adminCreateUser" ? 1 : 0 };
}

/**
 * Cognito's rules for a custom message, defined once: the trigger's guard falls back to the
 * plain message on any of them, and the emails build fails on them. Empty when safe. The custom
 * sender path, which sends the email itself, passes an unlimited `emailChars`; every other rule stays.
 */
export function cognitoMessageRules(
  input: MessageInput,
  message: RenderedMessage,
  limits: { emailChars: number } = messageLimits,
): MessageViolation[] {
  const violations: MessageViolation[] = [];
  const add = (rule: CognitoMessageRule, text: string) => violations.push({ rule, message: text });
  const expected = expectedPlaceholders(input.kind);
  const parts = { email: message.html, text: message.text, SMS: message.sms } as const;
  for (const [rule, placeholder, wanted] of [
    ["code-placeholder", input.codeParameter ?? "{####}", expected.code],
    ["username-placeholder", input.usernameParameter ?? "{username}", expected.username],
  ] as const) {
    for (const [part, body] of Object.entries(parts)) {
      const found = count(body, placeholder);
      if (found !== wanted) add(rule, `${part} has ${placeholder} ${found} times, expected ${wanted}`);
    }
    if (message.subject.includes(placeholder)) add("subject-placeholder", `subject contains ${placeholder}`);
  }
  if (message.html.length > limits.emailChars) {
    add("email-size", `email is ${message.html.length} characters, over ${limits.emailChars}`);
  }
  const subjectLength = Array.from(message.subject).length;
  if (subjectLength > messageLimits.subjectChars) {
    add("subject-size", `subject is ${subjectLength} characters, over ${messageLimits.subjectChars}`);
  }
  const smsLength = Array.from(message.sms).length;
  if (smsLength > messageLimits.smsChars) {
    add("sms-size", `SMS is ${smsLength} characters, over ${messageLimits.smsChars}`);
  }
  for (const [part, body] of Object.entries({ subject: message.subject, ...parts })) {
    if (body.trim() === "") add("empty-part", `${part} is empty`);
  }
  for (const [label, value] of [
    ["name", input.name],
    ["email address", input.email],
  ] as const) {
    // A user value with markup or braces must reach the HTML escaped; look for it around the
    // first special character, so a shortened value is caught too.
    const special = value ? value.search(/[<>&"'{}]/) : -1;
    if (!value || special === -1) continue;
    const shown = value.slice(Math.max(0, special - 6), special + 6);
    if (message.html.includes(shown)) add("escaping", `email contains the ${label} unescaped`);
  }
  return violations;
}

/** The broken rules as sentences for the log; empty when the message is safe to hand to Cognito. */
export function messageViolations(
  input: MessageInput,
  message: RenderedMessage,
  limits: { emailChars: number } = messageLimits,
): string[] {
  return cognitoMessageRules(input, message, limits).map((violation) => violation.message);
}
