import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { type AdminRuntime, createAdminRuntime, settingsFromStack } from "@cognito-lifecycle/admin";
import { ensureUserTable, senderAddress } from "@cognito-lifecycle/aws";
import { type LifecycleConfig, maskEmail, normaliseEmail } from "@cognito-lifecycle/core";
import type { CloudTrailEvent } from "./cloudtrail.ts";
import { startCognitoLocal } from "./cognito.ts";
import { localCredentials, localRegion } from "./credentials.ts";
import { type RunningService, requireJava, startDynamoDbLocal } from "./dynamodb.ts";
import { startLocalEventBridge } from "./eventbridge.ts";
import {
  enforceIam,
  type IamChecker,
  type IamTarget,
  localAccount,
  localEventResources,
  stopEnforcingIam,
  writeUnusedGrants,
} from "./iam.ts";
import { defaultDataDirectory, handlersDir } from "./installed.ts";
import { HandlerRegistry, type InvocationRecord, startInvokeServer } from "./invoke.ts";
import { startLocalKms } from "./kms.ts";
import { localFunctions } from "./local-functions.ts";
import { SesMessageSender, smsToInbox } from "./message-sender.ts";
import { assertPortFree, freePort } from "./ports.ts";
import { ensureAppClient, ensureBootstrapAdmin, ensureGroups, ensureUserPool } from "./provision.ts";
import { type ScheduledFunction, type ScheduledRun, startScheduler } from "./scheduler.ts";
import { type LocalDelivery, localDelivery } from "./senders.ts";
import { startSesLocal } from "./ses.ts";
import { startSesFeedback } from "./ses-feedback.ts";
import { startLocalSns } from "./sns.ts";
import { type BatchReport, type StreamConsumer, startStreamPoller } from "./streams.ts";
import { defaultTokenEventVersion, type TokenEventVersion } from "./token-events.ts";
import { warmUpDynamoDb } from "./warm-up.ts";
import { startWebhookInbox } from "./webhook-inbox.ts";

/** The repository's `.local/` from sources; the app's (working directory) from the installed package. */
export const defaultDataDir = defaultDataDirectory();
export const defaultAdminEmail = "admin@example.com";

export interface StackPorts {
  dynamodb: number;
  ses: number;
  cognito: number;
  invoke: number;
  /** The admin API and console; reported in stack.json, served by the admin package. */
  admin: number;
  /** The local EventBridge `PutEvents` endpoint and its page of received events. */
  eventbridge: number;
  /** The webhook inbox: `/hooks/<name>` receives deliveries, `/` shows them. */
  webhookInbox: number;
  /** The local KMS the custom senders' codes are encrypted with (only with `delivery: "custom-sender"`). */
  kms: number;
  /** The local SNS the custom SMS sender publishes to (only with `delivery: "custom-sender"`). */
  sns: number;
}

export const defaultPorts: StackPorts = {
  dynamodb: 8000,
  ses: 8005,
  cognito: 9229,
  invoke: 3002,
  admin: 3000,
  eventbridge: 8006,
  webhookInbox: 8007,
  kms: 8008,
  sns: 8009,
};

/** A free port for every service, for tests and tools that run a stack beside others. */
export async function freeStackPorts(): Promise<StackPorts> {
  return {
    dynamodb: await freePort(),
    ses: await freePort(),
    cognito: await freePort(),
    invoke: await freePort(),
    admin: await freePort(),
    eventbridge: await freePort(),
    webhookInbox: await freePort(),
    kms: await freePort(),
    sns: await freePort(),
  };
}

const serviceNames: Record<Exclude<keyof StackPorts, "admin" | "kms" | "sns">, string> = {
  dynamodb: "DynamoDB Local",
  ses: "local SES (aws-ses-v2-local)",
  cognito: "cognito-local",
  invoke: "trigger invoke endpoint",
  eventbridge: "local EventBridge",
  webhookInbox: "webhook inbox",
};

