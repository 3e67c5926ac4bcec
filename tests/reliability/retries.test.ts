import { randomUUID } from "node:crypto";
import {
  type CognitoEvent,
  customMessageEvent,
  postAuthenticationEvent,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
  type TriggerName,
} from "@cognito-lifecycle/bench";
import { newUserRecord } from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import { emailsTo } from "../support/aws.ts";
import { instrumentedTriggers, relayEvents, reliabilityConfig, uniqueUser, userState } from "./support.ts";

/**
 * Cognito retries a trigger that times out and may run two invocations for the same user at
 * once. Each trigger here gets one event three times in a row and another ten times at once, as
 * Cognito would send them (a fresh copy each time): every answer must be the same, and the
 * user must end up with one record and at most one welcome email.
 */
const triggers = instrumentedTriggers();

/** The answers to `event` sent 3 times in sequence, then to `concurrent` sent 10 times at once. */
async function retried(trigger: TriggerName, event: CognitoEvent, concurrent: CognitoEvent) {
  const copy = (value: CognitoEvent) => structuredClone(value);
  const sequential: CognitoEvent[] = [];
  for (let attempt = 0; attempt < 3; attempt++)
    sequential.push(await triggers.handlers[trigger](copy(event)));
  const parallel = await Promise.all(
    Array.from({ length: 10 }, () => triggers.handlers[trigger](copy(concurrent))),
  );
  return { sequential, parallel };
}

function expectSameAnswers(answers: CognitoEvent[]) {
  const [first, ...rest] = answers;
  for (const answer of rest) expect(answer).toEqual(first);
}

async function seedRecord(user: { sub: string; email: string; name: string }) {
  const now = new Date().toISOString();
  const record = newUserRecord(reliabilityConfig, {
    sub: user.sub,
    username: user.sub,
    attributes: { email: user.email, email_verified: "true", name: user.name },
    source: "sign-up",
    now,
    confirmed: true,
    triggerSource: "PostConfirmation_ConfirmSignUp",
  });
  record.welcomeEmail = { status: "sent", at: now, attempts: 1 };
  await triggers.instrumented.runtime.store.create(record, {
    sub: user.sub,
    id: randomUUID(),
    at: now,
    actor: "system:post-confirmation",
    action: "user.created",
  });
  return record;
}

