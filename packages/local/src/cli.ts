import { relative } from "node:path";
import { parseArgs } from "node:util";
import { type TokenEventVersion, tokenEventVersions } from "./token-events.ts";

/**
 * `npm start`: the offline stack in the foreground. Starts everything on 127.0.0.1, creates what
 * is missing, prints a banner, logs each trigger run and email, and stops everything on Ctrl-C
 * or SIGTERM. Ports, data directory and admin email come from flags or LIFECYCLE_LOCAL_* env.
 */
const usage = `Usage: npm start -- [options]

Runs the whole user lifecycle offline: DynamoDB Local, a local SES inbox, cognito-local and the
trigger handlers, on 127.0.0.1. Data is kept in .local/ between runs.

Options (environment variable in brackets):
  --fresh                 delete .local/ data first: new table, user pool, app client and admin
  --data-dir <dir>        where data, logs and stack.json live   [LIFECYCLE_LOCAL_DATA_DIR] (.local)
  --admin-email <email>   the bootstrap admin                    [LIFECYCLE_LOCAL_ADMIN_EMAIL] (admin@example.com)
  --dynamodb-port <n>     DynamoDB Local                         [LIFECYCLE_LOCAL_DYNAMODB_PORT] (8000)
  --ses-port <n>          local SES API and inbox web page       [LIFECYCLE_LOCAL_SES_PORT] (8005)
  --cognito-port <n>      cognito-local                          [LIFECYCLE_LOCAL_COGNITO_PORT] (9229)
  --invoke-port <n>       trigger invoke endpoint (Lambda API)   [LIFECYCLE_LOCAL_INVOKE_PORT] (3002)
  --admin-port <n>        admin API and console                  [LIFECYCLE_LOCAL_ADMIN_PORT] (3000)
  --eventbridge-port <n>  local EventBridge (PutEvents) and its page [LIFECYCLE_LOCAL_EVENTBRIDGE_PORT] (8006)
  --webhook-inbox-port <n> webhook inbox (/hooks/<name>) and its page [LIFECYCLE_LOCAL_WEBHOOK_INBOX_PORT] (8007)
  --kms-port <n>          local KMS, with delivery "custom-sender" [LIFECYCLE_LOCAL_KMS_PORT] (8008)
  --sns-port <n>          local SNS (SMS), with delivery "custom-sender" [LIFECYCLE_LOCAL_SNS_PORT] (8009)
  --webhook-dispatch-every <s> seconds between local webhook dispatch runs
                                                                 [LIFECYCLE_LOCAL_WEBHOOK_DISPATCH_SECONDS] (5)
  --token-events <v>      pre token generation event version, as a pool's LambdaVersion:
                          v2 (V2_0, both tokens), v1 (V1_0, ID token only) or v3 (V3_0)
                                                                 [LIFECYCLE_LOCAL_TOKEN_EVENTS] (v2)
  -h, --help              show this help
`;

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        fresh: { type: "boolean", default: false },
        "data-dir": { type: "string" },
        "admin-email": { type: "string" },
        "dynamodb-port": { type: "string" },
        "ses-port": { type: "string" },
        "cognito-port": { type: "string" },
        "invoke-port": { type: "string" },
        "admin-port": { type: "string" },
        "eventbridge-port": { type: "string" },
        "kms-port": { type: "string" },
        "sns-port": { type: "string" },
        "webhook-inbox-port": { type: "string" },
        "webhook-dispatch-every": { type: "string" },
        "token-events": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
})();
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

function port(flag: string, env: string): number | undefined {
  const raw = (values as Record<string, string | boolean | undefined>)[flag] ?? process.env[env];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    fail(`--${flag} (or ${env}) must be a port number from 1 to 65535, got "${String(raw)}".`);
  }
  return value;
}