/** What `.local/stack.json` holds once the stack is ready. */
export interface StackInfo {
  region: string;
  userPoolId: string;
  clientId: string;
  tableName: string;
  /** The `iss` of the tokens cognito-local signs; its JWKS is at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  endpoints: {
    cognito: string;
    dynamodb: string;
    ses: string;
    invoke: string;
    admin: string;
    eventbridge: string;
    /** Register `<webhookInbox>/hooks/<name>` as a webhook endpoint. */
    webhookInbox: string;
    /** The local KMS, with `delivery: "custom-sender"`. */
    kms?: string;
    /** The local SNS (`Publish` to a phone number), with `delivery: "custom-sender"`. */
    sns?: string;
  };
  admin: { email: string; password: string };
  /** The environment a handler (or the admin API) needs to run against this stack. */
  handlerEnv: Record<string, string>;
  /** The pre token generation event version the pool sends (its `LambdaVersion`): v1, v2 or v3. */
  tokenEvents: TokenEventVersion;
  /** The functions fed from the table's stream, and those run on an interval (by function name). */
  localFunctions: { streamConsumers: string[]; schedules: string[] };
  /** The process running the stack (SIGTERM or SIGINT stops everything); removed when it stops. */
  pid?: number;
}

export interface StackOptions {
  /** Everything the stack keeps: DynamoDB data, cognito-local data, logs, stack.json. */
  dataDir?: string;
  ports?: Partial<StackPorts>;
  /** The bootstrap admin's email (default admin@example.com). */
  adminEmail?: string;
  /** Delete the stack's data first: a new table, pool, client and admin. */
  fresh?: boolean;
  /** One line per notable event (trigger invocations, emails delivered); no codes or passwords. */
  log?: (line: string) => void;
  config?: LifecycleConfig;
  /** Pre token generation event version, as a pool's `LambdaVersion` V1_0/V2_0/V3_0 (default v2). */
  tokenEvents?: TokenEventVersion;
  /**
   * The offline IAM check (on by default): every SDK call of a function is evaluated against
   * its role from packages/core/src/least-privilege.ts. `adjust` changes the grants (tests only).
   */
  iam?: false | { adjust?: Parameters<typeof enforceIam>[2] };
  /** The table's stream consumers (default: those of local-functions.ts whose file exists). */
  streamConsumers?: StreamConsumer[];
  /** Functions run on an interval (default: those of local-functions.ts whose file exists). */
  schedules?: ScheduledFunction[];
  /** How often the local webhook dispatch runs (default 5 s). */
  webhookDispatchEveryMs?: number;
  /**
   * Stand in for CloudTrail: run the delete signal on cognito-local's delete, attribute and
   * enable/disable calls (on with `npm start`; off by default, since it repairs at once the drift
   * that tests of reconcile and of the admin tools create on purpose).
   */
  deleteSignal?: boolean;
  /**
   * Stand in for SES event publishing (default on): mail to the SES mailbox simulator's
   * `bounce@` and `complaint@simulator.amazonses.com` runs functions/email-feedback.ts.
   */
  emailFeedback?: boolean;
}

export interface RunningStack {
  info: StackInfo;
  dataDir: string;
  /** The admin password was generated by this start (print it: it is shown only once). */
  adminPasswordIsNew: boolean;
  /** The offline IAM check, with what each function called (undefined with `iam: false`). */
  iam: IamChecker | undefined;
  stop(): Promise<void>;
}

export function stackFile(dataDir: string = defaultDataDir): string {
  return join(dataDir, "stack.json");
}

/** The stack.json of the last start in `dataDir`, if there is a readable one. */
export function readStackInfo(dataDir: string = defaultDataDir): StackInfo | undefined {
  try {
    return JSON.parse(readFileSync(stackFile(dataDir), "utf8")) as StackInfo;
  } catch {
    return undefined;
  }
}