describe("Cognito retries and concurrent invocations", () => {
  it("post confirmation: one record and one welcome email, however often it runs", async () => {
    const first = uniqueUser("confirm-retry");
    const second = uniqueUser("confirm-race");
    triggers.environment.cognito.addUser(first.sub, { sub: first.sub, email: first.email });
    triggers.environment.cognito.addUser(second.sub, { sub: second.sub, email: second.email });

    const { sequential, parallel } = await retried(
      "post-confirmation",
      postConfirmationEvent(first),
      postConfirmationEvent(second),
    );

    expectSameAnswers(sequential);
    expectSameAnswers(parallel);
    // The stream delivers the committed changes, twice over (a redelivered batch).
    await relayEvents(triggers, [first.sub, second.sub]);
    await relayEvents(triggers, [first.sub, second.sub]);
    for (const user of [first, second]) {
      const state = await userState(triggers.environment.db, triggers.environment.tableName, user.sub);
      expect(state.problems).toEqual([]);
      expect(state.profile?.roles).toEqual(["member"]);
      expect(state.profile?.welcomeEmail?.status).toBe("sent");
      expect(await emailsTo(user.email)).toHaveLength(1);
      // The default group is idempotent in Cognito, so every invocation may (re)add it.
      expect(triggers.environment.cognito.users.get(user.sub)?.groups).toEqual(["support"]);
    }
  });

  it("pre token generation: the same claims every time, and one record when it must create it", async () => {
    const existing = uniqueUser("token-existing");
    const missing = uniqueUser("token-missing");
    const before = await seedRecord(existing);

    const known = await retried("pre-token-generation", preTokenEvent(existing), preTokenEvent(existing));
    const created = await retried("pre-token-generation", preTokenEvent(missing), preTokenEvent(missing));

    expectSameAnswers([...known.sequential, ...known.parallel]);
    expectSameAnswers([...created.sequential, ...created.parallel]);
    expect(known.sequential[0]?.response).toMatchObject({
      claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { roles: ["member"] } } },
    });
    const existingState = await userState(
      triggers.environment.db,
      triggers.environment.tableName,
      existing.sub,
    );
    expect(existingState.profile?.version).toBe(before.version);
    const missingState = await userState(
      triggers.environment.db,
      triggers.environment.tableName,
      missing.sub,
    );
    expect(missingState.problems).toEqual([]);
    expect(missingState.created).toBe(1);
    expect(missingState.profile?.source).toBe("token-jit");
    // Token-time creation leaves the welcome email to reconcile, so nothing is sent here.
    expect(missingState.profile?.welcomeEmail?.status).toBe("pending");
    expect(await emailsTo(missing.email)).toHaveLength(0);
  });

  it("pre sign-up: the same decision every time and nothing written", async () => {
    const native = uniqueUser("signup-native");
    triggers.environment.cognito.addUser(native.sub, {
      sub: native.sub,
      email: native.email,
      email_verified: "true",
    });
    const federatedId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const federated = preSignUpEvent(
      {
        sub: "unused",
        email: native.email,
        extra: {
          email_verified: "true",
          identities: JSON.stringify([
            { providerName: "Google", providerType: "Google", userId: federatedId },
          ]),
        },
      },
      "PreSignUp_ExternalProvider",
      `Google_${federatedId}`,
    );
    // Linking reads the native user's record once (how the email was verified); nothing else.
    await seedRecord(native);
    triggers.instrumented.counter.reset();

    const selfSignUp = await retried("pre-sign-up", preSignUpEvent(native), preSignUpEvent(native));
    expect(triggers.instrumented.counter.total("dynamodb")).toBe(0);
    const linking = await retried("pre-sign-up", federated, federated);

    expectSameAnswers([...selfSignUp.sequential, ...selfSignUp.parallel]);
    expectSameAnswers([...linking.sequential, ...linking.parallel]);
    expect(triggers.instrumented.counter.byCommand()).toMatchObject({ "dynamodb:GetItem": 13 });
    expect(triggers.instrumented.counter.total("dynamodb")).toBe(13);
    const links = triggers.environment.cognito.links.filter((link) => link.providerUserId === federatedId);
    expect(links).toHaveLength(13);
    expect(new Set(links.map((link) => link.destination))).toEqual(new Set([native.sub]));
  });

  it("custom message: the same message every time, without a call", async () => {
    const user = uniqueUser("message");
    triggers.instrumented.counter.reset();

    const { sequential, parallel } = await retried(
      "custom-message",
      customMessageEvent(user, "CustomMessage_ForgotPassword"),
      customMessageEvent(user, "CustomMessage_ForgotPassword"),
    );

    expectSameAnswers([...sequential, ...parallel]);
    expect(triggers.instrumented.counter.total()).toBe(0);
  });

  it("post authentication: the same answer, one record, only lastSignInAt moves", async () => {
    const user = uniqueUser("sign-in");
    const before = await seedRecord(user);

    const { sequential, parallel } = await retried(
      "post-authentication",
      postAuthenticationEvent(user),
      postAuthenticationEvent(user),
    );

    expectSameAnswers([...sequential, ...parallel]);
    const state = await userState(triggers.environment.db, triggers.environment.tableName, user.sub);
    expect(state.problems).toEqual([]);
    expect(state.profile?.lastSignInAt).toBeDefined();
    expect(state.profile?.roles).toEqual(before.roles);
    expect(state.profile?.version).toBe(before.version);
  });
});
