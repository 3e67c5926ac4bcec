import { AdminAddUserToGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { MessageRejected, SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type DynamoUserStore, type Mailer, SesMailer } from "@cognito-lifecycle/aws";
import { defineConfig, type LifecycleConfig, MalformedEventError } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/post-confirmation.ts";
import { relayCommitted } from "../events/support/stream.ts";
import { emailsTo, freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import {
  adminConfirmSignUp,
  confirmForgotPassword,
  confirmSignUp,
  federatedConfirmSignUp,
  type PostConfirmationFixtureEvent,
  postConfirmationFixtures,
} from "./fixtures/post-confirmation.ts";
import {
  captureLogs,
  clone,
  expectOnlyResponseChanged,
  invoke,
  mockedCognito,
  runtime,
  unreachableMailer,
  unreachableStore,
} from "./support.ts";

const config = defineConfig({ bootstrapAdmins: ["boss@example.com"] });
checkIam(config);

let store: DynamoUserStore;
let db: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ store, db, tableName } = await freshStore());
});

/**
 * The events function over what the table holds for `sub` (the stream Lambda would deliver):
 * it, not post confirmation, sends the welcome email on `user.created`.
 */
function relay(sub: string, parts: { mailer?: Mailer; config?: LifecycleConfig } = {}) {
  return relayCommitted({ db, tableName, store, config: parts.config ?? config, subs: [sub], ...parts });
}

function handlerWith(parts: Partial<Parameters<typeof runtime>[0]> = {}) {
  return createHandler(runtime({ config, store, ...parts }));
}

async function createdAudits(sub: string): Promise<number> {
  const { items } = await store.auditHistory(sub, { limit: 100 });
  return items.filter((item) => item.action === "user.created").length;
}

