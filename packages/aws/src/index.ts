export type { ClientTimeouts } from "./clients.ts";
export { cognitoClient, dynamoClient, sesClient } from "./clients.ts";
export { CognitoAdmin } from "./cognito-admin.ts";
export type { InvocationContext } from "./deadline.ts";
export { deadlineSignal, timeLeft } from "./deadline.ts";
export { logger } from "./logger.ts";
export type { Mailer, OutgoingEmail } from "./mailer.ts";
export { isPermanentMailError, MailError, SesMailer } from "./mailer.ts";
export { emailConfigurationSet, linkedResource, tableName } from "./resources.ts";
export type { TriggerRuntime } from "./runtime.ts";
export { cognitoAdminFor, mailerFor, once, systemClock, userStoreFor } from "./runtime.ts";
export type { IndexKey } from "./table.ts";
export { itemKeys, keyAttributes, userTable } from "./table.ts";
export { createTableInput, ensureUserTable } from "./table-admin.ts";
export type { TriggerEvent } from "./trigger.ts";
export { defineTrigger } from "./trigger.ts";
export type { CallOptions, CreateResult, Page, SyncedFields, UserStore } from "./user-store.ts";
export {
  auditItem,
  DynamoUserStore,
  decodeCursor,
  encodeCursor,
  fromItem,
  InvalidCursorError,
  profileItem,
  roleItem,
} from "./user-store.ts";
export type { WelcomeDependencies, WelcomeOutcome } from "./welcome.ts";
export { deliverWelcomeEmail, senderAddress } from "./welcome.ts";
