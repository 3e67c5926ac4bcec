import { Logger } from "@aws-lambda-powertools/logger";

/**
 * Structured JSON logs. Never pass an event, a code, a password, a token or a full email
 * address: log the sub, the trigger source, and `maskEmail(...)` where an address helps.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "cognito-lifecycle" });
