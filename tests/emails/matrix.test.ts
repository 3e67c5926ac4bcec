import { expectedPlaceholders, messageLimits } from "@cognito-lifecycle/core";
import {
  checkMessage,
  cognitoPlaceholders,
  htmlProblems,
  messageMatrix,
  renderMessage,
} from "@cognito-lifecycle/emails";
import { describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";

const count = (text: string, part: string) => text.split(part).length - 1;
const length = (text: string) => Array.from(text).length;

/**
 * Every kind x locale x name (none, plain, markup, 10,000 characters) x branding (configured,
 * worst case the schema allows): the guarantees Cognito and our users depend on.
 */
describe.each(messageMatrix(config).map((entry) => ({ ...entry, name: entry.label })))(
  "$name",
  ({ input }) => {
    const message = renderMessage(input);
    const expected = expectedPlaceholders(input.kind);

    it("has the code placeholder exactly where intended, and the username one for invitations", () => {
      for (const part of [message.html, message.text, message.sms]) {
        expect(count(part, cognitoPlaceholders.code)).toBe(expected.code);
        expect(count(part, cognitoPlaceholders.username)).toBe(expected.username);
      }
      expect(message.subject).not.toContain(cognitoPlaceholders.code);
    });

    it("stays within Cognito's limits", () => {
      expect(message.html.length).toBeLessThanOrEqual(messageLimits.emailChars);
      expect(length(message.subject)).toBeLessThanOrEqual(messageLimits.subjectChars);
      expect(length(message.sms)).toBeLessThanOrEqual(messageLimits.smsChars);
      for (const part of Object.values(message)) expect(part.trim()).not.toBe("");
    });

    it("is well-formed HTML with every user value escaped", () => {
      expect(htmlProblems(message.html)).toEqual([]);
      expect(message.html).not.toContain("<x-injected");
      expect(message.html).not.toContain('onclick="alert');
      expect(message.html).not.toMatch(/\{\{|\}\}/);
    });

    it("keeps every build rule, so the trigger's guard never swaps it for the plain message", () => {
      expect(checkMessage(input, message)).toEqual([]);
    });
  },
);