const ports = Object.fromEntries(
  (
    [
      ["dynamodb", "dynamodb-port", "LIFECYCLE_LOCAL_DYNAMODB_PORT"],
      ["ses", "ses-port", "LIFECYCLE_LOCAL_SES_PORT"],
      ["cognito", "cognito-port", "LIFECYCLE_LOCAL_COGNITO_PORT"],
      ["invoke", "invoke-port", "LIFECYCLE_LOCAL_INVOKE_PORT"],
      ["admin", "admin-port", "LIFECYCLE_LOCAL_ADMIN_PORT"],
      ["eventbridge", "eventbridge-port", "LIFECYCLE_LOCAL_EVENTBRIDGE_PORT"],
      ["webhookInbox", "webhook-inbox-port", "LIFECYCLE_LOCAL_WEBHOOK_INBOX_PORT"],
      ["kms", "kms-port", "LIFECYCLE_LOCAL_KMS_PORT"],
      ["sns", "sns-port", "LIFECYCLE_LOCAL_SNS_PORT"],
    ] as const
  ).flatMap(([key, flag, env]) => {
    const value = port(flag, env);
    return value === undefined ? [] : [[key, value]];
  }),
);

const tokenEvents = values["token-events"] ?? process.env.LIFECYCLE_LOCAL_TOKEN_EVENTS;
if (tokenEvents !== undefined && !tokenEventVersions.includes(tokenEvents as TokenEventVersion)) {
  fail(`--token-events (or LIFECYCLE_LOCAL_TOKEN_EVENTS) must be v1, v2 or v3, got "${tokenEvents}".`);
}

const dispatchRaw = values["webhook-dispatch-every"] ?? process.env.LIFECYCLE_LOCAL_WEBHOOK_DISPATCH_SECONDS;
const dispatchSeconds = dispatchRaw === undefined || dispatchRaw === "" ? undefined : Number(dispatchRaw);
if (dispatchSeconds !== undefined && !(dispatchSeconds >= 0.1 && dispatchSeconds <= 3600)) {
  fail(
    `--webhook-dispatch-every (or LIFECYCLE_LOCAL_WEBHOOK_DISPATCH_SECONDS) must be 0.1 to 3600 seconds, got "${dispatchRaw}".`,
  );
}

// Handler logs: warnings and errors by default; POWERTOOLS_LOG_LEVEL=INFO shows every decision.
// Set before the stack (and with it the handlers' logger) is loaded.
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
// The SDK warns on every start that releases after January 2027 need Node 22; Node 20 is supported here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const {
  JavaMissingError,
  PortInUseError,
  assertPortFree,
  defaultDataDir,
  defaultPorts,
  ensureConsoleBuilt,
  stackFile,
  startStack,
} = await import("./index.ts");
const { fromSources } = await import("./installed.ts");
const { serveAdmin, settingsFromStack } = await import("@cognito-lifecycle/admin");
const { withEnvironment } = await import("@cognito-lifecycle/core");
const { default: lifecycleConfig } = await import("../../../lifecycle.config.ts");

const time = () => new Date().toTimeString().slice(0, 8);
const log = (line: string) => process.stdout.write(`${time()}  ${line}\n`);
const startedAt = Date.now();
const dataDir = values["data-dir"] ?? process.env.LIFECYCLE_LOCAL_DATA_DIR ?? defaultDataDir;
process.stdout.write(
  `Starting the local stack${values.fresh ? " from scratch" : ""}: DynamoDB Local, SES inbox, cognito-local, triggers, EventBridge, webhook inbox...\n`,
);

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  // startStack checks its own ports; the admin port is served here, so check it first too.
  await assertPortFree("admin API and console", ports.admin ?? defaultPorts.admin);
  stack = await startStack({
    dataDir,
    ports,
    fresh: values.fresh,
    log,
    ...(dispatchSeconds ? { webhookDispatchEveryMs: dispatchSeconds * 1000 } : {}),
    deleteSignal: true,
    ...(tokenEvents ? { tokenEvents: tokenEvents as TokenEventVersion } : {}),
    ...((values["admin-email"] ?? process.env.LIFECYCLE_LOCAL_ADMIN_EMAIL)
      ? { adminEmail: values["admin-email"] ?? process.env.LIFECYCLE_LOCAL_ADMIN_EMAIL }
      : {}),
  });
} catch (error) {
  if (error instanceof PortInUseError || error instanceof JavaMissingError) fail(error.message);
  fail(`The local stack did not start: ${(error as Error).message}`);
}

