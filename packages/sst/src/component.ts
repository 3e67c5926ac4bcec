import type { FunctionResources, LifecycleConfig } from "@cognito-lifecycle/core";
import { createAdminApi, createApiAuthorizer, createConsole } from "./stacks/admin.ts";
import { attachTriggers } from "./stacks/attach.ts";
import {
  type Client,
  createConsoleClient,
  createFederation,
  createGroups,
  createTriggers,
  createUserPool,
  createWebClient,
  dataArnsOf,
  grantPoolPermissions,
  issuerOf,
  type Triggers,
} from "./stacks/auth.ts";
import { createCognitoApiEvents } from "./stacks/cognito-api-events.ts";
import type { ExistingUserPool, LifecycleTransforms, StackContext } from "./stacks/context.ts";
import { createSelfServiceApi } from "./stacks/data-rights.ts";
import { createEmail } from "./stacks/email.ts";
import { createEmailFeedback } from "./stacks/email-feedback.ts";
import { createEvents } from "./stacks/events.ts";
import { createFunctions, type LambdaFactory } from "./stacks/functions.ts";
import { checkedConfigPath, defaultConfigPath } from "./stacks/handlers.ts";
import { createJobs } from "./stacks/jobs.ts";
import { createSenders, grantSenderKey, type Senders } from "./stacks/senders.ts";
import { checkedSettings, type IdentityProviderSetting } from "./stacks/settings.ts";
import { isProductionStage } from "./stacks/stages.ts";
import { createTable, readOnlyTableLink } from "./stacks/storage.ts";
import { createWebhooks } from "./stacks/webhooks.ts";

/** The props of {@link CognitoLifecycle}. */
export interface CognitoLifecycleArgs {
  /**
   * The app's lifecycle config: the default export of `lifecycle.config.ts`, imported in `run()`
   * (`(await import("./lifecycle.config.ts")).default`). Grants, groups and pool settings are
   * derived from it.
   */
  config: LifecycleConfig;
  /**
   * The config module the handlers compile in, relative to the app's root: the installed
   * package's handlers import it at bundle time. From a fork of the repository, the handlers in
   * `functions/` import `lifecycle.config.ts` at the root, so that is the only value accepted there.
   * @default "./lifecycle.config.ts"
   */
  configPath?: string;
  /**
   * A stage with real users: the pool and table refuse deletion, are Pulumi-protected and are
   * retained when they leave the app.
   * @default true on the stages "prod" and "production"
   */
  production?: boolean;
  /** The SES identity. Without a domain, the config's sender address is verified by link. */
  email?: {
    /** Verify this whole domain and send from it (the sender address must be at it). */
    domain?: string;
    /** `route53`: SST writes the DKIM and DMARC records to the domain's zone; `none`: you do. */
    dns?: "route53" | "none";
  };
  /** Federated sign-in on the hosted UI. Ignored with `existingUserPool`. */
  federation?: {
    /** OIDC, SAML or Google providers; client secrets are `sst secret`s named `<Name>ClientSecret`. */
    identityProviders?: IdentityProviderSetting[];
    /** Prefix of `<prefix>.auth.<region>.amazoncognito.com`; required with providers. */
    authDomainPrefix?: string;
    /** @default [config.branding.appUrl] */
    callbackUrls?: string[];
    /** @default [config.branding.appUrl] */
    logoutUrls?: string[];
  };
  /** The admin tools. The console needs the API: `api: false` turns both off. */
  admin?: {
    /** The admin HTTP API. @default true */
    api?: boolean;
    /** The admin console (a static site), optionally on a custom domain. @default true */
    console?: boolean | { domain?: string };
  };
  /** CloudWatch alarms (Errors, Throttles) on every function notify one SNS topic. */
  alarms?: {
    /** An email subscribed to the topic (confirm the subscription once). */
    email?: string;
  };
  /** Emails that get the admin role once verified (comma separated), passed to the functions. */
  bootstrapAdmins?: string;
  /**
   * Attach mode: wire the triggers onto this pool instead of creating one. The component then
   * creates the table, the triggers, the console's client and the tools, and replaces the pool's
   * LambdaConfig with ours (see the README's "Attach to an existing user pool").
   */
  existingUserPool?: ExistingUserPool;
  /**
   * The delete signal (docs/data-rights.md#delete-signal) needs a CloudTrail trail recording
   * management events. `createTrail` creates a single-region, write-only one with its own private
   * bucket; leave it off when the account already has a trail. @default false
   */
  deleteSignal?: { createTrail?: boolean };
  /** Change the arguments of any resource the component creates, as SST components' `transform`. */
  transform?: LifecycleTransforms;
}

