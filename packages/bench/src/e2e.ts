import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { itemKeys, userTable } from "@cognito-lifecycle/aws";
import {
  codeIn,
  freeStackPorts,
  inboxFor,
  localCredentials,
  localRegion,
  startStack,
} from "@cognito-lifecycle/local";
import { type Distribution, distribution, pool, round } from "./stats.ts";

export interface EndToEndResult {
  lifecycles: number;
  concurrency: number;
  completed: number;
  failed: number;
  failures: string[];
  seconds: number;
  lifecycles_per_second: number;
  lifecycle_ms: Distribution;
  /** Confirmed users without a record in the table once every lifecycle is done. */
  lost_records: number;
  /** Addresses that received more than one welcome email. */
  duplicate_welcome_emails: number;
  welcome_emails: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Cognito = CognitoIdentityProviderClient;
type StackInfo = Awaited<ReturnType<typeof startStack>>["info"];

/** One lifecycle: SignUp, the code from the inbox, ConfirmSignUp, sign-in with USER_PASSWORD_AUTH; the new sub. */
async function lifecycle(cognito: Cognito, info: StackInfo, email: string, index: number): Promise<string> {
  const password = "Bench-Passw0rd!x";
  const signUp = await cognito.send(
    new SignUpCommand({
      ClientId: info.clientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "name", Value: `E2E ${index}` },
      ],
    }),
  );
  let code: string | undefined;
  for (let attempt = 0; !code && attempt < 100; attempt++) {
    if (attempt > 0) await wait(50);
    const messages = await inboxFor(info.endpoints.ses, email);
    code = messages.map(codeIn).find((value) => value !== undefined);
  }
  if (!code) throw new Error("no confirmation code arrived");
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId: info.clientId, Username: email, ConfirmationCode: code }),
  );
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: info.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (!auth.AuthenticationResult?.IdToken) throw new Error("sign-in returned no tokens");
  return String(signUp.UserSub);
}

/** Confirmed users without a profile in the table. */
async function lostRecords(
  dynamo: DynamoDBClient,
  info: StackInfo,
  subs: readonly string[],
): Promise<number> {
  let lost = 0;
  for (const sub of subs) {
    const item = await dynamo.send(
      new GetItemCommand({
        TableName: info.tableName,
        Key: {
          [userTable.partitionKey]: { S: itemKeys.user(sub) },
          [userTable.sortKey]: { S: itemKeys.profile },
        },
        ConsistentRead: true,
      }),
    );
    if (!item.Item) lost++;
  }
  return lost;
}

/** Welcome emails received, and addresses that received more than one. */
async function welcomeEmails(info: StackInfo, emails: readonly string[]) {
  // The welcome email is the one message a user gets that carries no code.
  await wait(500);
  let duplicates = 0;
  let welcomes = 0;
  for (const email of emails) {
    const count = (await inboxFor(info.endpoints.ses, email)).filter((message) => !codeIn(message)).length;
    welcomes += count;
    if (count > 1) duplicates++;
  }
  return { duplicates, welcomes };
}

/**
 * N complete lifecycles through the local stack (cognito-local invoking the real triggers,
 * DynamoDB Local, local SES), `concurrency` at a time: SignUp, read the code from the inbox,
 * ConfirmSignUp, sign in with USER_PASSWORD_AUTH. Then checks every user has exactly one record
 * and at most one welcome email.
 */
export async function measureEndToEnd(options: {
  lifecycles: number;
  concurrency: number;
}): Promise<EndToEndResult> {
  const dataDir = await mkdtemp(join(tmpdir(), "cognito-lifecycle-e2e-"));
  const ports = await freeStackPorts();
  const stack = await startStack({ dataDir, ports, fresh: true });
  const { info } = stack;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: info.endpoints.cognito,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const dynamo = new DynamoDBClient({
    endpoint: info.endpoints.dynamodb,
    region: localRegion,
    credentials: localCredentials,
  });
  const run = Date.now().toString(36);
  const failures: string[] = [];
  const subs: { sub: string; email: string }[] = [];
  const durations: number[] = [];
  const started = Date.now();
  try {
    await pool(options.concurrency, options.lifecycles, async (index) => {
      const email = `e2e.${run}.${index}@example.com`;
      const begin = process.hrtime.bigint();
      try {
        const sub = await lifecycle(cognito, info, email, index);
        durations.push(Number(process.hrtime.bigint() - begin) / 1e6);
        subs.push({ sub, email });
      } catch (error) {
        failures.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
    });
    const seconds = (Date.now() - started) / 1000;
    const lost = await lostRecords(
      dynamo,
      info,
      subs.map((entry) => entry.sub),
    );
    const { duplicates, welcomes } = await welcomeEmails(
      info,
      subs.map((entry) => entry.email),
    );
    const lifecycleMs = distribution(durations);
    return {
      lifecycles: options.lifecycles,
      concurrency: options.concurrency,
      completed: subs.length,
      failed: failures.length,
      failures: [...new Set(failures)].slice(0, 5),
      seconds: round(seconds, 1),
      lifecycles_per_second: round(subs.length / seconds, 2),
      lifecycle_ms: {
        ...lifecycleMs,
        p50: round(lifecycleMs.p50, 1),
        p99: round(lifecycleMs.p99, 1),
        mean: round(lifecycleMs.mean, 1),
      },
      lost_records: lost,
      duplicate_welcome_emails: duplicates,
      welcome_emails: welcomes,
    };
  } finally {
    cognito.destroy();
    dynamo.destroy();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