describe("post confirmation contract", () => {
  it.each(postConfirmationFixtures)("$name: whole event back with response {}", async (fixture) => {
    const event = fixture.build();
    const { sub, email } = event.request.userAttributes as { sub: string; email: string };

    const result = await invoke(handlerWith(), clone(event));

    expectOnlyResponseChanged(event, result);
    expect(result.response).toEqual({});
    const record = await store.get(sub);
    expect(record).toMatchObject({
      sub,
      username: event.userName,
      email,
      status: "active",
      roles: ["member"],
    });
    if (fixture.triggerSource === "PostConfirmation_ConfirmSignUp") {
      // Nothing sent on Cognito's path: the welcome waits for the events function.
      expect(record?.welcomeEmail?.status).toBe("pending");
      expect(await emailsTo(email)).toHaveLength(0);
      await relay(sub);
      expect((await store.get(sub))?.welcomeEmail?.status).toBe("sent");
      expect(await emailsTo(email)).toHaveLength(1);
    } else {
      // A reset for a user we never recorded: the record is repaired, the welcome left to reconcile.
      expect(record?.passwordChangedAt).toBeDefined();
      expect(record?.welcomeEmail?.status).toBe("pending");
      expect(await emailsTo(email)).toHaveLength(0);
    }
  });

  it("records where the user came from", async () => {
    const event = federatedConfirmSignUp();
    await invoke(handlerWith(), clone(event));
    const record = await store.get(event.request.userAttributes.sub ?? "");
    expect(record?.source).toBe("federated");
    expect(record?.identities).toEqual([
      expect.objectContaining({ providerName: "Google", userId: event.userName.slice("Google_".length) }),
    ]);
    const native = confirmSignUp();
    await invoke(handlerWith(), native);
    expect((await store.get(native.request.userAttributes.sub ?? ""))?.source).toBe("sign-up");
  });

  it("returns an event with an unknown trigger source unchanged and writes nothing", async () => {
    const event = {
      ...confirmSignUp(),
      triggerSource: "PostConfirmation_SomethingNew",
    } as unknown as PostConfirmationFixtureEvent;
    const result = await invoke(handlerWith(), clone(event));
    expect(result).toEqual(event);
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
  });

  it("refuses a malformed event with an error naming the field, and writes and sends nothing", async () => {
    const event = confirmSignUp();
    Reflect.deleteProperty(event, "userName");
    const error = await invoke(handlerWith(), event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toContain("userName");
    expect(await store.get(event.request.userAttributes.sub ?? "")).toBeUndefined();
    expect(await emailsTo(event.request.userAttributes.email ?? "")).toHaveLength(0);
  });

  it.each([
    [true, true],
    ["true", true],
    [false, false],
    ["false", false],
  ])(
    "reads email_verified %j as verified=%s (a bootstrap admin gets admin only when verified)",
    async (value, verified) => {
      const event = confirmSignUp({ email: "boss@example.com" });
      (event.request.userAttributes as Record<string, unknown>).email_verified = value;
      await invoke(handlerWith(), clone(event));
      const record = await store.get(event.request.userAttributes.sub ?? "");
      expect(record?.emailVerified).toBe(verified);
      expect(record?.roles.includes("admin")).toBe(verified);
    },
  );

  it("refuses an event whose sub is not a string, and writes nothing", async () => {
    const event = confirmSignUp();
    const sub = event.request.userAttributes.sub ?? "";
    (event.request.userAttributes as Record<string, unknown>).sub = 12345;
    const error = await invoke(handlerWith(), event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(await store.get(sub)).toBeUndefined();
    expect(await store.get("12345")).toBeUndefined();
  });

  it("refuses an event without a sub", async () => {
    const event = confirmSignUp();
    delete event.request.userAttributes.sub;
    await expect(invoke(handlerWith(), event)).rejects.toThrow(/userAttributes/);
  });
});

describe("post confirmation is idempotent under Cognito retries", () => {
  it("three invocations in a row make one record and one welcome email", async () => {
    const event = confirmSignUp();
    const { sub, email } = event.request.userAttributes as { sub: string; email: string };
    const handler = handlerWith();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await invoke(handler, clone(event))).response).toEqual({});
    }
    await relay(sub);
    await relay(sub);
    expect(await emailsTo(email)).toHaveLength(1);
    expect(await createdAudits(sub)).toBe(1);
    expect((await store.get(sub))?.welcomeEmail).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("five concurrent invocations make one record and one welcome email", async () => {
    const event = adminConfirmSignUp();
    const { sub, email } = event.request.userAttributes as { sub: string; email: string };
    const handler = handlerWith();
    const results = await Promise.all(Array.from({ length: 5 }, () => invoke(handler, clone(event))));
    for (const result of results) expect(result.response).toEqual({});
    await Promise.all([relay(sub), relay(sub)]);
    expect(await emailsTo(email)).toHaveLength(1);
    expect(await createdAudits(sub)).toBe(1);
    expect((await store.get(sub))?.welcomeEmail?.status).toBe("sent");
  });
});

describe("post confirmation after a password reset", () => {
  it("records passwordChangedAt on the existing record and creates nothing", async () => {
    const signUpEvent = confirmSignUp();
    const { sub, email } = signUpEvent.request.userAttributes as { sub: string; email: string };
    await invoke(handlerWith(), clone(signUpEvent));
    await relay(sub);
    const before = await store.get(sub);

    const resetAt = new Date("2031-05-06T07:08:09.000Z");
    const reset = confirmForgotPassword({ sub, email });
    const handler = handlerWith({ now: () => resetAt });
    await Promise.all([invoke(handler, clone(reset)), invoke(handler, clone(reset))]);
    await invoke(handler, clone(reset));
    await relay(sub);

    const after = await store.get(sub);
    expect(after?.passwordChangedAt).toBe(resetAt.toISOString());
    expect(after).toMatchObject({ createdAt: before?.createdAt, roles: before?.roles, source: "sign-up" });
    expect(await createdAudits(sub)).toBe(1);
    expect(await emailsTo(email)).toHaveLength(1);
  });

  it("repairs a missing record once, even when resets race", async () => {
    const reset = confirmForgotPassword();
    const sub = reset.request.userAttributes.sub ?? "";
    const handler = handlerWith();
    await Promise.all(Array.from({ length: 3 }, () => invoke(handler, clone(reset))));
    expect(await createdAudits(sub)).toBe(1);
    expect((await store.get(sub))?.passwordChangedAt).toBeDefined();
  });
});

describe("post confirmation never fails the user over a side effect", () => {
  it("leaves the welcome email pending when SES is unreachable (transient)", async () => {
    const event = confirmSignUp();
    const { sub, email } = event.request.userAttributes as { sub: string; email: string };
    const result = await invoke(handlerWith(), clone(event));
    expect(result.response).toEqual({});
    await relay(sub, { mailer: await unreachableMailer() });
    expect((await store.get(sub))?.welcomeEmail).toMatchObject({ status: "pending", attempts: 1 });
    expect(await emailsTo(email)).toHaveLength(0);
  });

  it("marks the welcome email failed when SES rejects it for good (permanent)", async () => {
    const ses = new SESv2Client({ region: localRegion, credentials: localCredentials });
    mockClient(ses)
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: "Email address is not verified.", $metadata: {} }));
    const event = confirmSignUp();
    const result = await invoke(handlerWith(), clone(event));
    expect(result.response).toEqual({});
    await relay(event.request.userAttributes.sub ?? "", { mailer: new SesMailer(ses) });
    expect((await store.get(event.request.userAttributes.sub ?? ""))?.welcomeEmail).toMatchObject({
      status: "failed",
      error: expect.stringContaining("MessageRejected"),
    });
  });

  it("answers normally when the store is down (token time and reconcile repair the record)", async () => {
    const event = confirmSignUp();
    const result = await invoke(handlerWith({ store: await unreachableStore() }), clone(event));
    expect(result.response).toEqual({});
    expect(await emailsTo(event.request.userAttributes.email ?? "")).toHaveLength(0);
  });

  it("sends no welcome email when it is turned off", async () => {
    const event = confirmSignUp();
    const off: LifecycleConfig = defineConfig({ welcomeEmail: { enabled: false } });
    await invoke(createHandler(runtime({ config: off, store })), clone(event));
    await relay(event.request.userAttributes.sub ?? "", { config: off });
    expect((await store.get(event.request.userAttributes.sub ?? ""))?.welcomeEmail?.status).toBe("skipped");
    expect(await emailsTo(event.request.userAttributes.email ?? "")).toHaveLength(0);
  });
});

