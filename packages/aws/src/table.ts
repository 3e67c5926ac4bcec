/**
 * The single-table layout: the one source of truth for the user store, the local stack's
 * CreateTable and the SST `Dynamo` component in stacks/storage.ts. Pure data, no SDK import,
 * so infrastructure code can read it.
 *
 * Items (all in one table, partition key `pk`, sort key `sk`):
 * - profile     pk=USER#<sub>  sk=PROFILE
 * - role member pk=USER#<sub>  sk=ROLE#<role>    (one per role, so "users with role X" is one query)
 * - audit event pk=USER#<sub>  sk=AUDIT#<iso time>#<id>
 * - webhook endpoint pk=WEBHOOKS              sk=ENDPOINT#<id>
 * - webhook delivery pk=WEBHOOK#<endpointId>  sk=DELIVERY#<eventId>
 * - webhook attempt  pk=WEBHOOK#<endpointId>  sk=ATTEMPT#<eventId>#<iso time>#<attempt>
 * - legacy credential pk=LEGACY#<canonical email> sk=CREDENTIAL (imported for lazy migration)
 * - legacy attempts   pk=LEGACY#<canonical email> sk=ATTEMPTS   (migration rate limit, TTL)
 * - import job       pk=IMPORT#<jobId>         sk=JOB   (an admin API bulk import: status, counts)
 * - bulk job         pk=BULK#<jobId>           sk=JOB   (an admin bulk action: status, counts, failures)
 *
 * Overloaded global secondary indexes (each key attribute is only set on the items it serves,
 * so every index is sparse):
 * - gsi1 byStatusOrRole: profile STATUS#<status> / <createdAt>#<sub>; role member ROLE#<role> / same;
 *                         audit ACTOR#<actor> / <at>#<id>;
 *                         pending webhook delivery WEBHOOK_PENDING#<endpointId> / <nextAttemptAt>#<eventId>
 * - gsi2 byEmail:         profile EMAIL#<first char> / <normalised email>; audit ACTION#<action> / <at>#<id>
 * - gsi3 byCreated:       profile USERS / <createdAt>#<sub>; audit AUDIT / <at>#<id>
 *
 * gsi3 puts every user under one partition key. Cognito's own UserCreation quota (50 requests/s per
 * account and region) keeps sign-ups far below a DynamoDB partition's 1,000 writes/s, and it buys a
 * newest-first listing that costs a single query.
 */
export const userTable = {
  partitionKey: "pk",
  sortKey: "sk",
  ttlAttribute: "expiresAt",
  /**
   * The table's stream (the outbox read by the events function): new and old images, so a
   * consumer sees what a change replaced. stacks/storage.ts and the local CreateTable both use it.
   */
  streamViewType: "NEW_AND_OLD_IMAGES",
  indexes: {
    byStatusOrRole: { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    byEmail: { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    byCreated: { name: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  },
} as const;

export type IndexKey = keyof typeof userTable.indexes;

/** Every key attribute is a string. */
export const keyAttributes: readonly string[] = [
  userTable.partitionKey,
  userTable.sortKey,
  ...Object.values(userTable.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
];

export const itemKeys = {
  user: (sub: string) => `USER#${sub}`,
  profile: "PROFILE",
  role: (role: string) => `ROLE#${role}`,
  rolePrefix: "ROLE#",
  audit: (at: string, id: string) => `AUDIT#${at}#${id}`,
  auditPrefix: "AUDIT#",
  status: (status: string) => `STATUS#${status}`,
  roleIndex: (role: string) => `ROLE#${role}`,
  actor: (actor: string) => `ACTOR#${actor}`,
  action: (action: string) => `ACTION#${action}`,
  /** Email prefix searches stay inside one partition: the first character of the normalised email. */
  emailShard: (normalisedEmail: string) => `EMAIL#${Array.from(normalisedEmail)[0] ?? "_"}`,
  allUsers: "USERS",
  allAudit: "AUDIT",
  created: (createdAt: string, sub: string) => `${createdAt}#${sub}`,
  webhookEndpoints: "WEBHOOKS",
  webhookEndpoint: (id: string) => `ENDPOINT#${id}`,
  webhookEndpointPrefix: "ENDPOINT#",
  webhook: (endpointId: string) => `WEBHOOK#${endpointId}`,
  webhookDelivery: (eventId: string) => `DELIVERY#${eventId}`,
  /** Attempts of one event sort by time; the number is padded so they also sort within a millisecond. */
  webhookAttempt: (eventId: string, at: string, attempt: number) =>
    `ATTEMPT#${eventId}#${at}#${String(attempt).padStart(3, "0")}`,
  webhookAttemptPrefix: (eventId?: string) => (eventId ? `ATTEMPT#${eventId}#` : "ATTEMPT#"),
  webhookPending: (endpointId: string) => `WEBHOOK_PENDING#${endpointId}`,
  /** The migration trigger's grant is limited to this prefix (dynamodb:LeadingKeys). */
  legacyPrefix: "LEGACY#",
  legacy: (canonicalEmail: string) => `LEGACY#${canonicalEmail}`,
  legacyCredential: "CREDENTIAL",
  legacyAttempts: "ATTEMPTS",
  importJob: (jobId: string) => `IMPORT#${jobId}`,
  importJobState: "JOB",
  bulkJob: (jobId: string) => `BULK#${jobId}`,
  bulkJobState: "JOB",
} as const;
