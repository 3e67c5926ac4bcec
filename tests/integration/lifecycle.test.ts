import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UserLambdaValidationException,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoUserStore } from "@cognito-lifecycle/aws";
import {
  displayName,
  escapeHtml,
  type MessageKind,
  permissionsFor,
  readListClaim,
  userMessage,
} from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import {
  codeIn,
  emailText,
  freeStackPorts,
  inboxFor,
  localCredentials,
  type RunningStack,
  type StackInfo,
  type StoredEmail,
  sesInbox,
  smsInboxAddress,
  startStack,
} from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";

/**
 * The whole lifecycle through the real cognito-local, called with the AWS SDK as an app calls
 * Cognito, with our triggers behind it, DynamoDB Local and the local SES inbox. One stack for
 * the file; every test uses its own users.
 */
let stack: RunningStack;
let info: StackInfo;
let dataDir: string;
let cognito: CognitoIdentityProviderClient;
let dynamo: DynamoDBClient;
let store: DynamoUserStore;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "lifecycle-stack-"));
  const ports = await freeStackPorts();
  stack = await startStack({ dataDir, ports });
  info = stack.info;
  cognito = new CognitoIdentityProviderClient({
    endpoint: info.endpoints.cognito,
    region: info.region,
    credentials: localCredentials,
  });
  dynamo = new DynamoDBClient({
    endpoint: info.endpoints.dynamodb,
    region: info.region,
    credentials: localCredentials,
  });
  store = new DynamoUserStore(
    DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    info.tableName,
  );
}, 180_000);

afterAll(async () => {
  cognito?.destroy();
  dynamo?.destroy();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const password = "Correct-horse-1";
const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** What cognito-local stored for a user: the code it generated, the temporary password. */
function storedUser(sub: string): {
  ConfirmationCode?: string;
  AttributeVerificationCode?: string;
  Password: string;
} {
  const pool = JSON.parse(
    readFileSync(join(dataDir, "cognito", "db", `${info.userPoolId}.json`), "utf8"),
  ) as {
    Users: Record<
      string,
      { ConfirmationCode?: string; AttributeVerificationCode?: string; Password: string }
    >;
  };
  const user = pool.Users[sub];
  if (!user) throw new Error(`cognito-local has no user ${sub}`);
  return user;
}

/** The message our custom-message trigger renders for `kind`, as Cognito delivers it: placeholders filled. */
function expectedMessage(
  kind: MessageKind,
  { email, name, code }: { email: string; name?: string; code: string },
): { subject: string; html: string; sms: string } {
  const message = renderMessage({
    kind,
    locale: config.locales.default,
    branding: config.branding,
    codeParameter: "{####}",
    ...(kind === "adminCreateUser" ? { usernameParameter: "{username}" } : {}),
    ...(name ? { name } : {}),
    email,
  });
  const fill = (text: string, encode: (value: string) => string) =>
    text.replaceAll("{####}", encode(code)).replaceAll("{username}", encode(email));
  return {
    subject: fill(message.subject, (value) => value),
    html: fill(message.html, escapeHtml),
    sms: fill(message.sms, (value) => value),
  };
}

function newest(emails: StoredEmail[]): StoredEmail {
  const email = emails.at(-1);
  if (!email) throw new Error("no email arrived");
  return email;
}

function claims(token: string | undefined): Record<string, unknown> {
  if (!token) throw new Error("no token");
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

async function signIn(email: string, secret = password) {
  const result = await cognito.send(
    new InitiateAuthCommand({
      ClientId: info.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: secret },
    }),
  );
  if (!result.AuthenticationResult) throw new Error("sign-in returned no tokens");
  return result.AuthenticationResult;
}

/** Sign-up and confirmation as a person does it: the code is read off the email. */
async function registeredUser(
  label: string,
  name = "Robin Example",
): Promise<{ email: string; sub: string }> {
  const email = newEmail(label);
  const { UserSub } = await cognito.send(
    new SignUpCommand({
      ClientId: info.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "name", Value: name }],
    }),
  );
  const code = codeIn(newest(await inboxFor(info.endpoints.ses, email)));
  if (!code || !UserSub) throw new Error("sign-up gave no code or sub");
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId: info.clientId, Username: email, ConfirmationCode: code }),
  );
  return { email, sub: UserSub };
}