/**
 * The user lifecycle of a Cognito user pool in an SST app: the pool with every trigger wired
 * (or an existing pool, attach mode), the user table, branded email, alarms, reconcile and
 * retention jobs, the admin API and console.
 *
 * @example
 * ```ts
 * const { CognitoLifecycle } = await import("@cognito-lifecycle/sst");
 * const config = (await import("./lifecycle.config.ts")).default;
 * const auth = new CognitoLifecycle("Auth", { config });
 * new sst.aws.Function("Api", { handler: "src/api.handler", link: [auth.usersTable] });
 * ```
 */
export class CognitoLifecycle extends $util.ComponentResource {
  /** The region everything is deployed in. */
  readonly region: $util.Output<string>;
  readonly userPoolId: $util.Output<string>;
  readonly userPoolArn: $util.Output<string>;
  /** The tokens' issuer, as JWT authorizers and aws-jwt-verify expect it. */
  readonly issuer: $util.Output<string>;
  /** The app's SRP client; undefined in attach mode (the app has its own). */
  readonly webClientId: $util.Output<string> | undefined;
  /** The admin console's client (also the one reconcile and the admin CLI use). */
  readonly consoleClientId: $util.Output<string>;
  /** The hosted-UI client for federated sign-in, when providers are configured. */
  readonly federatedClientId: $util.Output<string> | undefined;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, when a domain prefix is set. */
  readonly hostedUi: $util.Output<string> | undefined;
  readonly tableName: $util.Output<string>;
  /** Link it to the app's functions: the table's name and ARN, GetItem/BatchGetItem/Query only. */
  readonly usersTable: sst.Linkable<{ name: $util.Output<string>; arn: $util.Output<string> }>;
  /** The verified SES identity (domain or address). */
  readonly emailIdentity: $util.Output<string>;
  readonly adminApiUrl: $util.Output<string> | undefined;
  readonly consoleUrl: $util.Output<string> | undefined;
  /** A Lambda authorizer for the app's own API Gateway APIs. */
  readonly apiAuthorizerArn: $util.Output<string>;
  readonly reconcileFunction: $util.Output<string>;
  /** The underlying resources, as SST components expose them. */
  readonly nodes: LifecycleNodes;

  constructor(name: string, args: CognitoLifecycleArgs, opts?: $util.ComponentResourceOptions) {
    super("cognito-lifecycle:aws:CognitoLifecycle", name, {}, opts);
    const ctx = contextOf(this, args);
    const nodes = createResources(ctx, name, args);
    const { pool, table, email, admin } = nodes;
    this.nodes = nodes;
    this.region = pool.region;
    this.userPoolId = pool.id;
    this.userPoolArn = pool.arn;
    this.issuer = pool.issuer;
    this.webClientId = pool.webClient?.id;
    this.consoleClientId = pool.consoleClient.id;
    this.federatedClientId = pool.federatedClient?.id;
    this.hostedUi = pool.userPool?.domainUrl;
    this.tableName = table.name;
    this.usersTable = nodes.usersTable;
    this.emailIdentity = email.sender;
    this.adminApiUrl = admin.api?.url;
    this.consoleUrl = admin.site?.url;
    this.apiAuthorizerArn = nodes.apiAuthorizer.arn;
    this.reconcileFunction = nodes.jobs.reconcileHandler.name;
    this.registerOutputs({});
  }
}

