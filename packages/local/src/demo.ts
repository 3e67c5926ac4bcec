import { parseArgs } from "node:util";
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UserLambdaValidationException,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * `npm run demo`: walks the user lifecycle against the local stack the way an app would, with the
 * AWS SDK's Cognito client, and prints what happens at each step. Uses the running stack from
 * `.local/stack.json`; if none answers, starts one for the demo and stops it at the end.
 */
const usage = `Usage: npm run demo [-- --help]

Walks the user lifecycle against the local stack as an app would (sign-up, the code email,
confirmation, sign-in with the role claims of the ID and the access token, the synced record, a
password reset, the lifecycle events the local EventBridge received) and prints each step. Uses the stack from .local/stack.json (or
LIFECYCLE_LOCAL_DATA_DIR); if none answers, starts one for the demo and stops it at the end.

Options:
  -h, --help   show this help
`;
try {
  if (parseArgs({ options: { help: { type: "boolean", short: "h" } }, strict: true }).values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
} catch (error) {
  process.stderr.write(`\n${(error as Error).message}\n\n${usage}`);
  process.exit(1);
}

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { DynamoUserStore } = await import("@cognito-lifecycle/aws");
const { maskEmail } = await import("@cognito-lifecycle/core");
const { codeIn, defaultDataDir, eventBridgeEvents, inboxFor, localCredentials, readStackInfo, startStack } =
  await import("./index.ts");
type StackInfo = NonNullable<ReturnType<typeof readStackInfo>>;
type StoredEmail = Awaited<ReturnType<typeof inboxFor>>[number];

const out = (line = "") => process.stdout.write(`${line}\n`);
let stepNumber = 0;
const step = (title: string) => out(`\n${++stepNumber}. ${title}`);
const say = (line: string) => out(`   ${line}`);
const field = (label: string, value: unknown) =>
  say(`${`${label}:`.padEnd(20)} ${typeof value === "string" ? value : JSON.stringify(value)}`);

async function answers(info: StackInfo): Promise<boolean> {
  try {
    const [cognito, ses] = await Promise.all([
      fetch(`${info.endpoints.cognito}/health`, { signal: AbortSignal.timeout(1_500) }),
      fetch(`${info.endpoints.ses}/store?since=${Math.floor(Date.now() / 1000)}`, {
        signal: AbortSignal.timeout(1_500),
      }),
    ]);
    return cognito.ok && ses.ok;
  } catch {
    return false;
  }
}

/** The sentence our trigger refused with, out of Cognito's `<Trigger> failed with error <message>.` */
function userFacing(message: string): string {
  return /failed with error (.*?)\.?$/s.exec(message)?.[1] ?? message;
}

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

async function newestEmail(info: StackInfo, to: string, after: Set<string>): Promise<StoredEmail> {
  const email = (await inboxFor(info.endpoints.ses, to))
    .filter((entry) => !after.has(entry.messageId))
    .at(-1);
  if (!email) throw new Error(`No email to ${to} arrived in the SES inbox`);
  return email;
}

async function seen(info: StackInfo, to: string): Promise<Set<string>> {
  return new Set((await inboxFor(info.endpoints.ses, to)).map((entry) => entry.messageId));
}

/** What the local EventBridge received since `since`; waits briefly for the stream to deliver. */
async function lifecycleEvents(info: StackInfo, since: number) {
  const endpoint = info.endpoints.eventbridge;
  if (!endpoint) return undefined;
  let events: Awaited<ReturnType<typeof eventBridgeEvents>> = [];
  // The events function runs from the table's stream a moment after each change.
  for (let attempt = 0; attempt < 20; attempt++) {
    events = await eventBridgeEvents(endpoint, since);
    if (events.length > 0 && attempt >= 4) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return events;
}

async function showEvents(info: StackInfo, since: number, sub: string): Promise<void> {
  step("The lifecycle events since Dana's sign-up, as the local EventBridge received them");
  const events = await lifecycleEvents(info, since);
  if (events === undefined) {
    say("This stack has no local EventBridge (started before it existed); restart npm start.");
    return;
  }
  if (events.length === 0) {
    say("None received. The events function (functions/events.ts) publishes them from the table's");
    say(`stream; without it nothing reaches ${info.endpoints.eventbridge}. Running stream consumers:`);
    say(`${info.localFunctions?.streamConsumers.join(", ") || "none"}.`);
    return;
  }
  for (const event of events) {
    const detail = event.detail as { data?: { version?: unknown } };
    const whose = JSON.stringify(event.detail).includes(sub) ? "Dana's" : "another user's";
    field(
      event.detailType,
      `${whose}, bus ${event.eventBusName}, source ${event.source}, version ${detail.data?.version ?? "?"}`,
    );
  }
  field("see them at", `${info.endpoints.eventbridge}  (JSON at /events)`);
  if (info.endpoints.webhookInbox) {
    field(
      "webhook inbox",
      `${info.endpoints.webhookInbox}  (register ${info.endpoints.webhookInbox}/hooks/dev)`,
    );
  }
}

/** What every step of the walk uses: the stack, its clients, and Dana's address and passwords. */
interface Walk {
  info: StackInfo;
  cognito: CognitoIdentityProviderClient;
  store: InstanceType<typeof DynamoUserStore>;
  email: string;
  password: string;
  newPassword: string;
}

async function refusedSignUp({ info, cognito, password }: Walk): Promise<void> {
  step("A sign-up from a disposable address is refused by the pre sign-up trigger");
  try {
    await cognito.send(
      new SignUpCommand({ ClientId: info.clientId, Username: "someone@mailinator.com", Password: password }),
    );
    throw new Error("The disposable sign-up was accepted; the pre sign-up trigger did not refuse it");
  } catch (error) {
    if (!(error instanceof UserLambdaValidationException)) throw error;
    field("SignUp", "someone@mailinator.com");
    field("Cognito answered", `${error.name}: ${error.message}`);
    field("The app shows", `"${userFacing(error.message)}"`);
  }
}

async function signUpAndConfirm({ info, cognito, email, password }: Walk): Promise<void> {
  step(`Dana signs up as ${email}`);
  const before = await seen(info, email);
  const signUp = await cognito.send(
    new SignUpCommand({
      ClientId: info.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "name", Value: "Dana Demo" }],
    }),
  );
  field("user sub", signUp.UserSub);
  field("confirmed", signUp.UserConfirmed);
  field("code sent by", `${signUp.CodeDeliveryDetails?.DeliveryMedium} to ${maskEmail(email)}`);

  step("The confirmation email, rendered by the custom message trigger");
  const codeEmail = await newestEmail(info, email, before);
  const code = codeIn(codeEmail);
  if (!code) throw new Error("The confirmation email has no six-digit code in it");
  field("from", codeEmail.from);
  field("subject", codeEmail.subject);
  field("code in the email", code);
  field("see it at", `${info.endpoints.ses}  (the SES inbox web page)`);

  step("Dana enters the code: ConfirmSignUp runs the post confirmation trigger");
  const beforeWelcome = await seen(info, email);
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId: info.clientId, Username: email, ConfirmationCode: code }),
  );
  field("confirmed", true);
  const welcome = (await inboxFor(info.endpoints.ses, email)).filter(
    (entry) => !beforeWelcome.has(entry.messageId),
  );
  field("welcome email", welcome.map((entry) => entry.subject).join(", ") || "(none)");
}

