import * as z from "zod/mini";
import "../zod-messages.ts";

const optionalStringMap = z.nullish(z.record(z.string(), z.string()));

/**
 * User migration: `UserMigration_Authentication` (with the typed password) and
 * `UserMigration_ForgotPassword` (no password). Loose like every event schema: only what the
 * migration uses is checked. Unlike Powertools' `MigrateUserTriggerSchema`, `password` may be
 * absent or null, so ForgotPassword events parse; `response` members arrive null.
 * @example { "version": "1", "triggerSource": "UserMigration_Authentication", "region": "eu-west-1", "userPoolId": "eu-west-1_x", "userName": "jane@example.com", "callerContext": { "awsSdkVersion": "aws-sdk-js-3", "clientId": "abc" }, "request": { "password": "…", "validationData": null, "clientMetadata": null }, "response": { "userAttributes": null, "finalUserStatus": null, "messageAction": null, "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null } }
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
 */
export const userMigrationEvent = z.looseObject({
  version: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  triggerSource: z.enum(["UserMigration_Authentication", "UserMigration_ForgotPassword"]),
  region: z.string(),
  userPoolId: z.string().check(z.minLength(1)),
  userName: z.string().check(z.minLength(1)),
  callerContext: z.nullish(
    z.looseObject({ awsSdkVersion: z.nullish(z.string()), clientId: z.nullish(z.string()) }),
  ),
  request: z.looseObject({
    password: z.nullish(z.string()),
    /** ClientMetadata of (Admin)InitiateAuth. */
    validationData: optionalStringMap,
    /** ClientMetadata of ForgotPassword and AdminRespondToAuthChallenge. */
    clientMetadata: optionalStringMap,
  }),
  response: z.nullish(z.looseObject({})),
});

export type UserMigrationEvent = z.output<typeof userMigrationEvent>;
export type UserMigrationSource = UserMigrationEvent["triggerSource"];