function writeStackInfo(dataDir: string, info: StackInfo): void {
  const file = stackFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** The stack's own files; `fresh` removes exactly these, never anything else in the directory. */
function dataPaths(dataDir: string) {
  return {
    dynamodb: join(dataDir, "dynamodb"),
    cognito: join(dataDir, "cognito"),
    logs: join(dataDir, "logs"),
    streams: join(dataDir, "streams"),
    stackFile: stackFile(dataDir),
  };
}

/** What `--fresh` does: deletes the stack's data (and only that) from `dataDir`. */
export function clearStackData(dataDir: string = defaultDataDir): void {
  for (const path of Object.values(dataPaths(dataDir))) rmSync(path, { recursive: true, force: true });
}

/**
 * The trigger modules keep their SDK clients for the life of the process (as in a Lambda
 * container), bound to the environment they first ran with. A second stack in the same process
 * must therefore use the same endpoints and table.
 */
let handlersBoundTo: string | undefined;
let running = false;

function applyEnvironment(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

function maskPhone(phoneNumber: string): string {
  return `${"*".repeat(Math.max(0, phoneNumber.length - 2))}${phoneNumber.slice(-2)}`;
}

function describeInvocation(record: InvocationRecord): string {
  const what = record.triggerSource ?? record.functionName;
  return record.outcome === "ok"
    ? `trigger ${what}: ok (${record.ms} ms)`
    : `trigger ${what}: refused: ${record.errorMessage ?? "error"} (${record.ms} ms)`;
}

function describeBatch(report: BatchReport): string {
  const what = `${report.functionName}: ${report.records} stream record${report.records === 1 ? "" : "s"}`;
  if (report.outcome === "ok") return `${what}: ok (${report.ms} ms)`;
  const retry = report.retryFrom ? `, retrying from ${report.retryFrom}` : "";
  return report.outcome === "partial"
    ? `${what}: partial failure${retry} (${report.ms} ms)`
    : `${what}: failed: ${report.errorMessage ?? "error"}${retry} (${report.ms} ms)`;
}

function describeRun(run: ScheduledRun): string {
  return run.outcome === "ok"
    ? `scheduled ${run.functionName}: ok (${run.ms} ms)`
    : `scheduled ${run.functionName}: failed: ${run.errorMessage ?? "error"} (${run.ms} ms)`;
}

/** The options a start runs with, defaults applied. */
async function stackSettings(options: StackOptions) {
  return {
    // Loaded when a stack starts, not when this package is imported: from the installed package
    // the config (and the handlers importing it) exist only once the app's config is bound.
    config: options.config ?? (await import("../../../lifecycle.config.ts")).default,
    dataDir: resolve(options.dataDir ?? defaultDataDir),
    ports: { ...defaultPorts, ...options.ports } satisfies StackPorts,
    adminEmail: normaliseEmail(options.adminEmail ?? defaultAdminEmail),
    log: options.log ?? (() => {}),
    tokenEvents: options.tokenEvents ?? defaultTokenEventVersion,
  };
}

/** Every service needs its own port, and each must be free before anything starts. */
async function checkPorts(ports: StackPorts, config: LifecycleConfig): Promise<void> {
  const senders =
    config.delivery === "custom-sender"
      ? [
          ["kms", "local KMS"],
          ["sns", "local SNS"],
        ]
      : [];
  const checked = [...Object.entries(serviceNames), ...senders] as [keyof typeof serviceNames, string][];
  for (const [key, name] of checked) {
    const other = checked.find(([otherKey]) => otherKey !== key && ports[otherKey] === ports[key]);
    if (other) throw new Error(`Port ${ports[key]} is configured for both ${name} and ${other[1]}.`);
  }
  for (const [key, name] of checked) await assertPortFree(name, ports[key]);
}

function localEndpoints(ports: StackPorts, config: LifecycleConfig): StackInfo["endpoints"] {
  const host = "http://127.0.0.1";
  return {
    cognito: `${host}:${ports.cognito}`,
    dynamodb: `${host}:${ports.dynamodb}`,
    ses: `${host}:${ports.ses}`,
    invoke: `${host}:${ports.invoke}`,
    admin: `${host}:${ports.admin}`,
    eventbridge: `${host}:${ports.eventbridge}`,
    webhookInbox: `${host}:${ports.webhookInbox}`,
    ...(config.delivery === "custom-sender"
      ? { kms: `${host}:${ports.kms}`, sns: `${host}:${ports.sns}` }
      : {}),
  };
}

/** The names the stack gives its table and SES configuration set. */
function localResourceNames(config: LifecycleConfig) {
  return { tableName: `${config.appName}-users`, configurationSet: `${config.appName}-local` };
}

/**
 * What the offline IAM check grants on for a stack of `config`: its table, pool, SES identity and
 * configuration set, and the sender key with `delivery: "custom-sender"`. Also for a process that
 * serves the admin API against a stack running elsewhere (the browser tests' shared stack).
 */
export function localIamTarget(
  config: LifecycleConfig,
  userPoolId: string,
  senderKeyArn?: string,
): IamTarget {
  const { tableName, configurationSet } = localResourceNames(config);
  return {
    region: localRegion,
    account: localAccount,
    tableName,
    userPoolId,
    emailIdentity: config.branding.sender.address,
    configurationSet,
    ...(senderKeyArn ? { senderKeyArn } : {}),
  };
}

/** The environment every function (and the admin API) runs with against this stack. */
function handlerEnvironment(
  config: LifecycleConfig,
  endpoints: StackInfo["endpoints"],
  adminEmail: string,
  delivery: LocalDelivery,
): Record<string, string> {
  const { tableName, configurationSet } = localResourceNames(config);
  const bootstrapAdmins = new Set([
    ...(process.env.LIFECYCLE_BOOTSTRAP_ADMINS ?? "")
      .split(",")
      .map((value) => value.trim())
      .filter(Boolean),
    adminEmail,
  ]);
  return {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
    // The bus the offline IAM check grants PutEvents on; the local sink accepts any name.
    LIFECYCLE_EVENT_BUS_NAME: localEventResources.eventBusName,
    LIFECYCLE_TABLE_NAME: tableName,
    LIFECYCLE_SES_CONFIGURATION_SET: configurationSet,
    LIFECYCLE_BOOTSTRAP_ADMINS: [...bootstrapAdmins].join(","),
    // The local webhook inbox is plain http on 127.0.0.1; the deployed dispatcher never allows it.
    LIFECYCLE_WEBHOOKS_ALLOW_LOCAL_HTTP: "true",
    ...delivery.env,
  };
}

function localClients(endpoints: StackInfo["endpoints"]) {
  const common = { region: localRegion, credentials: localCredentials };
  return {
    ses: new SESv2Client({ endpoint: endpoints.ses, ...common }),
    dynamo: new DynamoDBClient({ endpoint: endpoints.dynamodb, ...common }),
    cognito: new CognitoIdentityProviderClient({ endpoint: endpoints.cognito, ...common }),
  };
}
type LocalClients = ReturnType<typeof localClients>;
type Settings = Awaited<ReturnType<typeof stackSettings>>;

/** What a running stack holds and must release, in the order `stop` releases it. */
interface StackState {
  settings: Settings;
  /** Which triggers cognito-local calls, and the local KMS with `delivery: "custom-sender"`. */
  delivery: LocalDelivery;
  clients: LocalClients;
  services: RunningService[];
  iam?: IamChecker;
  /** The delete signal's handler, once the pool exists: cognito-local's observed calls go to it. */
  deleteSignal?: { runtime: AdminRuntime; handle: (event: unknown) => Promise<unknown> };
}

function stopper(state: StackState, restoreEnvironment: () => void): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      // cognito-local first, so no trigger runs while the rest goes away.
      for (const service of [...state.services].reverse()) await service.stop();
      for (const client of Object.values(state.clients)) client.destroy();
      state.deleteSignal?.runtime.close();
      if (state.iam) {
        stopEnforcingIam();
        writeUnusedGrants(state.iam);
      }
      const current = readStackInfo(state.settings.dataDir);
      if (current?.pid === process.pid) {
        const { pid: _stopped, ...rest } = current;
        writeStackInfo(state.settings.dataDir, rest);
      }
      restoreEnvironment();
      running = false;
    })();
    return stopping;
  };
}

