import { MalformedEventError, parseEvent } from "@cognito-lifecycle/core";
import {
  type LegacyUser,
  MigrationRefusedError,
  migrationDecision,
  migrationRefusalMessage,
  rateLimitConditions,
  rateLimitDecision,
  userMigrationEvent,
} from "@cognito-lifecycle/core/migration";
import { describe, expect, it } from "vitest";

const locales = { supported: ["en", "de", "es"], default: "en" };
const jane: LegacyUser = {
  email: "jane@example.com",
  emailVerified: true,
  name: " Jane Doe ",
  locale: "de_DE",
  roles: ["member"],
};

/** Shapes as Cognito documents them: `response` members arrive null, ForgotPassword has no password. */
const authenticationEvent = {
  version: "1",
  triggerSource: "UserMigration_Authentication",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  userName: "jane@example.com",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "client123" },
  request: { password: "old-password", validationData: null, clientMetadata: null },
  response: {
    userAttributes: null,
    forceAliasCreation: null,
    enableSMSMFA: null,
    finalUserStatus: null,
    messageAction: null,
    desiredDeliveryMediums: null,
  },
};
const forgotPasswordEvent = {
  ...authenticationEvent,
  triggerSource: "UserMigration_ForgotPassword",
  request: { validationData: null, clientMetadata: { locale: "de" } },
};

describe("userMigrationEvent", () => {
  it("parses both sources, with or without a password, and keeps unknown fields", () => {
    expect(parseEvent(userMigrationEvent, authenticationEvent).request.password).toBe("old-password");
    expect(parseEvent(userMigrationEvent, forgotPasswordEvent).request.password).toBeUndefined();
    const nullPassword = { ...forgotPasswordEvent, request: { password: null }, extra: 1 };
    expect(parseEvent(userMigrationEvent, nullPassword)).toMatchObject({
      extra: 1,
      request: { password: null },
    });
  });

  it("accepts cognito-local's version 0 as a number and a missing response", () => {
    const local = { ...authenticationEvent, version: 0, response: undefined, callerContext: undefined };
    expect(parseEvent(userMigrationEvent, local).version).toBe("0");
  });

  it("refuses other trigger sources and an empty userName", () => {
    expect(() =>
      parseEvent(userMigrationEvent, { ...authenticationEvent, triggerSource: "PreSignUp_SignUp" }),
    ).toThrow(MalformedEventError);
    expect(() => parseEvent(userMigrationEvent, { ...authenticationEvent, userName: "" })).toThrow(
      MalformedEventError,
    );
  });
});

describe("migrationDecision", () => {
  it("migrates a verified password: confirmed, silent, email verified as the old system said", () => {
    const decision = migrationDecision({
      triggerSource: "UserMigration_Authentication",
      legacyUser: jane,
      passwordVerified: true,
      locales,
    });
    expect(decision).toEqual({
      migrate: true,
      user: jane,
      response: {
        userAttributes: { email: "jane@example.com", email_verified: "true", name: "Jane Doe", locale: "de" },
        finalUserStatus: "CONFIRMED",
        messageAction: "SUPPRESS",
      },
    });
  });

  it("never claims a verified email the old system did not verify, and sends no roles", () => {
    const decision = migrationDecision({
      triggerSource: "UserMigration_Authentication",
      legacyUser: { email: "bob@example.com", emailVerified: false, roles: ["admin"] },
      passwordVerified: true,
      locales,
    });
    expect(decision.migrate && decision.response.userAttributes).toEqual({ email: "bob@example.com" });
  });

  it("migrates on ForgotPassword only with a verified email, so the code goes to its owner", () => {
    const verified = migrationDecision({
      triggerSource: "UserMigration_ForgotPassword",
      legacyUser: jane,
      passwordVerified: false,
      locales,
    });
    expect(verified).toMatchObject({
      migrate: true,
      response: { userAttributes: { email_verified: "true" }, messageAction: "SUPPRESS" },
    });
    expect(verified.migrate && verified.response.finalUserStatus).toBeUndefined();
    const unverified = migrationDecision({
      triggerSource: "UserMigration_ForgotPassword",
      legacyUser: { ...jane, emailVerified: false },
      passwordVerified: false,
      locales,
    });
    expect(unverified).toEqual({ migrate: false, reason: "unverified-email" });
  });

  it("refuses a wrong password and an unknown user", () => {
    expect(
      migrationDecision({
        triggerSource: "UserMigration_Authentication",
        legacyUser: jane,
        passwordVerified: false,
        locales,
      }),
    ).toEqual({ migrate: false, reason: "wrong-password" });
    expect(
      migrationDecision({
        triggerSource: "UserMigration_Authentication",
        legacyUser: undefined,
        passwordVerified: true,
        locales,
      }),
    ).toEqual({ migrate: false, reason: "unknown-user" });
  });

  it("answers every refusal with the same error, whatever the reason", () => {
    const reasons = ["unknown-user", "wrong-password", "unverified-email", "rate-limited"] as const;
    const errors = reasons.map((reason) => new MigrationRefusedError(reason));
    for (const error of errors) {
      expect(error.message).toBe(migrationRefusalMessage);
      expect(error.name).toBe("MigrationRefusedError");
      expect(Object.keys(error)).toEqual(Object.keys(errors[0]!));
    }
  });
});

describe("rateLimitDecision", () => {
  const policy = { maxAttempts: 3, windowSeconds: 600 };

  it("allows up to the limit in one window, then refuses", () => {
    let counter: ReturnType<typeof rateLimitDecision>["next"];
    const allowed: boolean[] = [];
    for (let second = 1000; second < 1004; second++) {
      const decision = rateLimitDecision(counter, second, policy);
      allowed.push(decision.allowed);
      counter = decision.next;
    }
    expect(allowed).toEqual([true, true, true, false]);
    expect(counter).toEqual({ attempts: 3, windowStart: 1000 });
  });

  it("starts a new window once the old one has passed", () => {
    const decision = rateLimitDecision({ attempts: 3, windowStart: 1000 }, 1601, policy);
    expect(decision).toEqual({ allowed: true, next: { attempts: 1, windowStart: 1601 }, expiresAt: 2201 });
  });

  it("gives the values for the conditional updates", () => {
    expect(rateLimitConditions(5000, policy)).toEqual({
      windowFloor: 4400,
      maxAttempts: 3,
      now: 5000,
      expiresAt: 5600,
    });
  });
});
