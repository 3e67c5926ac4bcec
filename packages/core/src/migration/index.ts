/**
 * The user migration decision: event schema, the pure decision, the one refusal and the rate
 * limit rules, the role mapping. A separate entry point (`@cognito-lifecycle/core/migration`),
 * used by functions/user-migration.ts and the importer.
 */
export type {
  LegacyUser,
  MigrationDecision,
  MigrationInput,
  MigrationResponse,
  RefusalReason,
} from "./decision.ts";
export { MigrationRefusedError, migrationDecision, migrationRefusalMessage } from "./decision.ts";
export type { UserMigrationEvent, UserMigrationSource } from "./event.ts";
export { userMigrationEvent } from "./event.ts";
export type { AttemptCounter, RateLimitDecision, RateLimitPolicy } from "./rate-limit.ts";
export { defaultRateLimitPolicy, rateLimitConditions, rateLimitDecision } from "./rate-limit.ts";
export { mapLegacyRoles } from "./roles.ts";