/** The emulators, the invoke endpoint and cognito-local, started together; the handlers load meanwhile. */
async function startServices(
  state: StackState,
  registry: HandlerRegistry,
  endpoints: StackInfo["endpoints"],
  options: StackOptions,
): Promise<void> {
  const { config, ports, log, tokenEvents, dataDir } = state.settings;
  const { delivery } = state;
  const paths = dataPaths(dataDir);
  const from = senderAddress(config);
  const sender = new SesMessageSender(state.clients.ses, from, (kind, to) =>
    log(
      `${kind === "sms" ? `SMS to ${maskPhone(to)}` : `email to ${maskEmail(to)}`} delivered to the SES inbox`,
    ),
  );
  // The custom SMS sender's SNS Publish: each SMS lands in the same inbox as cognito-local's own.
  const publishToInbox = async (sms: { phoneNumber: string; message: string }) => {
    await smsToInbox(state.clients.ses, from, sms.phoneNumber, sms.message);
    log(`SMS to ${maskPhone(sms.phoneNumber)} published to the local SNS, delivered to the SES inbox`);
  };
  const runDeleteSignal = async (event: CloudTrailEvent) => {
    const result = (await state.deleteSignal?.handle(event)) as { outcome: string } | undefined;
    if (result) log(`delete signal ${event.detail.eventName}: ${result.outcome}`);
  };
  const starting = [
    startDynamoDbLocal({ port: ports.dynamodb, dataDir: paths.dynamodb }),
    startSesLocal({ port: ports.ses }),
    startLocalEventBridge({ port: ports.eventbridge }),
    startWebhookInbox({ port: ports.webhookInbox }),
    ...(delivery.kms
      ? [startLocalKms({ port: ports.kms, keyId: delivery.kms.keyId, alias: delivery.kms.alias })]
      : []),
    ...(delivery.sns ? [startLocalSns({ port: ports.sns, onPublish: publishToInbox })] : []),
    startInvokeServer({
      port: ports.invoke,
      registry,
      onInvocation: (record) => log(describeInvocation(record)),
    }),
    startCognitoLocal({
      port: ports.cognito,
      dataDir: paths.cognito,
      invokeEndpoint: endpoints.invoke,
      triggers: delivery.triggers,
      messageSender: sender,
      logFile: join(paths.logs, "cognito-local.log"),
      tokenEvents,
      ...(options.deleteSignal ? { onApiCall: runDeleteSignal } : {}),
      ...(delivery.kms ? { kms: delivery.kms.cognito } : {}),
    }),
  ];
  const loading = Promise.all(Object.values(delivery.triggers).map((name) => registry.load(String(name))));
  const results = await Promise.allSettled([...starting, loading]);
  for (const result of results.slice(0, starting.length)) {
    if (result.status === "fulfilled") state.services.push(result.value as RunningService);
  }
  const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure) throw failure.reason;
}