async function signIn({ info, cognito }: Walk, email: string, password: string) {
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: info.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const { IdToken: idToken, AccessToken: accessToken } = answer.AuthenticationResult ?? {};
  if (!idToken || !accessToken) throw new Error("Sign-in returned no ID or access token");
  return { idToken, accessToken };
}

/** Signs Dana in and prints both tokens' claims; answers Dana's sub. */
async function showTokens(walk: Walk): Promise<string> {
  step("Dana signs in (USER_PASSWORD_AUTH): the pre token generation trigger adds roles");
  const { idToken, accessToken } = await signIn(walk, walk.email, walk.password);
  const claims = claimsOf(idToken);
  const access = claimsOf(accessToken);
  say(
    `pre token generation event ${(walk.info.tokenEvents ?? "v1").toUpperCase()}, as a pool's LambdaVersion`,
  );
  say("ID token");
  field("  sub", claims.sub);
  field("  email", claims.email);
  field("  roles", claims.roles);
  field("  permissions", claims.permissions);
  field("  iss", claims.iss);
  field("  expires", new Date(Number(claims.exp) * 1000).toISOString());
  say("access token (what an API authorising on access tokens reads)");
  field("  roles", access.roles ?? "(none: a V1 pool changes the ID token only)");
  field("  permissions", access.permissions ?? "(none)");
  field("  scope", access.scope);
  field("  client_id", access.client_id);
  return String(claims.sub);
}