// The admin API and the console, next to each other on the admin port (3000 by default).
let admin: Awaited<ReturnType<typeof serveAdmin>>;
try {
  const staticDir = await ensureConsoleBuilt();
  admin = await serveAdmin({
    port: Number(new URL(stack.info.endpoints.admin).port),
    settings: settingsFromStack(withEnvironment(lifecycleConfig), stack.info),
    staticDir,
  });
} catch (error) {
  await stack.stop();
  fail(`The admin API and console did not start: ${(error as Error).message}`);
}

let stopping = false;
async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) {
    process.stdout.write("Stopping already; press Ctrl-C again to force.\n");
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the local stack...\n`);
  await admin.close();
  await stack.stop();
  process.stdout.write("Stopped. Nothing is listening any more.\n");
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(signal));
}
process.on("uncaughtException", (error) => {
  process.stderr.write(`Unexpected error: ${error.stack ?? error.message}\n`);
  void shutdown("error", 1);
});

const { info } = stack;
const shown = (path: string) => {
  const relativePath = relative(process.cwd(), path);
  return relativePath && !relativePath.startsWith("..") ? relativePath : path;
};
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
const adminLine = stack.adminPasswordIsNew
  ? `${info.admin.email} / ${info.admin.password}   (shown once; also in ${shown(stackFile(stack.dataDir))})`
  : `${info.admin.email}   (password in ${shown(stackFile(stack.dataDir))})`;
process.stdout.write(`
  Local stack ready in ${seconds} s. Everything runs offline on 127.0.0.1.

  Admin console and API    ${admin.url}   (API under /api)
  SES inbox (every email)  ${info.endpoints.ses}
  Cognito (cognito-local)  ${info.endpoints.cognito}   pool ${info.userPoolId}, app client ${info.clientId}
  DynamoDB Local           ${info.endpoints.dynamodb}   table ${info.tableName}
  Trigger invoke endpoint  ${info.endpoints.invoke}
  EventBridge (PutEvents)  ${info.endpoints.eventbridge}   (page of received events; JSON at /events)
  Webhook inbox            ${info.endpoints.webhookInbox}   (register ${info.endpoints.webhookInbox}/hooks/dev as an endpoint)
${
  info.endpoints.kms
    ? `  Local KMS                ${info.endpoints.kms}   (delivery custom-sender: codes reach the inbox through CustomEmailSender)
`
    : ""
}${
  info.endpoints.sns
    ? `  Local SNS (SMS)           ${info.endpoints.sns}   (delivery custom-sender: SMS reach the inbox through CustomSmsSender)
`
    : ""
}  Stream consumers         ${info.localFunctions.streamConsumers.join(", ") || "none yet (functions/events.ts not present)"}
  Scheduled functions      ${info.localFunctions.schedules.join(", ") || "none yet (functions/webhook-dispatch.ts not present)"}
  Token claims             pre token generation ${info.tokenEvents.toUpperCase()} (${info.tokenEvents === "v1" ? "ID token only" : "ID and access token"}; --token-events to change)
  Admin login              ${adminLine}

  ${fromSources ? "Next: in another terminal, run  npm run demo  to walk sign-up, email, sign-in and password reset." : "Next: sign up through the app client above; the code email arrives in the SES inbox."}
  Scripts and tests read ${shown(stackFile(stack.dataDir))}. Logs: ${shown(stack.dataDir)}/logs/. Ctrl-C stops everything.

`);