/** The pool (under the IAM check from here on), its client, groups and bootstrap admin; the table. */
async function provision(state: StackState, options: StackOptions) {
  const { config, adminEmail, dataDir } = state.settings;
  const { tableName } = localResourceNames(config);
  const { cognito, dynamo } = state.clients;
  const saved = readStackInfo(dataDir);
  const provisionCognito = async () => {
    const userPoolId = await ensureUserPool(
      cognito,
      `${config.appName}-local`,
      config.admin.editableAttributes,
    );
    if (options.iam !== false) {
      const resources = localIamTarget(config, userPoolId, state.delivery.kms?.arn);
      state.iam = await enforceIam(config, resources, options.iam?.adjust);
    }
    const clientId = await ensureAppClient(cognito, userPoolId);
    await ensureGroups(cognito, userPoolId, config.groups);
    const knownPassword =
      saved?.userPoolId === userPoolId && saved.admin?.email === adminEmail
        ? saved.admin.password
        : undefined;
    const admin = await ensureBootstrapAdmin(cognito, userPoolId, config, adminEmail, knownPassword);
    return { userPoolId, clientId, admin };
  };
  const [provisioned, table] = await Promise.allSettled([
    provisionCognito(),
    ensureUserTable(dynamo, tableName).then(() => warmUpDynamoDb(dynamo, tableName, config)),
  ]);
  if (provisioned.status === "rejected") throw provisioned.reason;
  if (table.status === "rejected") throw table.reason;
  return provisioned.value;
}

/** Once the table exists: its stream consumers and the scheduled functions (stopped first). */
async function startLocalFunctions(
  state: StackState,
  registry: HandlerRegistry,
  endpoints: StackInfo["endpoints"],
  options: StackOptions,
): Promise<StackInfo["localFunctions"]> {
  const { config, log, dataDir } = state.settings;
  const { tableName } = localResourceNames(config);
  const defaults = localFunctions((file) => registry.fileFor(file), {
    ...(options.webhookDispatchEveryMs ? { webhookDispatchEveryMs: options.webhookDispatchEveryMs } : {}),
  });
  const streamConsumers = options.streamConsumers ?? defaults.streamConsumers;
  const schedules = options.schedules ?? defaults.schedules;
  const where = { region: localRegion, account: localAccount };
  if (streamConsumers.length > 0) {
    const poller = await startStreamPoller({
      ...where,
      dynamodbEndpoint: endpoints.dynamodb,
      tableName,
      consumers: streamConsumers,
      checkpointFile: (name) => join(dataPaths(dataDir).streams, `${name}.json`),
      onBatch: (report) => log(describeBatch(report)),
    });
    state.services.push(poller);
  }
  if (schedules.length > 0) {
    const scheduler = await startScheduler({
      ...where,
      functions: schedules,
      onRun: (run) => log(describeRun(run)),
    });
    state.services.push(scheduler);
  }
  return {
    streamConsumers: streamConsumers.map((consumer) => consumer.functionName),
    schedules: schedules.map((job) => `${job.functionName} every ${job.everyMs / 1000} s`),
  };
}

