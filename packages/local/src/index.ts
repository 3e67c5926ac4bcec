export { localCredentials, localRegion } from "./credentials.ts";
export type { RunningService } from "./dynamodb.ts";
export { JavaMissingError, requireJava, startDynamoDbLocal } from "./dynamodb.ts";
export { assertPortFree, freePort, PortInUseError } from "./ports.ts";
export type { StoredEmail } from "./ses.ts";
export { clearSesInbox, sesInbox, startSesLocal } from "./ses.ts";
