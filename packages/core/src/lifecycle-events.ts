import * as z from "zod/mini";
import type { AuditEvent } from "./audit.ts";
import { emailDeliverabilityStatuses, userSources } from "./lists.ts";
import { pureSchema } from "./pure-schema.ts";
import type { UserRecord } from "./users.ts";
import "./zod-messages.ts";

// The catalogue lives with the other closed lists, so the console takes it without zod.
import { type LifecycleEventType, lifecycleEventTypes } from "./lists.ts";

export { type LifecycleEventType, lifecycleEventTypes };

/** Bumped only for a breaking change to the envelope or `data`; additions keep it. */
export const lifecycleSchemaVersion = 1;

/** Where events come from: EventBridge `source`, and the envelope's `source`. */
export const lifecycleEventSource = "cognito-lifecycle";

const isoTimestamp = /* @__PURE__ */ pureSchema(() =>
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)),
);

/**
 * What an event says about the user: an allowlist of record fields, so a field added to the
 * record later (delivery state, legacy hashes) never leaks into events by default.
 */
const recordSummarySchema = /* @__PURE__ */ pureSchema(() =>
  z.object({
    sub: z.string(),
    username: z.string(),
    email: z.optional(z.string()),
    emailVerified: z.boolean(),
    name: z.optional(z.string()),
    locale: z.optional(z.string()),
    customAttributes: z.optional(
      z
        .record(z.string(), z.string())
        .check(
          z.describe("The custom attributes admins may edit (config admin.editableAttributes) that are set."),
        ),
    ),
    status: z.enum(["active", "disabled", "deleted"]),
    roles: z.array(z.string()),
    groups: z.array(z.string()),
    source: z.enum(userSources),
    identities: z.array(
      z.object({
        providerName: z.string(),
        providerType: z.optional(z.string()),
        userId: z.optional(z.string()),
      }),
    ),
    createdAt: isoTimestamp,
    confirmedAt: z.optional(isoTimestamp),
    lastSignInAt: z.optional(isoTimestamp),
    emailDeliverability: z.optional(
      z
        .object({
          status: z.enum(emailDeliverabilityStatuses),
          at: isoTimestamp,
          bounceType: z.optional(z.string()),
          subType: z.optional(z.string()),
        })
        .check(
          z.describe("The last bounce or complaint SES reported for the address; absent while it delivers."),
        ),
    ),
    updatedAt: isoTimestamp,
    version: z.number().check(z.int(), z.minimum(1)),
  }),
);

const eventDataSchema = /* @__PURE__ */ pureSchema(() =>
  z.object({
    sub: z.string().check(z.minLength(1)),
    version: z
      .number()
      .check(
        z.int(),
        z.minimum(1),
        z.describe("The record's version after the change; events of one user are ordered by it."),
      ),
    record: z.optional(
      recordSummarySchema.check(
        z.describe("The record after the change. Absent only on user.erased: nothing personal survives."),
      ),
    ),
    changes: z.optional(
      z.array(z.string()).check(z.describe("Names of the record fields this change altered.")),
    ),
    previous: z.optional(
      z
        .object({
          status: z.optional(z.enum(["active", "disabled", "deleted"])),
          roles: z.optional(z.array(z.string())),
        })
        .check(z.describe("Earlier values of the fields that decide access.")),
    ),
    signIn: z.optional(
      z
        .object({
          clientId: z.optional(z.string()),
          newDevice: z.optional(z.boolean()),
        })
        .check(
          z.describe(
            "On user.signed_in: the app client signed in to, and whether Cognito saw a new device (sent only when the pool remembers devices).",
          ),
        ),
    ),
  }),
);

export const lifecycleEventSchema = /* @__PURE__ */ pureSchema(() =>
  z.object({
    id: z
      .string()
      .check(
        z.minLength(1),
        z.describe("Stable across retries and replays: the webhook-id and the consumer's idempotency key."),
      ),
    type: z.enum(lifecycleEventTypes),
    timestamp: isoTimestamp.check(z.describe("When the change was committed (UTC).")),
    schemaVersion: z.literal(lifecycleSchemaVersion),
    source: z.literal(lifecycleEventSource),
    data: eventDataSchema,
  }),
);

export type LifecycleRecordSummary = z.infer<typeof recordSummarySchema>;
export type LifecycleEventData = z.infer<typeof eventDataSchema>;
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

/** The JSON Schema consumers validate against, written to docs/events.schema.json. */
export function lifecycleEventJsonSchema(): Record<string, unknown> {
  // "input": objects accept fields added later, as `parseLifecycleEvent` does.
  const { $schema, ...schema } = z.toJSONSchema(lifecycleEventSchema, {
    target: "draft-2020-12",
    io: "input",
  });
  return { $schema, title: "cognito-lifecycle lifecycle event", ...schema };
}