function contextOf(parent: CognitoLifecycle, args: CognitoLifecycleArgs): StackContext {
  const configPath = checkedConfigPath(args.configPath ?? defaultConfigPath);
  const { config } = args;
  if (args.existingUserPool && config.delivery === "custom-sender") {
    throw new Error(
      'CognitoLifecycle: delivery "custom-sender" needs a pool the component creates: with existingUserPool, set the pool\'s CustomEmailSender, CustomSMSSender and KMSKeyID yourself or keep delivery "custom-message"',
    );
  }
  const consoleOption = args.admin?.console;
  const settings = checkedSettings(
    {
      emailDomain: args.email?.domain,
      emailDns: args.email?.dns,
      identityProviders: args.existingUserPool ? [] : (args.federation?.identityProviders ?? []),
      authDomainPrefix: args.existingUserPool ? undefined : args.federation?.authDomainPrefix,
      callbackUrls: args.federation?.callbackUrls ?? [config.branding.appUrl],
      logoutUrls: args.federation?.logoutUrls ?? [config.branding.appUrl],
      consoleDomain: typeof consoleOption === "object" ? consoleOption.domain : undefined,
      alarmEmail: args.alarms?.email,
      bootstrapAdmins: args.bootstrapAdmins,
      cloudTrail: args.deleteSignal?.createTrail ? "create" : undefined,
    },
    {
      title: "Invalid CognitoLifecycle props",
      names: {
        emailDomain: "email.domain",
        emailDns: "email.dns",
        identityProviders: "federation.identityProviders",
        authDomainPrefix: "federation.authDomainPrefix",
        callbackUrls: "federation.callbackUrls",
        logoutUrls: "federation.logoutUrls",
        consoleDomain: "admin.console.domain",
        alarmEmail: "alarms.email",
      },
    },
  );
  return {
    parent,
    config,
    configPath,
    settings,
    production: args.production ?? isProductionStage($app.stage),
    transform: args.transform ?? {},
  };
}

/**
 * Everything the component creates. Written out (not inferred) so the published declarations
 * name Pulumi's types through SST's globals rather than a path inside `.sst/platform`.
 */
export type LifecycleNodes = CoreResources & {
  triggers: Triggers;
  /** With `delivery: "custom-sender"`: the sender key, its policy and the two sender functions. */
  senders: (Senders & { keyPolicy: ReturnType<typeof grantSenderKey> | undefined }) | undefined;
  usersTable: ReturnType<typeof readOnlyTableLink>;
  admin: Partial<ReturnType<typeof createAdminApi> & ReturnType<typeof createConsole>>;
  selfService: ReturnType<typeof createSelfServiceApi> | undefined;
  apiAuthorizer: sst.aws.Function;
  jobs: ReturnType<typeof createJobs>;
} & ReturnType<typeof createAddOns>;

/** Everything the component creates, in dependency order. */
function createResources(ctx: StackContext, name: string, args: CognitoLifecycleArgs): LifecycleNodes {
  const table = createTable(ctx);
  const { email, fromAddress } = createEmail(ctx);
  const { alarmTopic, lambda } = createFunctions(ctx);
  const data = dataArnsOf(table, email);
  const triggers = createTriggers(ctx, lambda, data, { table, email });
  const senders = createSenders(ctx, lambda, data, email);
  const pool = args.existingUserPool
    ? attachedPool(ctx, lambda, args.existingUserPool, triggers)
    : createdPool(ctx, triggers, { email, fromAddress }, senders);
  const resources = { ...data, userPool: pool.arn };
  grantPoolPermissions(ctx, triggers, resources);
  const senderKeyPolicy = senders ? grantSenderKey(ctx, senders, pool, data) : undefined;
  const adminInputs = {
    region: pool.region,
    userPoolId: pool.id,
    consoleClientId: pool.consoleClient.id,
    issuer: pool.issuer,
    table,
    resources,
  };
  const apiEnabled = args.admin?.api !== false;
  const adminApi = apiEnabled ? createAdminApi(ctx, lambda, adminInputs) : undefined;
  // The apps' self-service data-rights routes share the admin API's gateway (docs/data-rights.md).
  const selfService =
    adminApi && pool.appClientIds.length > 0
      ? createSelfServiceApi(lambda, {
          api: adminApi.api,
          table,
          userPoolId: pool.id,
          resources,
          issuer: pool.issuer,
          appClientIds: pool.appClientIds,
        })
      : undefined;
  const consoleSite =
    adminApi && args.admin?.console !== false ? createConsole(ctx, adminInputs, adminApi.api) : undefined;
  const apiAuthorizer = createApiAuthorizer(lambda, pool.id, pool.appClientIds);
  const jobs = createJobs(ctx, lambda, {
    userPoolId: pool.id,
    consoleClientId: pool.consoleClient.id,
    table,
    email,
    resources,
  });
  const core = { table, email, alarmTopic, lambda, pool, resources };
  return {
    ...core,
    triggers,
    senders: senders ? { ...senders, keyPolicy: senderKeyPolicy } : undefined,
    usersTable: readOnlyTableLink(`${name}Users`, table),
    admin: { ...adminApi, ...consoleSite },
    selfService,
    apiAuthorizer,
    jobs,
    ...createAddOns(ctx, core),
  };
}

