import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { BulkActions } from "../bulk/actions.ts";
import { auditExport, exportChunks, exportFormats, exportMediaTypes } from "../bulk/export.ts";
import {
  type BulkChange,
  type BulkTarget,
  bulkActions,
  bulkLimits,
  previewTarget,
  validateChange,
} from "../bulk/plan.ts";
import { ValidationError } from "../errors.ts";
import { type Env, validJson } from "./context.ts";
import { textStream } from "./export.ts";
import { filterOf } from "./filter.ts";
import type { Schemas } from "./schemas.ts";

const sub = z.string().check(z.trim(), z.minLength(1), z.maxLength(128));
const roleNames = z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(50));
const jobId = /^blk_[0-9a-f-]{36}$/u;

/** A selection (`subs`) or a filter (the listing's own filter fields), exactly one. */
const targetFields = (s: Schemas) => ({
  subs: z.optional(z.array(sub).check(z.minLength(1), z.maxLength(bulkLimits.maxSubs))),
  filter: z.optional(s.count),
});
const oneTarget = z.refine<{ subs?: unknown; filter?: unknown }>(
  (body) => (body.subs === undefined) !== (body.filter === undefined),
  { path: ["subs"], message: "give subs (a selection) or filter, not both" },
);

const changeBody = (s: Schemas) =>
  z
    .strictObject({
      action: z.enum(bulkActions),
      ...targetFields(s),
      add: z.optional(roleNames),
      remove: z.optional(roleNames),
      includeSelf: z.optional(z.boolean()),
      reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
      dryRun: z.optional(z.boolean()),
      /** The dry run's token: required for a real run. */
      token: z.optional(z.string().check(z.maxLength(100))),
    })
    .check(oneTarget);

const exportBody = (s: Schemas) =>
  z
    .strictObject({ format: z.enum(exportFormats), ...targetFields(s), dryRun: z.optional(z.boolean()) })
    .check(oneTarget);

type TargetBody = { subs?: string[] | undefined; filter?: Parameters<typeof filterOf>[0] | undefined };
const targetOf = (body: TargetBody): BulkTarget =>
  body.subs ? { subs: body.subs } : { filter: filterOf(body.filter ?? {}) };

/** The request as a change, its roles checked against the config. */
function changeOf(c: Context<Env>, body: z.output<ReturnType<typeof changeBody>>): BulkChange {
  const change: BulkChange = {
    action: body.action,
    target: targetOf(body),
    ...(body.add ? { add: body.add } : {}),
    ...(body.remove ? { remove: body.remove } : {}),
    ...(body.includeSelf ? { includeSelf: true } : {}),
  };
  validateChange(c.get("deps").rt.config, change);
  return change;
}

const bulkOf = (c: Context<Env>) => new BulkActions(c.get("deps").rt, c.get("deps").service);

/** A run stops after `runBudgetMs` (the function's limit is 29 s); the client continues it. */
const budget = () => {
  const started = Date.now();
  return { shouldStop: () => Date.now() - started > bulkLimits.runBudgetMs };
};

function checkJobId(id: string): string {
  if (!jobId.test(id)) throw new ValidationError({ id: "is not a bulk job id" });
  return id;
}

/**
 * `/users/bulk`: bulk role changes, disable and enable on a selection or a filter. A dry run
 * answers the count, a sample and a token; the real run sends the token back (a filter that now
 * matches another number of users is a 409 `bulk_changed`) and runs as a job, like imports:
 * inside the request for up to `runBudgetMs`, then `POST /users/bulk/{id}/resume` continues it.
 */
export const bulkRoutes = new Hono<Env>()
  .post(
    "/",
    validJson((s) => changeBody(s)),
    async (c) => {
      const body = c.req.valid("json");
      const change = changeOf(c, body);
      if (body.dryRun) return c.json({ dryRun: true, ...(await bulkOf(c).dryRun(change)) });
      const fields: Record<string, string> = {};
      if (!body.token) fields.token = "run the dry run first and send its token";
      if (!body.reason) fields.reason = "say why, for the audit trail";
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);
      const reason = body.reason as string;
      const actor = c.get("caller").sub;
      return c.json(await bulkOf(c).start(actor, { ...change, reason }, body.token as string, budget()));
    },
  )
  .post(
    "/export",
    validJson((s) => exportBody(s)),
    async (c) => {
      const { rt } = c.get("deps");
      const body = c.req.valid("json");
      const target = targetOf(body);
      if (body.dryRun) return c.json({ dryRun: true, ...(await previewTarget(rt, target)) });
      const { count } = await previewTarget(rt, target);
      const id = `blk_${randomUUID()}`;
      await auditExport(rt, { id, actor: c.get("caller").sub, target, format: body.format, users: count });
      return c.body(textStream(exportChunks(rt, target, body.format)), 200, {
        "content-type": exportMediaTypes[body.format],
        "content-disposition": `attachment; filename="users.${body.format}"`,
        "cache-control": "no-store",
        "x-bulk-id": id,
      });
    },
  )
  .get("/:id", async (c) => c.json({ job: await bulkOf(c).get(checkJobId(c.req.param("id"))) }))
  .post("/:id/resume", async (c) => c.json(await bulkOf(c).resume(checkJobId(c.req.param("id")), budget())));
