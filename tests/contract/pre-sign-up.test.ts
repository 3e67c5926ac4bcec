import { randomUUID } from "node:crypto";
import {
  AdminLinkProviderForUserCommand,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoUserStore } from "@cognito-lifecycle/aws";
import {
  defineConfig,
  type EmailVerificationMethod,
  type LifecycleConfig,
  MalformedEventError,
  newUserRecord,
  UserFacingError,
} from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/pre-sign-up.ts";
import { freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import {
  adminCreateUser,
  externalProvider,
  externalProviderWithIdentities,
  type PreSignUpFixtureEvent,
  phoneOnlySignUp,
  preSignUpFixtures,
  signUp,
} from "./fixtures/pre-sign-up.ts";
import {
  captureLogs,
  clone,
  expectOnlyResponseChanged,
  invoke,
  mockedCognito,
  runtime,
  unreachableStore,
} from "./support.ts";

const baseConfig = {
  signUp: { autoConfirmDomains: ["example.com"], autoVerifyEmail: true, deniedDomains: ["blocked.example"] },
  bootstrapAdmins: ["boss@example.com"],
};
checkIam(defineConfig(baseConfig));

let noStore: DynamoUserStore;
let records: DynamoUserStore;

beforeAll(async () => {
  // Pre sign-up must write nothing: any store call would fail against this one and refuse the sign-up.
  noStore = await unreachableStore();
  // Linking reads (never writes) the native user's record to learn how their email was verified.
  ({ store: records } = await freshStore());
});

function handlerFor(config: LifecycleConfig, store: DynamoUserStore = noStore) {
  const { cognito, mock } = mockedCognito();
  return { handler: createHandler(runtime({ config, store, cognito })), mock };
}

async function run(event: PreSignUpFixtureEvent, config: LifecycleConfig = defineConfig(baseConfig)) {
  const { handler, mock } = handlerFor(config);
  return { result: await invoke(handler, clone(event)), mock };
}

describe("pre sign-up contract", () => {
  it.each(preSignUpFixtures)(
    "$name: whole event back, only documented flags, no side effects",
    async (fixture) => {
      const event = fixture.build();
      const { result, mock } = await run(event);

      expectOnlyResponseChanged(event, result);
      expect(Object.keys(result.response).sort()).toEqual([
        "autoConfirmUser",
        "autoVerifyEmail",
        "autoVerifyPhone",
      ]);
      for (const flag of Object.values(result.response)) expect(flag).toBeTypeOf("boolean");
      const { email, phone_number: phone } = event.request.userAttributes;
      if (result.response.autoVerifyEmail) expect(email).toBeTruthy();
      if (result.response.autoVerifyPhone) expect(phone).toBeTruthy();
      if (event.triggerSource !== "PreSignUp_SignUp") {
        expect(result.response).toEqual({
          autoConfirmUser: false,
          autoVerifyEmail: false,
          autoVerifyPhone: false,
        });
      }
      // Linking is off by default: Cognito is never called.
      expect(mock.calls()).toHaveLength(0);
    },
  );

  it("auto-confirms and auto-verifies a self sign-up from an auto-confirm domain", async () => {
    const { result } = await run(signUp({ email: "jane@eng.example.com" }));
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it("never auto-confirms or auto-verifies AdminCreateUser, even from an auto-confirm domain", async () => {
    const { result } = await run(adminCreateUser({ email: "invitee@example.com" }));
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it("never auto-verifies a value the sign-up does not have", async () => {
    const { result } = await run(phoneOnlySignUp());
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it("never auto-verifies a bootstrap admin's address: its owner must prove it", async () => {
    const { result } = await run(signUp({ email: "boss@example.com" }));
    expect(result.response.autoVerifyEmail).toBe(false);
  });

  it("returns an event with an unknown trigger source unchanged", async () => {
    const event = {
      ...signUp(),
      triggerSource: "PreSignUp_SomethingNew",
    } as unknown as PreSignUpFixtureEvent;
    const { result, mock } = await run(event);
    expect(result).toEqual(event);
    expect(mock.calls()).toHaveLength(0);
  });

  it.each([
    [
      "no userAttributes",
      (event: PreSignUpFixtureEvent) => Reflect.deleteProperty(event.request, "userAttributes"),
    ],
    [
      "an attribute map that is not a map",
      (event: PreSignUpFixtureEvent) => {
        (event.request as Record<string, unknown>).userAttributes = "email=jane@example.com";
      },
    ],
    ["no userPoolId", (event: PreSignUpFixtureEvent) => Reflect.deleteProperty(event, "userPoolId")],
  ])("refuses a malformed event (%s) with an error naming the field", async (_case, spoil) => {
    const event = signUp();
    spoil(event);
    const error = await run(event).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as Error).message).toMatch(
      /^Malformed PreSignUp_SignUp event: (request\.userAttributes|userPoolId)/,
    );
  });
});

describe("pre sign-up policy through the handler", () => {
  it.each([
    [
      "a disposable address",
      "jane@mailinator.com",
      "disposableEmail",
      "Please use a permanent email address, not a disposable one",
    ],
    [
      "a disposable subdomain",
      "jane@eu.mailinator.com",
      "disposableEmail",
      "Please use a permanent email address, not a disposable one",
    ],
    [
      "a denied domain",
      "jane@blocked.example",
      "emailDomainNotAllowed",
      "Please sign up with your work email address",
    ],
    ["a full-width look-alike", "ｊａｎｅ@example.com", "invalidEmail", "Please enter a valid email address"],
    ["not an address", "jane@localhost", "invalidEmail", "Please enter a valid email address"],
  ])("refuses %s with a short user-facing message", async (_case, email, key, message) => {
    const error = await run(signUp({ email })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ key, message });
    // The internal reason is for the log only.
    expect((error as Error).message).not.toContain(email.split("@")[1] ?? "");
  });

  it("answers in the language the client asked for", async () => {
    const error = await run(
      signUp({ email: "jane@mailinator.com", clientMetadata: { locale: "de-AT" } }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      key: "disposableEmail",
      message: "Bitte verwenden Sie eine dauerhafte E-Mail-Adresse, keine Wegwerfadresse",
    });
  });

  it("invite-only refuses self and federated sign-up but lets admins invite", async () => {
    const config = defineConfig({ signUp: { inviteOnly: true } });
    await expect(run(signUp(), config)).rejects.toMatchObject({ key: "inviteOnly" });
    await expect(run(externalProvider(), config)).rejects.toMatchObject({ key: "inviteOnly" });
    const { result } = await run(adminCreateUser(), config);
    expect(result.response.autoConfirmUser).toBe(false);
  });

  it("allowed domains admit the domain and its subdomains only", async () => {
    const config = defineConfig({ signUp: { allowedDomains: ["acme.test"] } });
    await expect(run(signUp({ email: "a@acme.test" }), config)).resolves.toBeDefined();
    await expect(run(signUp({ email: "a@eu.acme.test" }), config)).resolves.toBeDefined();
    await expect(run(signUp({ email: "a@notacme.test" }), config)).rejects.toMatchObject({
      key: "emailDomainNotAllowed",
    });
  });
});

describe("pre sign-up federated account linking", () => {
  const linking = { linking: { enabled: true, trustedProviders: ["Google"] } };

  function nativeUser(email: string, overrides: Partial<UserType> = {}, verified = "true"): UserType {
    return {
      Username: "8f1c2d3e-native-user",
      UserStatus: "CONFIRMED",
      Enabled: true,
      Attributes: [
        { Name: "sub", Value: randomUUID() },
        { Name: "email", Value: email },
        { Name: "email_verified", Value: verified },
      ],
      ...overrides,
    };
  }

  /** Our record of a native user, as post confirmation writes it, with how the email was verified. */
  async function recordOf(user: UserType, method: EmailVerificationMethod | "unknown") {
    const attributes = Object.fromEntries((user.Attributes ?? []).map((entry) => [entry.Name, entry.Value]));
    const record = newUserRecord(defineConfig(), {
      sub: attributes.sub ?? "",
      username: user.Username ?? "",
      attributes: { email: attributes.email ?? "", email_verified: attributes.email_verified ?? "false" },
      source: "sign-up",
      now: new Date().toISOString(),
    });
    await records.create(method === "unknown" ? record : { ...record, emailVerifiedBy: method });
  }

  async function runLinking(
    event: PreSignUpFixtureEvent,
    users: UserType[],
    config = defineConfig(linking),
    method: EmailVerificationMethod | "unknown" = "code",
  ) {
    for (const user of users) await recordOf(user, method);
    const { handler, mock } = handlerFor(config, records);
    mock.on(ListUsersCommand).resolves({ Users: users });
    mock.on(AdminLinkProviderForUserCommand).resolves({});
    const result = await invoke(handler, clone(event));
    return { result, mock };
  }

  it("links a trusted provider's verified email to the one native user, provider from userName", async () => {
    const event = externalProvider({ email: "Jane.Link@Example.com" });
    const providerUserId = event.userName.slice("google_".length);
    const { result, mock } = await runLinking(event, [nativeUser("jane.link@example.com")]);

    expectOnlyResponseChanged(event, result);
    expect(mock.commandCalls(ListUsersCommand)[0]?.args[0].input).toMatchObject({
      UserPoolId: event.userPoolId,
      Filter: 'email = "jane.link@example.com"',
    });
    const links = mock.commandCalls(AdminLinkProviderForUserCommand);
    expect(links).toHaveLength(1);
    expect(links[0]?.args[0].input).toEqual({
      UserPoolId: event.userPoolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "8f1c2d3e-native-user" },
      SourceUser: {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: providerUserId,
      },
    });
  });

  it("reads a boolean email_verified (as AWS's examples show it) like the string", async () => {
    const event = externalProvider({ email: "jane.bool@example.com" });
    (event.request.userAttributes as Record<string, unknown>).email_verified = true;
    const { result, mock } = await runLinking(event, [nativeUser("jane.bool@example.com")]);
    expectOnlyResponseChanged(event, result);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(1);
  });

  it("splits userName on the first underscore only and takes the provider's spelling from identities", async () => {
    const event = externalProviderWithIdentities();
    event.userName = "GOOGLE_1234_5678";
    event.request.userAttributes.identities = JSON.stringify([
      { userId: "1234_5678", providerName: "Google", providerType: "Google", issuer: null, primary: "true" },
    ]);
    const { mock } = await runLinking(event, [nativeUser(event.request.userAttributes.email ?? "")]);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input.SourceUser).toEqual({
      ProviderName: "Google",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: "1234_5678",
    });
  });

  it.each([
    ["linking is off", defineConfig({}), (event: PreSignUpFixtureEvent) => event],
    [
      "the provider is not trusted",
      defineConfig({ linking: { enabled: true, trustedProviders: ["Okta"] } }),
      (event: PreSignUpFixtureEvent) => event,
    ],
    [
      "the IdP email is not verified",
      defineConfig(linking),
      (event: PreSignUpFixtureEvent) => {
        event.request.userAttributes.email_verified = "false";
        return event;
      },
    ],
    [
      "the IdP email is not verified (boolean false, as AWS's examples show it)",
      defineConfig(linking),
      (event: PreSignUpFixtureEvent) => {
        (event.request.userAttributes as Record<string, unknown>).email_verified = false;
        return event;
      },
    ],
    [
      "the IdP sends no email_verified",
      defineConfig(linking),
      (event: PreSignUpFixtureEvent) => {
        delete event.request.userAttributes.email_verified;
        return event;
      },
    ],
  ])("links nothing when %s", async (_case, config, adjust) => {
    const event = adjust(externalProvider());
    const { result, mock } = await runLinking(
      event,
      [nativeUser(event.request.userAttributes.email ?? "")],
      config,
    );
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
    if (!config.linking.enabled) expect(mock.calls()).toHaveLength(0);
    expect(result.response.autoConfirmUser).toBe(false);
  });

  it("never links to a native account whose email nobody verified (pre-registered takeover)", async () => {
    const event = externalProvider();
    const email = event.request.userAttributes.email ?? "";
    const { mock } = await runLinking(event, [nativeUser(email, { UserStatus: "UNCONFIRMED" }, "false")]);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("links nothing when two native users share the address", async () => {
    const event = externalProvider();
    const email = event.request.userAttributes.email ?? "";
    const { mock } = await runLinking(event, [
      nativeUser(email),
      nativeUser(email, { Username: "second-native" }),
    ]);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it.each([
    ["auto-verified at sign-up (no mailbox proof)", "auto"],
    ["verified by an identity provider", "idp"],
    ["verified in a way nobody recorded", "unknown"],
  ] as const)("never links to a native account whose email was %s", async (_case, method) => {
    const event = externalProvider();
    const email = event.request.userAttributes.email ?? "";
    const { mock } = await runLinking(event, [nativeUser(email)], defineConfig(linking), method);
    expect(mock.commandCalls(ListUsersCommand)).toHaveLength(1);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("never links to a native user we hold no record of", async () => {
    const event = externalProvider();
    const { handler, mock } = handlerFor(defineConfig(linking), records);
    mock.on(ListUsersCommand).resolves({ Users: [nativeUser(event.request.userAttributes.email ?? "")] });
    mock.on(AdminLinkProviderForUserCommand).resolves({});
    await invoke(handler, clone(event));
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("never links an IdP email that is not canonical (the Kelvin sign U+212A folds into k)", async () => {
    const event = externalProvider({ email: "\u212Aate@example.com" });
    const { mock } = await runLinking(event, [nativeUser("kate@example.com")]);
    expect(mock.commandCalls(AdminLinkProviderForUserCommand)).toHaveLength(0);
  });

  it("refuses the sign-up with a retryable message when linking fails, rather than make a duplicate", async () => {
    const { handler, mock } = handlerFor(defineConfig(linking), records);
    const event = externalProvider();
    const native = nativeUser(event.request.userAttributes.email ?? "");
    await recordOf(native, "code");
    mock.on(ListUsersCommand).resolves({ Users: [native] });
    mock
      .on(AdminLinkProviderForUserCommand)
      .rejects(Object.assign(new Error("throttled"), { name: "TooManyRequestsException" }));
    await expect(invoke(handler, clone(event))).rejects.toMatchObject({
      name: "UserFacingError",
      key: "temporarilyUnavailable",
      message: "Sign-in is temporarily unavailable. Please try again in a moment",
    });
  });
});

describe("pre sign-up: federated emails and allowed domains", () => {
  const corp = { signUp: { allowedDomains: ["example.com"] } };
  const federated = (emailVerified: string | undefined) => {
    const event = externalProvider({ email: "jane.fed@example.com" });
    if (emailVerified === undefined) delete event.request.userAttributes.email_verified;
    else event.request.userAttributes.email_verified = emailVerified;
    return event;
  };

  it.each([
    ['email_verified "false"', "false"],
    ["no email_verified", undefined],
  ])("refuses a federated sign-up in an allowed domain with %s", async (_case, verified) => {
    await expect(run(federated(verified), defineConfig(corp))).rejects.toMatchObject({
      key: "emailDomainNotAllowed",
    });
  });

  it("admits it when the IdP verified the email", async () => {
    await expect(run(federated("true"), defineConfig(corp))).resolves.toBeDefined();
  });

  it("admits an unverified email from a provider in signUp.federatedDomainTrust", async () => {
    const trusting = defineConfig({ signUp: { ...corp.signUp, federatedDomainTrust: ["Google"] } });
    await expect(run(federated("false"), trusting)).resolves.toBeDefined();
  });
});

describe("pre sign-up logs", () => {
  it("keep the internal reason and never a full email address", async () => {
    const lines = captureLogs();
    await expect(run(signUp({ email: "private.person@mailinator.com" }))).rejects.toThrow();
    await run(signUp({ email: "another.person@example.com" }));
    const text = lines.join("\n");
    expect(text).toContain("disposable email provider");
    expect(text).not.toContain("private.person@");
    expect(text).not.toContain("another.person@");
  });
});