/** The local SES event publishing: simulator bounces and complaints -> functions/email-feedback.ts. */
async function startEmailFeedback(state: StackState, info: StackInfo): Promise<void> {
  const { config, log } = state.settings;
  const runtime = createAdminRuntime(settingsFromStack(config, info));
  const { createHandler: createEmailFeedback } = await import("../../../functions/email-feedback.ts");
  const handle = createEmailFeedback(() => runtime);
  const watcher = await startSesFeedback({
    sesEndpoint: info.endpoints.ses,
    configurationSet: localResourceNames(config).configurationSet,
    everyMs: 1_000,
    handle,
    onEvent: (detailType, outcome) => log(`email feedback ${detailType}: ${outcome}`),
  });
  state.services.push({ ...watcher, stop: () => watcher.stop().finally(() => runtime.close()) });
}

/**
 * Starts the offline stack on 127.0.0.1: DynamoDB Local (persisted under `dataDir`), the local
 * SES inbox, an invoke endpoint running `functions/*` in this process, and cognito-local with
 * its triggers pointing there and its messages delivered to the SES inbox. Then creates (or
 * finds) the table, user pool, app client, groups and bootstrap admin, and writes stack.json.
 * Every port is checked before anything starts. One stack per process.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  if (running) throw new Error("A local stack is already running in this process; stop it first.");
  const settings = await stackSettings(options);
  const { config, dataDir, adminEmail, tokenEvents } = settings;
  requireJava();
  await checkPorts(settings.ports, config);
  const paths = dataPaths(dataDir);
  if (options.fresh) clearStackData(dataDir);
  for (const path of [paths.dynamodb, paths.cognito, paths.logs]) mkdirSync(path, { recursive: true });

  const endpoints = localEndpoints(settings.ports, config);
  const delivery = localDelivery(config, {
    kms: `http://127.0.0.1:${settings.ports.kms}`,
    sns: `http://127.0.0.1:${settings.ports.sns}`,
  });
  const handlerEnv = handlerEnvironment(config, endpoints, adminEmail, delivery);
  const binding = JSON.stringify(handlerEnv);
  if (handlersBoundTo !== undefined && handlersBoundTo !== binding) {
    throw new Error(
      "The trigger handlers in this process already run against another local stack (other ports or table); start this stack in its own process.",
    );
  }
  running = true;
  const restoreEnvironment = applyEnvironment({
    ...handlerEnv,
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  });
  const state: StackState = { settings, delivery, clients: localClients(endpoints), services: [] };
  const stop = stopper(state, restoreEnvironment);
  try {
    const registry = new HandlerRegistry(handlersDir());
    handlersBoundTo = binding;
    await startServices(state, registry, endpoints, options);
    const { userPoolId, clientId, admin } = await provision(state, options);
    const info: StackInfo = {
      region: localRegion,
      userPoolId,
      clientId,
      tableName: localResourceNames(config).tableName,
      issuer: `${endpoints.cognito}/${userPoolId}`,
      endpoints,
      admin: { email: admin.email, password: admin.password },
      handlerEnv,
      tokenEvents,
      localFunctions: await startLocalFunctions(state, registry, endpoints, options),
      pid: process.pid,
    };
    writeStackInfo(dataDir, info);
    if (options.deleteSignal) {
      const runtime = createAdminRuntime(settingsFromStack(config, info));
      const { createHandler: createDeleteSignal } = await import("../../../functions/cognito-api-events.ts");
      state.deleteSignal = { runtime, handle: createDeleteSignal(() => runtime) };
    }
    if (options.emailFeedback !== false) await startEmailFeedback(state, info);
    return { info, dataDir, adminPasswordIsNew: admin.newPassword, iam: state.iam, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
