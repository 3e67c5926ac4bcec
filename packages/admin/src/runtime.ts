import { randomUUID } from "node:crypto";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import {
  bulkJobKind,
  type ClientTimeouts,
  cognitoClient,
  createLegacyCredentialStore,
  DynamoImportJobStore,
  DynamoJobStore,
  DynamoUserStore,
  dynamoClient,
  emailConfigurationSet,
  type LegacyCredentialStore,
  type Mailer,
  SesMailer,
  sesClient,
  UserDirectory,
  UserRecords,
  type UserStore,
} from "@cognito-lifecycle/aws";
import {
  auditEventsBetween,
  DynamoWebhookStore,
  type Resolver,
  type UrlPolicy,
  type WebhookStore,
  webhookUrlPolicy,
} from "@cognito-lifecycle/aws/webhooks";
import type { LifecycleConfig, LifecycleEvent, MessageRenderer } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import type { BulkJobStore } from "./bulk/job.ts";
import { bulkLimits } from "./bulk/plan.ts";
import { AdminCognito, type BackoffOptions } from "./cognito.ts";
import type { ImportJobStore } from "./import/jobs.ts";
import { createTokenVerifier, type TokenVerifier } from "./jwt.ts";
import type { AdminSettings } from "./settings.ts";

/** Everything the admin API, reconcile and the CLI work with. Injectable for tests. */
export interface AdminRuntime {
  config: LifecycleConfig;
  settings: AdminSettings;
  store: UserStore;
  /** The record operations (create, drift, status, roles) over `store`, audited as this runtime's clock says. */
  records: UserRecords;
  directory: UserDirectory;
  cognito: AdminCognito;
  verifier: TokenVerifier;
  mailer: Mailer;
  renderer: MessageRenderer;
  now: () => Date;
  newId: () => string;
  webhooks: {
    store: WebhookStore;
    /** Which endpoint URLs are allowed; `resolve` is the DNS lookup (injected in tests). */
    policy: UrlPolicy & { resolve?: Resolver };
    /** Lifecycle events committed in a time range, from the audit items (replay). */
    eventsBetween(range: {
      from: string;
      to: string;
    }): Promise<{ events: LifecycleEvent[]; truncated: boolean; lastAt?: string }>;
  };
  /** Bulk imports: the migration trigger's credential store, and the admin API's import jobs. */
  imports: { credentials: LegacyCredentialStore; jobs: ImportJobStore };
  /** Bulk actions: their jobs, and an exact count of a filter's users up to the bulk limit. */
  bulk: { jobs: BulkJobStore; countUsers: UserDirectory["countUsers"] };
  /** Closes the SDK clients' connections. */
  close(): void;
}

export interface RuntimeOverrides {
  backoff?: BackoffOptions;
  directoryReadBudget?: number;
  renderer?: MessageRenderer;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Builds the clients for `settings`. Admin requests are not bound by Cognito's 5 s trigger
 * limit, so the defaults are roomier than a trigger's: 5 s per request, 3 attempts.
 */
export function createAdminRuntime(settings: AdminSettings, overrides: RuntimeOverrides = {}): AdminRuntime {
  const { requestMs, maxAttempts } = settings.timeouts ?? { requestMs: 5000, maxAttempts: 3 };
  const connectionMs = settings.timeouts?.connectionMs ?? Math.min(requestMs, 2000);
  const timeouts: ClientTimeouts = { requestMs, maxAttempts, connectionMs };
  const endpoints = settings.endpoints ?? {};
  const target = (endpoint: string | undefined) => ({
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  const db = dynamoClient(timeouts, target(endpoints.dynamodb));
  const cognito = cognitoClient(timeouts, target(endpoints.cognito));
  let ses: SESv2Client | undefined;
  let mailer: Mailer | undefined;
  const clientIds = Array.isArray(settings.clientId) ? settings.clientId : [settings.clientId];

  const store = new DynamoUserStore(db, settings.tableName, settings.config.retention.auditDays);
  const now = overrides.now ?? (() => new Date());
  const newId = overrides.newId ?? (() => randomUUID());
  // A dry run counts every user a filter matches (one bounded index read), not the listing's first 1000.
  const bulkCounter = new UserDirectory(db, settings.tableName, {
    countBudget: bulkLimits.maxFilterUsers + 1,
  });
  return {
    config: settings.config,
    settings,
    store,
    records: new UserRecords(store, settings.config, { now, newId }),
    directory: new UserDirectory(db, settings.tableName, {
      ...(overrides.directoryReadBudget ? { readBudget: overrides.directoryReadBudget } : {}),
    }),
    cognito: new AdminCognito(cognito, settings.userPoolId, overrides.backoff),
    verifier: createTokenVerifier({
      userPoolId: settings.userPoolId,
      clientId: clientIds,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      claims: { roles: settings.config.claims.roles, permissions: settings.config.claims.permissions },
    }),
    // The mailer is only needed to retry welcome emails, so its client is made on first use.
    get mailer() {
      ses ??= sesClient(timeouts, target(endpoints.ses));
      mailer ??= new SesMailer(ses, emailConfigurationSet());
      return mailer;
    },
    renderer: overrides.renderer ?? renderMessage,
    now,
    newId,
    webhooks: {
      store: new DynamoWebhookStore(db, settings.tableName, now),
      policy: settings.allowLocalWebhooks ? { allowLocalHttp: true } : webhookUrlPolicy(),
      eventsBetween: (range) => auditEventsBetween(db, settings.tableName, range),
    },
    imports: {
      credentials: createLegacyCredentialStore({ db, tableName: settings.tableName }),
      jobs: new DynamoImportJobStore(db, settings.tableName),
    },
    bulk: {
      jobs: new DynamoJobStore(db, settings.tableName, bulkJobKind),
      countUsers: (filter) => bulkCounter.countUsers(filter),
    },
    close() {
      db.destroy();
      cognito.destroy();
      ses?.destroy();
    },
  };
}
