import { auditActions, userSources, userStatuses } from "@cognito-lifecycle/core";
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

/** The body of disable, enable, delete and resync. */
export const optionalReasonBody = z.strictObject({ reason: z.optional(reason) });

/** The body of delete: it cannot be undone, so like a role change it needs a reason for the audit trail. */
export const requiredReasonBody = z.strictObject({ reason });

/** The request schemas that depend on the configured roles. */
export function schemas(runtime: AdminRuntime) {
  const known = Object.keys(runtime.config.roles);
  const role = z.string().check(
    z.refine((value) => known.includes(value), {
      error: (issue) => `unknown role "${String(issue.input)}" (known: ${known.join(", ")})`,
    }),
  );
  const userFilter = {
    emailPrefix: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))),
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
    roles: z.strictObject({
      roles: z.array(role).check(z.maxLength(known.length)),
      expectedVersion: z.int().check(z.minimum(1)),
      reason,
    }),
  };
}

export type Schemas = ReturnType<typeof schemas>;