/** Parses a received event; throws a ZodError naming what is wrong. */
export function parseLifecycleEvent(value: unknown): LifecycleEvent {
  return z.parse(lifecycleEventSchema, value);
}

const summaryFields = [
  "sub",
  "username",
  "email",
  "emailVerified",
  "name",
  "locale",
  "customAttributes",
  "status",
  "roles",
  "groups",
  "source",
  "identities",
  "createdAt",
  "confirmedAt",
  "lastSignInAt",
  "emailDeliverability",
  "updatedAt",
  "version",
] as const satisfies readonly (keyof UserRecord & keyof LifecycleRecordSummary)[];

/** Fields that change without a new version; alone they make no `user.updated`. */
const unversionedFields = new Set<string>(["lastSignInAt", "updatedAt", "version"]);

export function recordSummary(record: UserRecord): LifecycleRecordSummary {
  const summary: Record<string, unknown> = {};
  for (const field of summaryFields) {
    if (record[field] !== undefined) summary[field] = structuredClone(record[field]);
  }
  return summary as LifecycleRecordSummary;
}

function changedFields(before: UserRecord, after: UserRecord): string[] {
  const a = recordSummary(before) as Record<string, unknown>;
  const b = recordSummary(after) as Record<string, unknown>;
  return summaryFields.filter(
    (field) => !unversionedFields.has(field) && JSON.stringify(a[field]) !== JSON.stringify(b[field]),
  );
}

/** One change to a user, as the transaction that commits it sees it. */
export interface RecordChange {
  /** The audit entry written in the same transaction: the outbox. */
  audit: AuditEvent;
  /** The record before the change; absent when the change created it. */
  before?: UserRecord;
  /** The record after the change; absent when the change erased it. */
  after?: UserRecord;
}

export interface EventOptions {
  /** `user.signed_in` is opt-in: sign-ins are frequent and most apps do not want them. */
  signedIn?: boolean;
}

/** Audit actions whose meaning the record diff cannot show. */
export const lifecycleActions = { erased: "user.erased", signedIn: "user.signed_in" } as const;

function typeOf(change: RecordChange, options: EventOptions): LifecycleEventType | undefined {
  const { audit, before, after } = change;
  // The retention job's scrub is the erasure of a deleted user's personal data.
  const erased = audit.action === lifecycleActions.erased || audit.action === "user.scrubbed";
  if (erased || !after) return before || after ? "user.erased" : undefined;
  if (!before) return "user.created";
  if (after.version <= before.version) {
    return audit.action === lifecycleActions.signedIn && options.signedIn ? "user.signed_in" : undefined;
  }
  if (after.status !== before.status) {
    if (after.status === "deleted") return "user.deleted";
    return after.status === "disabled" ? "user.disabled" : "user.enabled";
  }
  const changes = changedFields(before, after);
  if (changes.includes("roles")) return "user.roles_changed";
  return changes.length > 0 ? "user.updated" : undefined;
}

/** What a sign-in's audit entry says about it (`details.clientId`, `details.newDevice`). */
function signInOf(audit: AuditEvent): LifecycleEventData["signIn"] {
  const { clientId, newDevice } = audit.details ?? {};
  const signIn = {
    ...(typeof clientId === "string" ? { clientId } : {}),
    ...(typeof newDevice === "boolean" ? { newDevice } : {}),
  };
  return Object.keys(signIn).length > 0 ? signIn : undefined;
}

/**
 * The event a committed change yields, or none (a resync that found nothing, a sign-in when
 * `user.signed_in` is off). Pure: the same change always gives the same event, id included,
 * so a retried transaction or a replay delivers an event the consumer already deduplicates.
 * The type comes from the diff, not the action name, so admin, reconcile and triggers agree.
 */
export function lifecycleEventsFor(change: RecordChange, options: EventOptions = {}): LifecycleEvent[] {
  const type = typeOf(change, options);
  if (!type) return [];
  const { audit, before, after } = change;
  const data: LifecycleEventData =
    type === "user.erased" || !after
      ? { sub: audit.sub, version: after?.version ?? (before?.version ?? 0) + 1 }
      : { sub: after.sub, version: after.version, record: recordSummary(after) };
  if (before && after && type !== "user.erased") {
    const changes = changedFields(before, after);
    if (type === "user.signed_in") {
      changes.push("lastSignInAt");
      const signIn = signInOf(audit);
      if (signIn) data.signIn = signIn;
    }
    if (changes.length > 0) data.changes = changes;
    if (before.status !== after.status || changes.includes("roles")) {
      data.previous = {
        ...(before.status !== after.status ? { status: before.status } : {}),
        ...(changes.includes("roles") ? { roles: [...before.roles] } : {}),
      };
    }
  }
  return [
    {
      id: `evt_${audit.id}`,
      type,
      timestamp: audit.at,
      schemaVersion: lifecycleSchemaVersion,
      source: lifecycleEventSource,
      data,
    },
  ];
}
