import { type MessageInput, messageLimits, type RenderedMessage } from "./types.ts";

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

/**
 * Every rule Cognito enforces on a custom message, plus ours. Returns the broken rules, empty
 * when the message is safe to hand to Cognito. The custom sender path, which sends the email
 * itself, passes an unlimited `emailChars`; every other rule stays.
 */
export function messageViolations(
  input: MessageInput,
  message: RenderedMessage,
  limits: { emailChars: number } = messageLimits,
): string[] {
  const problems: string[] = [];
  const { codeParameter, usernameParameter } = input;
  if (message.html.length > limits.emailChars) {
    problems.push(`email is ${message.html.length} characters, over ${limits.emailChars}`);
  }
  if (Array.from(message.subject).length > messageLimits.subjectChars) {
    problems.push(`subject is over ${messageLimits.subjectChars} characters`);
  }
  if (Array.from(message.sms).length > messageLimits.smsChars) {
    problems.push(`SMS is over ${messageLimits.smsChars} characters`);
  }
  if (message.subject.trim() === "" || message.text.trim() === "" || message.html.trim() === "") {
    problems.push("a part is empty");
  }
  if (codeParameter) {
    for (const [part, body] of [
      ["email", message.html],
      ["text", message.text],
      ["SMS", message.sms],
    ] as const) {
      if (count(body, codeParameter) < 1) problems.push(`${part} lacks the code placeholder`);
    }
    if (message.subject.includes(codeParameter)) problems.push("subject contains the code placeholder");
  }
  if (usernameParameter) {
    if (count(message.html, usernameParameter) < 1) problems.push("email lacks the username placeholder");
    if (count(message.sms, usernameParameter) < 1) problems.push("SMS lacks the username placeholder");
  }
  for (const value of [input.name, input.email]) {
    if (value && /[<>&"']/.test(value) && message.html.includes(value)) {
      problems.push("email contains unescaped user input");
    }
  }
  return problems;
}