describe("the local stack, driven as an app drives Cognito", () => {
  it("signs a new user up, confirms them with the emailed code, and issues the default role", async () => {
    const email = newEmail("new-user");
    const name = "Ana Müller";
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: info.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: "name", Value: name }],
      }),
    );
    const sub = signUp.UserSub as string;
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", Destination: email });

    const [codeEmail, ...others] = await inboxFor(info.endpoints.ses, email);
    expect(others).toEqual([]);
    const storedCode = storedUser(sub).ConfirmationCode as string;
    const expected = expectedMessage("signUp", {
      email,
      name: displayName({ name }) as string,
      code: storedCode,
    });
    expect(codeEmail?.subject).toBe(expected.subject);
    expect(codeEmail?.body.html).toBe(expected.html);
    expect(codeEmail?.from).toBe(`"${config.branding.sender.name}" <${config.branding.sender.address}>`);
    const code = codeIn(codeEmail as StoredEmail);
    expect(code).toBe(storedCode);

    const confirmedFrom = new Date().toISOString();
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: info.clientId,
        Username: email,
        ConfirmationCode: code as string,
      }),
    );
    const tokens = await signIn(email);
    // V2 pre token generation, as on AWS: the same array claims in the ID and the access token.
    for (const token of [tokens.IdToken, tokens.AccessToken]) {
      const tokenClaims = claims(token);
      expect(tokenClaims.sub).toBe(sub);
      expect(tokenClaims[config.claims.roles]).toEqual(config.defaultRoles);
      expect(tokenClaims[config.claims.permissions]).toEqual(permissionsFor(config, config.defaultRoles));
    }
    expect(claims(tokens.AccessToken).scope).toBe("aws.cognito.signin.user.admin");

    // The welcome email is sent by the events function from the table's stream (the local stack
    // polls it as Lambda's event source mapping does), a moment after the confirmation commits.
    let record = await store.get(sub);
    for (let waited = 0; record?.welcomeEmail?.status !== "sent" && waited < 30_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      record = await store.get(sub);
    }
    expect(record).toMatchObject({
      sub,
      username: sub,
      email,
      emailNormalised: email,
      name,
      status: "active",
      roles: config.defaultRoles,
      source: "sign-up",
      welcomeEmail: { status: "sent" },
      version: 1,
    });
    expect(record?.confirmedAt && record.confirmedAt >= confirmedFrom).toBe(true);
    expect(record?.lastSignInAt && record.lastSignInAt >= (record.confirmedAt as string)).toBe(true);

    await signIn(email);
    const welcome = expectedMessage("welcome", { email, name, code: "" }).subject;
    const welcomes = (await inboxFor(info.endpoints.ses, email)).filter((entry) => entry.subject === welcome);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]?.messageId).toBe(record?.welcomeEmail?.messageId);
  });

  it("refuses a disposable address with our message, in the user's language, and creates no user", async () => {
    const email = `someone-${randomUUID().slice(0, 8)}@mailinator.com`;
    const attempt = (locale?: string) =>
      cognito.send(
        new SignUpCommand({
          ClientId: info.clientId,
          Username: email,
          Password: password,
          ...(locale ? { ClientMetadata: { locale } } : {}),
        }),
      );

    const refusal = await attempt().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserLambdaValidationException);
    expect((refusal as Error).message).toBe(
      `PreSignUp failed with error ${userMessage("disposableEmail", "en")}.`,
    );
    const german = await attempt("de").catch((error: unknown) => error);
    expect((german as Error).message).toContain(userMessage("disposableEmail", "de"));

    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId: info.userPoolId, Username: email })),
    ).rejects.toBeInstanceOf(UserNotFoundException);
    expect(await inboxFor(info.endpoints.ses, email)).toEqual([]);
  });

  it("gives the bootstrap admin the admin role at sign-in", async () => {
    const tokens = await signIn(info.admin.email, info.admin.password);
    const roles = readListClaim(claims(tokens.IdToken)[config.claims.roles]);
    expect(roles).toContain("admin");
    expect(readListClaim(claims(tokens.IdToken)[config.claims.permissions])).toContain("users:write");
    const sub = String(claims(tokens.IdToken).sub);
    expect((await store.get(sub))?.roles).toContain("admin");
  });

  it("resets a forgotten password with the emailed code and records when it changed", async () => {
    const { email, sub } = await registeredUser("forgetful");
    expect((await store.get(sub))?.passwordChangedAt).toBeUndefined();

    await cognito.send(new ForgotPasswordCommand({ ClientId: info.clientId, Username: email }));
    const resetEmail = newest(await inboxFor(info.endpoints.ses, email));
    const storedCode = storedUser(sub).ConfirmationCode as string;
    const expected = expectedMessage("forgotPassword", { email, name: "Robin Example", code: storedCode });
    expect(resetEmail.subject).toBe(expected.subject);
    expect(resetEmail.body.html).toBe(expected.html);

    const changedFrom = new Date().toISOString();
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: info.clientId,
        Username: email,
        ConfirmationCode: codeIn(resetEmail) as string,
        Password: "Brand-new-secret-2",
      }),
    );
    const record = await store.get(sub);
    expect(record?.passwordChangedAt && record.passwordChangedAt >= changedFrom).toBe(true);
    await expect(signIn(email, "Brand-new-secret-2")).resolves.toHaveProperty("IdToken");
    // The old password is refused (Cognito says NotAuthorized, cognito-local InvalidPassword).
    await expect(signIn(email)).rejects.toThrow(/password/i);
  });

  it("re-runs the claims on refresh, so a role change in the table shows in the next ID token", async () => {
    const { email, sub } = await registeredUser("promoted");
    const first = await signIn(email);
    expect(readListClaim(claims(first.IdToken)[config.claims.roles])).toEqual(["member"]);

    const record = await store.get(sub);
    await store.setRoles(sub, ["member", "support"], record?.version as number, {
      sub,
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: "test:admin",
      action: "user.roles.set",
      reason: "promotion",
    });

    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: info.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken as string },
      }),
    );
    for (const token of [
      refreshed.AuthenticationResult?.IdToken,
      refreshed.AuthenticationResult?.AccessToken,
    ]) {
      const refreshedClaims = claims(token);
      expect(refreshedClaims[config.claims.roles]).toEqual(["member", "support"]);
      expect(refreshedClaims[config.claims.permissions]).toEqual(
        permissionsFor(config, ["member", "support"]),
      );
    }
  });

  it("maps Cognito group membership to roles in both tokens (the V2 event carries the real groups)", async () => {
    const { email, sub } = await registeredUser("grouped");
    const [group, mapped] =
      Object.entries(config.groups).find(([, settings]) => settings.roles.length > 0) ?? [];
    if (!group || !mapped) throw new Error("the config maps no group to a role");
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: info.userPoolId, Username: sub, GroupName: group }),
    );
    const tokens = await signIn(email);
    for (const token of [tokens.IdToken, tokens.AccessToken]) {
      const tokenClaims = claims(token);
      expect(tokenClaims["cognito:groups"]).toEqual([group]);
      expect(tokenClaims[config.claims.roles]).toEqual(expect.arrayContaining([...mapped.roles, "member"]));
    }
    // Group roles are derived at token time, never stored.
    expect((await store.get(sub))?.roles).toEqual(["member"]);
  });

  it("delivers every message cognito-local sends to the SES inbox, rendered by our trigger with the real code", async () => {
    // AdminCreateUser: the invitation, with the temporary password and the sign-in name.
    const invited = newEmail("invited");
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: info.userPoolId,
        Username: invited,
        UserAttributes: [
          { Name: "email", Value: invited },
          { Name: "name", Value: "Ivy Invitee" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const invitedSub = created.User?.Attributes?.find((entry) => entry.Name === "sub")?.Value as string;
    const invitation = newest(await inboxFor(info.endpoints.ses, invited));
    const invitationExpected = expectedMessage("adminCreateUser", {
      email: invited,
      name: "Ivy Invitee",
      code: storedUser(invitedSub).Password,
    });
    expect(invitation.subject).toBe(invitationExpected.subject);
    expect(invitation.body.html).toBe(invitationExpected.html);

    // UpdateUserAttribute: a changed email gets a verification code at the new address.
    const { email, sub } = await registeredUser("mover", "Mo Mover");
    const { AccessToken } = await signIn(email);
    const moved = newEmail("moved");
    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: moved }],
      }),
    );
    const updateEmail = newest(await inboxFor(info.endpoints.ses, moved));
    const updateExpected = expectedMessage("updateUserAttribute", {
      email: moved,
      name: "Mo Mover",
      code: storedUser(sub).AttributeVerificationCode as string,
    });
    expect(updateEmail.subject).toBe(updateExpected.subject);
    expect(updateEmail.body.html).toBe(updateExpected.html);

    // VerifyUserAttribute: asking for a new verification code.
    await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    const verifyEmail = newest(await inboxFor(info.endpoints.ses, moved));
    const verifyExpected = expectedMessage("verifyUserAttribute", {
      email: moved,
      name: "Mo Mover",
      code: storedUser(sub).AttributeVerificationCode as string,
    });
    expect(verifyEmail.subject).toBe(verifyExpected.subject);
    expect(verifyEmail.body.html).toBe(verifyExpected.html);

    // SMS (an invitation to a user with a phone number) lands in the same inbox, by number.
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const texted = newEmail("texted");
    const smsUser = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: info.userPoolId,
        Username: texted,
        UserAttributes: [
          { Name: "email", Value: texted },
          { Name: "phone_number", Value: phone },
        ],
        DesiredDeliveryMediums: ["SMS"],
      }),
    );
    const smsSub = smsUser.User?.Attributes?.find((entry) => entry.Name === "sub")?.Value as string;
    const sms = newest(await inboxFor(info.endpoints.ses, smsInboxAddress(phone)));
    expect(emailText(sms)).toBe(
      expectedMessage("adminCreateUser", { email: texted, code: storedUser(smsSub).Password }).sms,
    );

    // Nothing anywhere in the inbox still carries a placeholder.
    for (const entry of await sesInbox(info.endpoints.ses)) {
      expect(`${entry.subject} ${entry.body.html ?? ""} ${entry.body.text ?? ""}`).not.toMatch(
        /\{####\}|\{username\}/,
      );
    }
  });
});
