import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  DynamoUserStore,
  emailConfigurationSet,
  instrumentClient,
  type Mailer,
  SesMailer,
  type UserStore,
} from "@cognito-lifecycle/aws";
import type { LifecycleConfig, MessageRenderer } from "@cognito-lifecycle/core";
import { renderMessage } from "@cognito-lifecycle/emails";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { AdminCognito, type BackoffOptions } from "./cognito.ts";
import { UserDirectory } from "./directory.ts";
import { createTokenVerifier, type TokenVerifier } from "./jwt.ts";
import type { AdminSettings } from "./settings.ts";

/** Everything the admin API, reconcile and the CLI work with. Injectable for tests. */
export interface AdminRuntime {
  config: LifecycleConfig;
  settings: AdminSettings;
  store: UserStore;
  directory: UserDirectory;
  cognito: AdminCognito;
  verifier: TokenVerifier;
  mailer: Mailer;
  renderer: MessageRenderer;
  now: () => Date;
  newId: () => string;
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
  const common = {
    region: settings.region,
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(requestMs, 2000),
      requestTimeout: requestMs,
    }),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  const endpoints = settings.endpoints ?? {};
  const dynamo = instrumentClient(
    new DynamoDBClient({ ...common, ...(endpoints.dynamodb ? { endpoint: endpoints.dynamodb } : {}) }),
  );
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const cognitoClient = instrumentClient(
    new CognitoIdentityProviderClient({
      ...common,
      ...(endpoints.cognito ? { endpoint: endpoints.cognito } : {}),
    }),
  );
  let ses: SESv2Client | undefined;
  let mailer: Mailer | undefined;
  const clientIds = Array.isArray(settings.clientId) ? settings.clientId : [settings.clientId];

  return {
    config: settings.config,
    settings,
    store: new DynamoUserStore(db, settings.tableName, settings.config.retention.auditDays),
    directory: new UserDirectory(db, settings.tableName, {
      ...(overrides.directoryReadBudget ? { readBudget: overrides.directoryReadBudget } : {}),
    }),
    cognito: new AdminCognito(cognitoClient, settings.userPoolId, overrides.backoff),
    verifier: createTokenVerifier({
      userPoolId: settings.userPoolId,
      clientId: clientIds,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      claims: { roles: settings.config.claims.roles, permissions: settings.config.claims.permissions },
    }),
    // The mailer is only needed to retry welcome emails, so its client is made on first use.
    get mailer() {
      // SendEmail is not idempotent: one attempt, a retry is reconcile's decision, never the SDK's.
      ses ??= instrumentClient(
        new SESv2Client({ ...common, maxAttempts: 1, ...(endpoints.ses ? { endpoint: endpoints.ses } : {}) }),
      );
      mailer ??= new SesMailer(ses, emailConfigurationSet());
      return mailer;
    },
    renderer: overrides.renderer ?? renderMessage,
    now: overrides.now ?? (() => new Date()),
    newId: overrides.newId ?? (() => randomUUID()),
    close() {
      dynamo.destroy();
      cognitoClient.destroy();
      ses?.destroy();
    },
  };
}
