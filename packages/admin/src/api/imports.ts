import { randomUUID } from "node:crypto";
import { LifecycleError } from "@cognito-lifecycle/core";
import { credentialAlgorithms } from "@cognito-lifecycle/core/passwords/formats";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import { NotFoundError } from "../errors.ts";
import { fileHash } from "../import/checkpoint.ts";
import { auditImport, finishedDetails, jobCheckpoint, stateOf } from "../import/jobs.ts";
import {
  type ImportRequest,
  importFormats,
  importOrigin,
  settingsKey,
  validateImport,
} from "../import/options.ts";
import { type ImportSummary, runImport, withoutHashChoices } from "../import/run.ts";
import { runtimeTargets } from "../import/targets.ts";
import { type Env, validJson } from "./context.ts";

/**
 * Uploads the API takes: the file travels in the JSON body, so with the options it stays under
 * API Gateway's and Lambda's payload limits. Larger files go through the CLI.
 */
export const importLimits = {
  maxFileBytes: 1_000_000,
  maxUsers: 1000,
  /** A run stops cleanly after this long (the function has 29 s); the client continues it with `resume`. */
  runBudgetMs: 20_000,
};

const importBody = z.strictObject({
  format: z.enum(importFormats),
  file: z.string().check(z.minLength(1), z.maxLength(importLimits.maxFileBytes)),
  dryRun: z.optional(z.boolean()),
  withoutHash: z.optional(z.enum(withoutHashChoices)),
  roleMapping: z.optional(z.record(z.string(), z.array(z.string()))),
  firebaseHashConfig: z.optional(z.unknown()),
  hashAlgorithm: z.optional(z.enum(credentialAlgorithms)),
  /** The id of an incomplete job to continue; the same file and options are required. */
  resume: z.optional(z.string().check(z.regex(/^imp_[0-9a-f-]{36}$/u, "is not an import job id"))),
});

/** The body is refused by its length before it is read. */
const sizeLimit: MiddlewareHandler<Env> = async (c, next) => {
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > importLimits.maxFileBytes * 2) {
    return c.json(
      {
        error: "payload_too_large",
        message: `Upload at most ${importLimits.maxFileBytes} bytes of file here; use the CLI for larger files.`,
      },
      413,
    );
  }
  await next();
};

const actorOf = (c: Context<Env>) => c.get("caller").sub;
const conflict = (message: string) => new LifecycleError(message, { code: "conflict", status: 409 });

async function startOrResume(c: Context<Env>, request: ImportRequest, total: number, resume?: string) {
  const { rt } = c.get("deps");
  const hash = fileHash(request.text);
  const settings = settingsKey(request);
  if (resume) {
    const job = await rt.imports.jobs.get(resume);
    if (!job) throw new NotFoundError(`No import job ${resume}.`);
    if (job.status === "finished") throw conflict(`Import job ${resume} has finished.`);
    if (job.fileHash !== hash || job.settings !== settings)
      throw conflict(`Import job ${resume} was started with another file or other options.`);
    return { jobId: job.id, resumeFrom: stateOf(job) };
  }
  const now = rt.now().toISOString();
  const jobId = `imp_${randomUUID()}`;
  await rt.imports.jobs.create({
    id: jobId,
    status: "running",
    actor: actorOf(c),
    format: request.format,
    fileHash: hash,
    settings,
    total,
    startedAt: now,
    updatedAt: now,
    next: 0,
    counts: { imported: 0, preCreated: 0, skipped: {}, failed: 0 },
    notImported: [],
  });
  await auditImport(rt, {
    jobId,
    actor: actorOf(c),
    action: "import.started",
    details: {
      format: request.format,
      users: total,
      fileHash: hash.slice(0, 16),
      withoutHash: request.withoutHash,
    },
  });
  return { jobId };
}

/**
 * `POST /imports` validates the file (any problem: 422 listing them, nothing written), then
 * answers a dry run's counts or runs the import inside this request for up to `runBudgetMs`;
 * a run cut short is `incomplete` and continues with `resume`. `GET /imports/:id` is its status.
 */
export const importRoutes = new Hono<Env>()
  .post(
    "/",
    sizeLimit,
    validJson(() => importBody),
    async (c) => {
      const started = Date.now();
      const { rt } = c.get("deps");
      const body = c.req.valid("json");
      const request: ImportRequest = {
        text: body.file,
        format: body.format,
        withoutHash: body.withoutHash ?? "skip",
        ...(body.roleMapping ? { roleMapping: body.roleMapping } : {}),
        ...(body.firebaseHashConfig !== undefined ? { firebaseHashConfig: body.firebaseHashConfig } : {}),
        ...(body.hashAlgorithm ? { hashAlgorithm: body.hashAlgorithm } : {}),
      };
      const { users, problems } = validateImport(request, rt.config);
      // A dry run reports the problems as its answer; a real run is refused with them.
      if (problems.length > 0 && body.dryRun) return c.json({ problems });
      if (problems.length > 0) {
        const message = `${problems.length} problem(s) in the file; nothing was imported.`;
        return c.json({ error: "import_refused", message, problems }, 422);
      }
      if (users.length > importLimits.maxUsers) {
        const message = `The API imports at most ${importLimits.maxUsers} users per file; use the CLI for ${users.length}.`;
        return c.json({ error: "payload_too_large", message }, 413);
      }
      const targets = runtimeTargets(rt, rt.imports.credentials);
      const origin = importOrigin(request.format);
      if (body.dryRun) {
        const job = { id: "dry-run", origin, actor: actorOf(c) };
        const summary = await runImport(users, targets, {
          job,
          withoutHash: request.withoutHash,
          dryRun: true,
        });
        return c.json({ problems: [], summary });
      }
      const { jobId, resumeFrom } = await startOrResume(c, request, users.length, body.resume);
      let summary: ImportSummary;
      try {
        summary = await runImport(users, targets, {
          job: { id: jobId, origin, actor: actorOf(c) },
          withoutHash: request.withoutHash,
          checkpoint: jobCheckpoint(rt.imports.jobs, jobId, rt.now),
          shouldStop: () => Date.now() - started > importLimits.runBudgetMs,
          ...(resumeFrom ? { resumeFrom } : {}),
        });
      } catch (error) {
        await rt.imports.jobs.setStatus(jobId, "incomplete", rt.now().toISOString()).catch(() => {});
        throw error;
      }
      await rt.imports.jobs.setStatus(
        jobId,
        summary.complete ? "finished" : "incomplete",
        rt.now().toISOString(),
      );
      if (summary.complete) {
        await auditImport(rt, {
          jobId,
          actor: actorOf(c),
          action: "import.finished",
          details: finishedDetails(summary),
        });
      }
      return c.json({ job: await rt.imports.jobs.get(jobId), summary });
    },
  )
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const job = await c.get("deps").rt.imports.jobs.get(id);
    if (!job) throw new NotFoundError(`No import job ${id}.`);
    return c.json({ job });
  });
