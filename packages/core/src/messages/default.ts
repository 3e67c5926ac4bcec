import { escapeHtml, truncate } from "./guard.ts";
import type { MessageInput, MessageKind, MessageRenderer } from "./types.ts";

const copy: Record<MessageKind, { subject: string; lead: string }> = {
  signUp: { subject: "Confirm your {product} account", lead: "Your confirmation code is" },
  adminCreateUser: { subject: "You're invited to {product}", lead: "Your temporary password is" },
  resendCode: { subject: "Your {product} confirmation code", lead: "Your confirmation code is" },
  forgotPassword: { subject: "Reset your {product} password", lead: "Your password reset code is" },
  updateUserAttribute: { subject: "Confirm your new {product} email", lead: "Your verification code is" },
  verifyUserAttribute: { subject: "Verify your {product} email", lead: "Your verification code is" },
  authentication: { subject: "Your {product} sign-in code", lead: "Your sign-in code is" },
  welcome: { subject: "Welcome to {product}", lead: "Your account is ready." },
  accountTakeOver: {
    subject: "Unusual sign-in to your {product} account",
    lead: "We noticed a sign-in to your account that looked unusual. If it was not you, change your password.",
  },
};

/** A plain, correct message set; the emails package replaces it with branded templates. */
export const renderDefaultMessage: MessageRenderer = (input: MessageInput) => {
  const product = truncate(input.branding.productName, 60);
  const entry = copy[input.kind];
  const subject = entry.subject.replace("{product}", product);
  const greeting = input.name ? `Hello ${truncate(input.name, 80)},` : "Hello,";
  const username = input.usernameParameter ? `Your username is ${input.usernameParameter}. ` : "";
  const code = input.codeParameter ? `${entry.lead} ${input.codeParameter}` : entry.lead;
  const text = `${greeting}\n\n${username}${code}\n\n${product}`;
  const html = `<!doctype html><html><body style="font-family:sans-serif"><p>${escapeHtml(greeting)}</p><p>${escapeHtml(username)}${escapeHtml(entry.lead)} <strong>${input.codeParameter ?? ""}</strong></p><p>${escapeHtml(product)}</p></body></html>`;
  const sms = truncate(`${product}: ${username}${code}`, 140);
  return { subject, html, text, sms };
};