describe("post confirmation roles", () => {
  it("gives a bootstrap admin the admin role only with a verified email", async () => {
    const verified = confirmSignUp({ email: "boss@example.com" });
    await invoke(handlerWith(), clone(verified));
    expect((await store.get(verified.request.userAttributes.sub ?? ""))?.roles).toEqual(["admin", "member"]);

    const unverified = confirmSignUp({ email: "Boss@Example.com", attributes: { email_verified: "false" } });
    await invoke(handlerWith(), clone(unverified));
    expect((await store.get(unverified.request.userAttributes.sub ?? ""))?.roles).toEqual(["member"]);
  });

  it("never gives the bootstrap admin role to an untrusted IdP's verified email, and records how it was verified", async () => {
    const federated = federatedConfirmSignUp({ email: "boss@example.com" });
    await invoke(handlerWith(), clone(federated));
    expect(await store.get(federated.request.userAttributes.sub ?? "")).toMatchObject({
      roles: ["member"],
      emailVerifiedBy: "idp",
      idpGroupsAt: expect.any(String),
    });

    const trusting = defineConfig({
      bootstrapAdmins: ["boss@example.com"],
      linking: { enabled: true, trustedProviders: ["Google"] },
    });
    const trusted = federatedConfirmSignUp({ email: "boss@example.com" });
    await invoke(createHandler(runtime({ config: trusting, store })), clone(trusted));
    expect((await store.get(trusted.request.userAttributes.sub ?? ""))?.roles).toEqual(["admin", "member"]);
  });

  it("never gives the bootstrap admin role to a look-alike IdP address (Kelvin sign U+212A)", async () => {
    const trusting = defineConfig({
      bootstrapAdmins: ["kate@example.com"],
      linking: { enabled: true, trustedProviders: ["Google"] },
    });
    const event = federatedConfirmSignUp({ email: "\u212Aate@example.com" });
    await invoke(createHandler(runtime({ config: trusting, store })), clone(event));
    expect((await store.get(event.request.userAttributes.sub ?? ""))?.roles).toEqual(["member"]);
  });

  it("records a code-confirmed sign-up as verified by code, an auto-verified one as auto", async () => {
    const autoVerify = defineConfig({
      signUp: { autoConfirmDomains: ["corp.example"], autoVerifyEmail: true },
    });
    const byCode = confirmSignUp();
    const byPolicy = confirmSignUp({ email: "auto.user@corp.example" });
    for (const event of [byCode, byPolicy]) {
      await invoke(createHandler(runtime({ config: autoVerify, store })), clone(event));
    }
    expect((await store.get(byCode.request.userAttributes.sub ?? ""))?.emailVerifiedBy).toBe("code");
    expect((await store.get(byPolicy.request.userAttributes.sub ?? ""))?.emailVerifiedBy).toBe("auto");
  });

  it.each([
    ["custom:roles", { "custom:roles": "admin" }],
    ["custom:role", { "custom:role": "admin" }],
    ["a roles attribute", { roles: "admin" }],
    ["name", { name: "admin" }],
    ["custom:groups", { "custom:groups": "admins" }],
    ["custom:idp_groups on a native user", { "custom:idp_groups": "admins" }],
  ])("never grants admin from a user-writable attribute (%s)", async (_case, attributes) => {
    const event = confirmSignUp({ attributes });
    await invoke(handlerWith(), clone(event));
    expect((await store.get(event.request.userAttributes.sub ?? ""))?.roles).toEqual(["member"]);
  });

  it("adds the user to the default group with the event's pool and username", async () => {
    const withGroup = defineConfig({
      groups: { members: { roles: ["member"] }, admins: { roles: ["admin"] } },
      defaultGroup: "members",
    });
    const { cognito, mock } = mockedCognito();
    mock.on(AdminAddUserToGroupCommand).resolves({});
    const event = confirmSignUp();
    await invoke(createHandler(runtime({ config: withGroup, store, cognito })), clone(event));
    expect(mock.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: event.userPoolId, Username: event.userName, GroupName: "members" },
    ]);
    expect((await store.get(event.request.userAttributes.sub ?? ""))?.groups).toEqual(["members"]);
  });
});

describe("post confirmation logs", () => {
  it("never log a full email address, on success or failure", async () => {
    const lines = captureLogs();
    const sent = confirmSignUp({ email: "Secret.Person@example.com" });
    await invoke(handlerWith(), clone(sent));
    await invoke(handlerWith(), clone(sent));
    const failed = confirmSignUp({ email: "hidden.person@example.com" });
    await invoke(handlerWith({ mailer: await unreachableMailer() }), clone(failed));
    expect(lines.length).toBeGreaterThan(2);
    const text = lines.join("\n").toLowerCase();
    expect(text).not.toContain("secret.person@");
    expect(text).not.toContain("hidden.person@");
    expect(text).toContain("s***@example.com");
  });
});
