import {
  auditActions,
  lifecycleEventTypes,
  maxSearchLength,
  parseUserSearch,
  userSortOrders,
  userSources,
  userStatuses,
} from "@cognito-lifecycle/core";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import type { AdminRuntime } from "../runtime.ts";

// zod/mini ships without messages; English ones make the 400 answers readable.
z.config(en());

const isoTime = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
      "must be an ISO date or time, such as 2025-01-31 or 2025-01-31T12:00:00Z",
    ),
  );
const limit = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), fallback);
const cursor = z.string().check(z.maxLength(4096));
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));

const expectedVersion = z.int().check(z.minimum(1));
/** Must be true for a change to the caller's own account. */
const confirmSelf = z.optional(z.boolean());

/** The body of resync. */
export const optionalReasonBody = z.strictObject({ reason: z.optional(reason) });

/** The body of disable and enable: the version the caller saw is optional (checked when given). */
export const statusBody = z.strictObject({
  reason: z.optional(reason),
  expectedVersion: z.optional(expectedVersion),
  confirmSelf,
});

/** The body of delete: it cannot be undone, so like a role change it needs a reason for the audit trail. */
export const deleteBody = z.strictObject({
  reason,
  expectedVersion: z.optional(expectedVersion),
  confirmSelf,
});

/** The body of erase: the reason is kept after the erasure, so it is required. */
export const eraseBody = z.strictObject({ reason, confirmSelf });

/**
 * A bound on any one profile value, or `null` to clear the field; the exact limits and messages
 * (and which fields exist) are `checkProfileEdit`'s.
 */
const profileValue = z.nullable(z.string().check(z.maxLength(8192)));

/**
 * The body of a profile edit: what to set or clear (each optional, at least one), the version
 * the caller saw (required, as for roles), an optional reason and the self confirmation.
 */
export const profileBody = z.strictObject({
  name: z.optional(profileValue),
  locale: z.optional(profileValue),
  attributes: z.optional(
    z
      .record(z.string().check(z.maxLength(64)), profileValue)
      .check(z.refine((value) => Object.keys(value).length <= 25, "must name at most 25 attributes")),
  ),
  expectedVersion,
  reason: z.optional(reason),
  confirmSelf,
});

const eventTypes = z.array(z.enum(lifecycleEventTypes)).check(z.maxLength(lifecycleEventTypes.length));
const description = z.string().check(z.trim(), z.maxLength(200));

/** `/webhooks` bodies and queries: the same whatever the configured roles. */
export const webhookSchemas = {
  add: z.strictObject({
    url: z.string().check(z.minLength(1), z.maxLength(2048)),
    eventTypes: z.optional(eventTypes),
    description: z.optional(description),
  }),
  update: z.strictObject({ eventTypes: z.optional(eventTypes), description: z.optional(description) }),
  rotate: z.strictObject({
    overlapHours: z.optional(z.number().check(z.minimum(0), z.maximum(24 * 7))),
  }),
  replay: z.union([
    z.strictObject({ eventId: z.string().check(z.minLength(1), z.maxLength(200)) }),
    z.strictObject({ from: isoTime, to: isoTime }).check(
      z.refine((value) => value.from <= `${value.to}\uffff`, {
        path: ["to"],
        message: "must not be before from",
      }),
    ),
  ]),
  attempts: z.strictObject({
    eventId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    limit: limit(50),
  }),
};

/** The request schemas that depend on the configured roles. */
export function schemas(runtime: AdminRuntime) {
  const known = Object.keys(runtime.config.roles);
  const role = z.string().check(
    z.refine((value) => known.includes(value), {
      error: (issue) => `unknown role "${String(issue.input)}" (known: ${known.join(", ")})`,
    }),
  );
  const roleList = z.array(role).check(z.maxLength(known.length));
  const userFilter = {
    emailPrefix: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))),
    q: z.optional(
      z.string().check(
        z.trim(),
        z.maxLength(maxSearchLength),
        z.refine((value) => parseUserSearch(value) !== undefined, "needs something to search for"),
      ),
    ),
    sort: z.optional(z.enum(userSortOrders)),
    role: z.optional(role),
    status: z.optional(z.enum(userStatuses)),
    source: z.optional(z.enum(userSources)),
    createdFrom: z.optional(isoTime),
    createdTo: z.optional(isoTime),
    hideDeleted: z.optional(z.enum(["true", "false"])),
  };
  const createdOrder = z.refine<{ createdFrom?: string | undefined; createdTo?: string | undefined }>(
    (value) => !value.createdFrom || !value.createdTo || value.createdFrom <= `${value.createdTo}\uffff`,
    { path: ["createdTo"], message: "must not be before createdFrom" },
  );
  return {
    users: z
      .strictObject({ ...userFilter, limit: limit(25), cursor: z.optional(cursor) })
      .check(createdOrder),
    csv: z.strictObject(userFilter).check(createdOrder),
    count: z.strictObject(userFilter).check(createdOrder),
    user: z.strictObject({ auditLimit: limit(25), auditCursor: z.optional(cursor) }),
    audit: z
      .strictObject({
        user: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
        actor: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
        action: z.optional(z.enum(auditActions)),
        from: z.optional(isoTime),
        to: z.optional(isoTime),
        limit: limit(25),
        cursor: z.optional(cursor),
      })
      .check(
        z.refine((value) => !value.from || !value.to || value.from <= `${value.to}\uffff`, {
          path: ["to"],
          message: "must not be before from",
        }),
      ),
    invite: z.strictObject({
      email: z.email().check(z.trim(), z.maxLength(254)),
      roles: z.optional(z.array(role).check(z.maxLength(known.length))),
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
      reason: z.optional(reason),
    }),
    webhooks: webhookSchemas,
    // A change (`add`/`remove`, applied to the current roles) or the whole new set (`roles`).
    roles: z
      .strictObject({
        add: z.optional(roleList),
        remove: z.optional(roleList),
        roles: z.optional(roleList),
        expectedVersion,
        reason,
        confirmSelf,
      })
      .check(
        z.refine(
          (body) => (body.roles === undefined) !== (body.add === undefined && body.remove === undefined),
          {
            path: ["add"],
            message: "give add and/or remove (a change), or roles (the whole set), not both",
          },
        ),
      ),
  };
}

export type Schemas = ReturnType<typeof schemas>;
