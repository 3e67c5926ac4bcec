import { randomUUID } from "node:crypto";
import {
  customMessageEvent,
  preSignUpEvent,
  preTokenEvent,
  type TriggerName,
} from "@cognito-lifecycle/bench";
import {
  MalformedEventError,
  messageLimits,
  triggerSources,
  UserFacingError,
  userMessage,
} from "@cognito-lifecycle/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instrumentedTriggers } from "../reliability/support.ts";
import { anyText, eventArbitrary, longText, markup, sourceOf } from "./support.ts";

/**
 * Property-based tests over trigger events. Whatever Cognito (or something pretending to be it)
 * sends, a trigger answers with the whole event or fails with a clear error (a user-facing
 * refusal or a MalformedEventError naming the bad fields), never with a crash, and a refused
 * event writes nothing.
 */
const triggers = instrumentedTriggers();

const writes = ["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"];
const writeCount = () =>
  writes.reduce((sum, command) => sum + triggers.instrumented.counter.count("dynamodb", command), 0);

/** Runs the trigger; returns what a caller would see. */
async function outcomeOf(trigger: TriggerName, event: Record<string, unknown>) {
  const before = writeCount();
  try {
    const result = await triggers.handlers[trigger](structuredClone(event) as never);
    return { result, writes: writeCount() - before };
  } catch (error) {
    return { error: error as Error, writes: writeCount() - before };
  }
}

// Triggers that call the table run fewer cases than those that do not.
const runs: Record<TriggerName, number> = {
  "pre-sign-up": 150,
  "custom-message": 150,
  "post-confirmation": 40,
  "pre-token-generation": 40,
  "post-authentication": 40,
  "user-migration": 40,
};

describe("malformed and hostile events", () => {
  for (const trigger of Object.keys(sourceOf) as (keyof typeof sourceOf)[]) {
    it(`${trigger}: answers or fails with a clear error, and writes nothing when it refuses`, async () => {
      await fc.assert(
        fc.asyncProperty(eventArbitrary(trigger, { malformed: true }), async (event) => {
          const outcome = await outcomeOf(trigger, event);
          if (outcome.result) {
            // The whole event comes back, with a response object.
            expect(outcome.result.triggerSource).toBe(event.triggerSource);
            expect(typeof outcome.result.response).toBe("object");
            expect(outcome.result.response).not.toBeNull();
            return;
          }
          const { error } = outcome;
          expect(error instanceof UserFacingError || error instanceof MalformedEventError).toBe(true);
          // "Temporarily unavailable" means something broke inside: the store is up in this test.
          if (error instanceof UserFacingError) expect(error.key).not.toBe("temporarilyUnavailable");
          if (error instanceof MalformedEventError) expect(error.issues.length).toBeGreaterThan(0);
          expect(outcome.writes).toBe(0);
        }),
        { numRuns: runs[trigger] },
      );
    });

    it(`${trigger}: a well-formed event with hostile values is answered (or refused by policy)`, async () => {
      await fc.assert(
        fc.asyncProperty(eventArbitrary(trigger, { malformed: false }), async (event) => {
          const outcome = await outcomeOf(trigger, event);
          if (outcome.result) {
            expect(outcome.result.response).toEqual(expect.any(Object));
            return;
          }
          // Only pre sign-up refuses a well-formed event (its policy); none may fail inside.
          expect(trigger).toBe("pre-sign-up");
          expect(outcome.error).toBeInstanceOf(UserFacingError);
          expect((outcome.error as UserFacingError).key).not.toBe("temporarilyUnavailable");
          expect(outcome.writes).toBe(0);
        }),
        { numRuns: runs[trigger] },
      );
    });
  }
});

describe("custom messages stay within Cognito's limits and escape what users write", () => {
  it("every source, any name, email and locale", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...triggerSources.customMessage),
        fc.tuple(markup, fc.oneof(anyText, longText)).map(([payload, rest]) => `${payload}${rest}`),
        fc.oneof(
          anyText,
          longText,
          markup.map((payload) => `${payload}@example.com`),
        ),
        fc.oneof(fc.constantFrom("en", "de", "es", "pt-BR", "xx"), anyText),
        async (source, name, email, locale) => {
          const event = customMessageEvent({ sub: "message-user", email, name, locale }, source);
          const result = await triggers.handlers["custom-message"](event);
          const response = result.response as {
            emailMessage: string;
            emailSubject: string;
            smsMessage: string;
          };
          expect(response.emailMessage.length).toBeLessThanOrEqual(messageLimits.emailChars);
          expect(Array.from(response.emailSubject).length).toBeLessThanOrEqual(messageLimits.subjectChars);
          expect(Array.from(response.smsMessage).length).toBeLessThanOrEqual(messageLimits.smsChars);
          expect(response.emailMessage).toContain("{####}");
          expect(response.smsMessage).toContain("{####}");
          if (source === "CustomMessage_AdminCreateUser") {
            expect(response.emailMessage).toContain("{username}");
            expect(response.smsMessage).toContain("{username}");
          }
          // No markup a user wrote reaches the HTML as markup.
          for (const raw of ["<script", "<img", "<a href='javascript"]) {
            if (name.includes(raw) || email.includes(raw)) expect(response.emailMessage).not.toContain(raw);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("addresses longer than DynamoDB can index", () => {
  // 64 + 253 characters of a 4-byte CJK script: canonical (NFKC), 1,269 UTF-8 bytes, over the 1,024-byte index key limit.
  const wide = "\u{20000}";
  const email = `${wide.repeat(64)}@${wide.repeat(120)}.${wide.repeat(128)}.cn`;

  it("pre sign-up refuses the 317-character address: over the 254 characters an address may have", async () => {
    const user = { sub: randomUUID(), email };
    await expect(triggers.handlers["pre-sign-up"](preSignUpEvent(user))).rejects.toThrow(
      userMessage("invalidEmail", "en"),
    );
  });

  it("a user who has such an address in Cognito (set by an admin or an IdP) still gets a record and tokens", async () => {
    const user = { sub: randomUUID(), email };
    const result = await triggers.handlers["pre-token-generation"](preTokenEvent(user));
    expect(result.response).toBeDefined();
    expect(await triggers.instrumented.runtime.store.get(user.sub)).toBeDefined();
  });
});