/** What add-on stacks are given. */
export interface CoreResources {
  table: sst.aws.Dynamo;
  email: sst.aws.Email;
  alarmTopic: aws.sns.Topic;
  /** Makes a function with exact grants and alarms (stacks/functions.ts). */
  lambda: LambdaFactory;
  pool: PoolResources;
  /** The ARNs the grants name (@cognito-lifecycle/core/least-privilege). */
  resources: FunctionResources<$util.Input<string>>;
}

/**
 * THE place for stacks built on the core resources (events, webhooks, delete signal, ...): a
 * `stacks/<name>.ts` exports `create<Name>(ctx, core)` returning what it creates; call it here
 * and return its resources under a name, which puts them in `nodes`.
 */
function createAddOns(ctx: StackContext, core: CoreResources) {
  return {
    events: createEvents(ctx, core),
    deleteSignal: createCognitoApiEvents(ctx, core),
    webhooks: createWebhooks(ctx, core),
    emailFeedback: createEmailFeedback(ctx, core),
  };
}

interface PoolResources {
  region: $util.Output<string>;
  id: $util.Output<string>;
  arn: $util.Output<string>;
  issuer: $util.Output<string>;
  /** Undefined in attach mode. */
  userPool: sst.aws.CognitoUserPool | undefined;
  webClient: Client | undefined;
  consoleClient: Client;
  federatedClient: Client | undefined;
  /** The clients of the app's users, whose tokens the API authorizer accepts. */
  appClientIds: $util.Input<string>[];
}

function createdPool(
  ctx: StackContext,
  triggers: Triggers,
  sender: { email: sst.aws.Email; fromAddress: string },
  senders: Senders | undefined,
): PoolResources {
  const region = aws.getRegionOutput().region;
  const userPool = createUserPool(ctx, triggers, sender, senders);
  createGroups(ctx, userPool.id);
  const webClient = createWebClient(ctx, userPool);
  const consoleClient = createConsoleClient(ctx, userPool);
  const federatedClient = createFederation(ctx, userPool);
  return {
    region,
    id: userPool.id,
    arn: userPool.arn,
    issuer: issuerOf(region, userPool.id),
    userPool,
    webClient,
    consoleClient,
    federatedClient,
    appClientIds: [webClient.id, ...(federatedClient ? [federatedClient.id] : [])],
  };
}

/** Attach mode: the app's pool, our triggers written into it, the console's own client on it. */
function attachedPool(
  ctx: StackContext,
  lambda: LambdaFactory,
  existing: ExistingUserPool,
  triggers: Triggers,
): PoolResources {
  const region = aws.getRegionOutput().region;
  attachTriggers(ctx, lambda, existing, triggers);
  const existingPool = sst.aws.CognitoUserPool.get("UserPool", existing.id, { parent: ctx.parent });
  return {
    region,
    id: $util.output(existing.id),
    arn: $util.output(existing.arn),
    issuer: issuerOf(region, existing.id),
    userPool: undefined,
    webClient: undefined,
    consoleClient: createConsoleClient(ctx, existingPool),
    federatedClient: undefined,
    appClientIds: existing.clientIds ?? [],
  };
}