async function showRecord({ info, store }: Walk, sub: string): Promise<void> {
  step("The synced user record in DynamoDB: what the admin console shows");
  const record = await store.get(sub);
  if (!record) throw new Error(`No user record for ${sub} in ${info.tableName}`);
  field("email", record.email);
  field("name", record.name);
  field("status", record.status);
  field("roles", record.roles);
  field("source", record.source);
  field("createdAt", record.createdAt);
  field("lastSignInAt", record.lastSignInAt ?? "(not yet)");
  field("welcomeEmail", record.welcomeEmail?.status);
  field("version", record.version);
}

async function resetPassword(walk: Walk, sub: string): Promise<void> {
  const { info, cognito, email, newPassword } = walk;
  step("Dana forgot the password: ForgotPassword, the code from the inbox, ConfirmForgotPassword");
  const beforeReset = await seen(info, email);
  await cognito.send(new ForgotPasswordCommand({ ClientId: info.clientId, Username: email }));
  const resetEmail = await newestEmail(info, email, beforeReset);
  const resetCode = codeIn(resetEmail);
  if (!resetCode) throw new Error("The password reset email has no six-digit code in it");
  field("reset email", resetEmail.subject);
  field("code in the email", resetCode);
  await cognito.send(
    new ConfirmForgotPasswordCommand({
      ClientId: info.clientId,
      Username: email,
      ConfirmationCode: resetCode,
      Password: newPassword,
    }),
  );
  await signIn(walk, email, newPassword);
  field("signed in with", "the new password");
  field("passwordChangedAt", (await walk.store.get(sub))?.passwordChangedAt ?? "(not recorded)");
}

async function walk(info: StackInfo): Promise<void> {
  const local = { endpoint: "", region: info.region, credentials: localCredentials };
  const cognito = new CognitoIdentityProviderClient({ ...local, endpoint: info.endpoints.cognito });
  const dynamo = new DynamoDBClient({ ...local, endpoint: info.endpoints.dynamodb });
  const store = new DynamoUserStore(
    DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    info.tableName,
  );
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const walk: Walk = {
    info,
    cognito,
    store,
    email: `dana.demo-${stamp}@example.com`,
    password: "Demo-passw0rd!",
    newPassword: "Demo-passw0rd-2!",
  };
  out(`Walking the user lifecycle against cognito-local at ${info.endpoints.cognito}`);
  out(`(user pool ${info.userPoolId}, app client ${info.clientId}), as an app would with the AWS SDK.`);
  await refusedSignUp(walk);
  const signUpAt = Date.now();
  await signUpAndConfirm(walk);
  const sub = await showTokens(walk);
  await showRecord(walk, sub);
  await resetPassword(walk, sub);
  await showEvents(info, signUpAt, sub);
  out(`\nDone. Every email above is in the SES inbox: ${info.endpoints.ses}`);
  out(`The bootstrap admin (${info.admin.email}) signs in with the password in .local/stack.json.`);
  cognito.destroy();
  dynamo.destroy();
}

const dataDir = process.env.LIFECYCLE_LOCAL_DATA_DIR ?? defaultDataDir;
const running = readStackInfo(dataDir);
let own: Awaited<ReturnType<typeof startStack>> | undefined;
let info: StackInfo;
if (running && (await answers(running))) {
  info = running;
} else {
  out(
    "No local stack answers, so the demo starts one now and stops it at the end (npm start keeps one running).",
  );
  try {
    own = await startStack({ dataDir, log: (line) => out(`      · ${line}`) });
  } catch (error) {
    process.stderr.write(`\nThe local stack did not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  info = own.info;
}
try {
  await walk(info);
} catch (error) {
  process.stderr.write(`\nThe demo stopped: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await own?.stop();
}
