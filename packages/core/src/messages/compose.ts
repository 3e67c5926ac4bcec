import type { LifecycleConfig } from "../config/schema.ts";
import { chooseLocale } from "../i18n.ts";
import { displayName } from "../users.ts";
import { renderDefaultMessage } from "./default.ts";
import { escapeHtml, messageViolations } from "./guard.ts";
import {
  type MessageInput,
  type MessageKind,
  type MessageRenderer,
  messageLimits,
  type RenderedMessage,
} from "./types.ts";

/** Cognito's placeholders, which it (or, on the sender path, `fillPlaceholders`) replaces. */
export const cognitoPlaceholders = { code: "{####}", username: "{username}" } as const;

/**
 * What to render for a user: locale from client metadata, then the `locale` attribute, then
 * the default; the name and address from the attributes.
 */
export function messageInputFor(
  config: LifecycleConfig,
  kind: MessageKind,
  request: {
    userAttributes: Readonly<Record<string, string>>;
    clientMetadata?: Readonly<Record<string, string>> | null | undefined;
  },
  placeholders: { codeParameter: string; usernameParameter?: string | null | undefined },
): MessageInput {
  const { userAttributes, clientMetadata } = request;
  const name = displayName({ ...userAttributes });
  return {
    kind,
    locale: chooseLocale(
      [clientMetadata?.locale, userAttributes.locale],
      config.locales.supported,
      config.locales.default,
    ),
    branding: config.branding,
    codeParameter: placeholders.codeParameter,
    ...(kind === "adminCreateUser"
      ? { usernameParameter: placeholders.usernameParameter ?? cognitoPlaceholders.username }
      : {}),
    ...(name ? { name } : {}),
    ...(userAttributes.email ? { email: userAttributes.email } : {}),
  };
}

/**
 * Renders `input` and checks it against the rules; a renderer that throws or breaks a rule is
 * replaced by the plain default message, and `problems` says why (for the log).
 */
export function composeMessage(
  renderer: MessageRenderer,
  input: MessageInput,
  limits: { emailChars: number } = messageLimits,
): { message: RenderedMessage; problems: string[] } {
  let problems: string[];
  try {
    const message = renderer(input);
    problems = messageViolations(input, message, limits);
    if (problems.length === 0) return { message, problems };
  } catch (error) {
    problems = [`renderer failed: ${(error as Error)?.name ?? "Error"}`];
  }
  return { message: renderDefaultMessage(input), problems };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Does what Cognito does after a custom message answers, for the sender path: puts the real
 * code (and username) in place of the placeholders. Unlike Cognito, the HTML gets them
 * escaped, so a temporary password with `<` shows whole. Subjects never hold a placeholder.
 */
export function fillPlaceholders(
  input: MessageInput,
  message: RenderedMessage,
  values: { code: string; username?: string },
): RenderedMessage {
  const replacements = new Map<string, string>();
  if (input.codeParameter) replacements.set(input.codeParameter, values.code);
  if (input.usernameParameter) replacements.set(input.usernameParameter, values.username ?? "");
  const pattern = new RegExp([...replacements.keys()].map(escapeRegExp).join("|") || "(?!)", "g");
  // One pass with a function: a code containing `{username}` or `$&` stays as it is.
  const fill = (text: string, encode: (value: string) => string) =>
    text.replace(pattern, (placeholder) => encode(replacements.get(placeholder) ?? ""));
  const plain = (value: string) => value;
  return {
    subject: message.subject,
    html: fill(message.html, escapeHtml),
    text: fill(message.text, plain),
    sms: fill(message.sms, plain),
  };
}
