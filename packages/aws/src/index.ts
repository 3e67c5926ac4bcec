export type { CallInterceptor, ClientTarget, ClientTimeouts, SdkCall } from "./clients.ts";
export { clientOptions, currentPrincipal, instrumentClient, runAs, setCallInterceptor } from "./clients.ts";
export { CognitoAdmin, cognitoAdminFor, cognitoClient } from "./cognito-admin.ts";
export { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor.ts";
export type { ColdStart, InvocationContext } from "./deadline.ts";
export {
  cognitoTimeoutMs,
  deadlineSignal,
  InvocationClock,
  processClock,
  processColdStart,
  timeLeft,
} from "./deadline.ts";
export type { FeedbackDependencies, FeedbackOutcome } from "./email-feedback.ts";
export { applyEmailFeedback } from "./email-feedback.ts";
export type { EventPublisher, RelayDependencies } from "./event-relay.ts";
export {
  EventBridgePublisher,
  eventBridgeClient,
  eventBusName,
  eventPublisherFor,
  relayStreamBatch,
} from "./event-relay.ts";
export type { ImportJobItem, ImportJobStatus } from "./import-jobs.ts";
export { DynamoImportJobStore } from "./import-jobs.ts";
export type { JobKind, JobProgress, JobStatus } from "./jobs.ts";
export { bulkJobKind, DynamoJobStore } from "./jobs.ts";
export type {
  LegacyCredentialDependencies,
  LegacyCredentialItem,
  LegacyCredentialStore,
} from "./legacy-credentials.ts";
export { createLegacyCredentialStore, legacyCredentialsFor } from "./legacy-credentials.ts";
export type { LegacyEndpointAnswer, LegacyEndpointConfig, LegacyEndpointRequest } from "./legacy-endpoint.ts";
export {
  askLegacyEndpoint,
  checkEndpointUrl,
  LegacyEndpointError,
  signLegacyRequest,
} from "./legacy-endpoint.ts";
export { logger } from "./logger.ts";
export type { Mailer, OutgoingEmail } from "./mailer.ts";
export {
  isAmbiguousMailError,
  isPermanentMailError,
  MailError,
  mailerFor,
  SesMailer,
  sesClient,
} from "./mailer.ts";
export type { AdoptionDependencies, AdoptionInput } from "./migrated-users.ts";
export { adoptMigratedUser } from "./migrated-users.ts";
export type { ScrubbedRecord, ScrubRequest } from "./personal-data.ts";
export { scrubAuditEntries, scrubbedAuditEvent, scrubbedRecord, scrubUserData } from "./personal-data.ts";
export { emailConfigurationSet, linkedResource, tableName } from "./resources.ts";
export type { ScrubOptions, ScrubReport } from "./retention.ts";
export { scrubDeletedProfiles } from "./retention.ts";
export type { TriggerRuntime } from "./runtime.ts";
export { once, systemClock } from "./runtime.ts";
export type { OutgoingSms, SmsSender } from "./sms.ts";
export { SmsError, SnsSmsSender, smsSenderFor, snsClient } from "./sms.ts";
export type { IndexKey } from "./table.ts";
export { itemKeys, keyAttributes, userTable } from "./table.ts";
export { createTableInput, ensureUserTable } from "./table-admin.ts";
export { isConditionFailure } from "./table-calls.ts";
export type { TriggerEvent } from "./trigger.ts";
export { defineTrigger } from "./trigger.ts";
export type {
  AuditFilter,
  DirectoryOptions,
  PageRequest,
  PersonName,
  UserFilter,
  UserPage,
} from "./user-directory.ts";
export { emailShardOrder, planAuditQuery, planUserQuery, UserDirectory } from "./user-directory.ts";
export type { RoleChangeEntry, UserDataExport } from "./user-export.ts";
export { exportUserData, userExportFormat } from "./user-export.ts";
export type { UserSummary } from "./user-items.ts";
export {
  auditItem,
  fromItem,
  listingFields,
  listingFlags,
  outboxAttribute,
  outboxEvents,
  profileItem,
  roleItem,
  searchTextAttribute,
} from "./user-items.ts";
export type { AuditClock, ChangeBy } from "./user-records.ts";
export { UserRecords } from "./user-records.ts";
export type {
  CallOptions,
  CreateOptions,
  CreateResult,
  Page,
  RoleHolder,
  SignInOptions,
  SyncedFields,
  UserStore,
} from "./user-store.ts";
export { createToken, DynamoUserStore, dynamoClient, userStoreFor } from "./user-store.ts";
export type { WelcomeDependencies, WelcomeOutcome } from "./welcome.ts";
export { claimAndDeliverWelcome, deliverWelcomeEmail, senderAddress } from "./welcome.ts";
