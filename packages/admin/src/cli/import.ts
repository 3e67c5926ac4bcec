import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LifecycleError } from "@cognito-lifecycle/core";
import { checkpointPath, FileCheckpoint, fileHash, readCheckpoint } from "../import/checkpoint.ts";
import { auditImport, finishedDetails } from "../import/jobs.ts";
import {
  hashAlgorithmOf,
  ImportOptionError,
  type ImportRequest,
  importFormatOf,
  importOrigin,
  roleMapOf,
  settingsKey,
  validateImport,
  withoutHashOf,
} from "../import/options.ts";
import { type ImportSummary, runImport, type UserResult } from "../import/run.ts";
import { runtimeTargets } from "../import/targets.ts";
import type { ImportProblem } from "../import/types.ts";
import { type CommandContext, type Flags, UsageError } from "./commands.ts";
import { importProblemsText, importSummaryText, progressBar } from "./import-format.ts";

/** The file could not be imported as it is: every problem was printed, nothing was written. */
export class ImportRefusedError extends LifecycleError {
  override readonly name = "ImportRefusedError";
  constructor(count: number) {
    super(`${count} problem${count === 1 ? "" : "s"} in the file; nothing was imported`, {
      code: "import_refused",
    });
  }
}

function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ImportOptionError) throw new UsageError(error.message);
    throw error;
  }
}

function readJsonFile(cwd: string, path: string, flag: string): unknown {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new UsageError(`${flag} file ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`${flag} file ${path} is not valid JSON`);
  }
}

/** Every flag checked before the stack is contacted. */
export function checkImportFlags(flags: Flags): void {
  usage(() => {
    importFormatOf(flags.format);
    withoutHashOf(flags["without-hash"]);
    hashAlgorithmOf(flags["hash-algorithm"]);
  });
  if (flags.resume && flags["dry-run"]) throw new UsageError("--resume and --dry-run exclude each other");
}

function requestFrom(context: CommandContext): ImportRequest {
  const { flags, target, cwd } = context;
  if (!target) throw new UsageError("usage: import <file> --format auth0|firebase|csv|json");
  const file = resolve(cwd, target);
  if (!existsSync(file)) throw new UsageError(`import file ${target} does not exist`);
  const roleMap = flags["role-map"];
  return usage(() => ({
    text: readFileSync(file, "utf8"),
    format: importFormatOf(flags.format),
    withoutHash: withoutHashOf(flags["without-hash"]),
    ...(roleMap !== undefined
      ? {
          roleMapping: roleMapOf(
            existsSync(resolve(cwd, roleMap)) ? readJsonFile(cwd, roleMap, "--role-map") : roleMap,
          ),
        }
      : {}),
    ...(flags["hash-config"]
      ? { firebaseHashConfig: readJsonFile(cwd, flags["hash-config"], "--hash-config") }
      : {}),
    ...(flags["hash-algorithm"] ? { hashAlgorithm: hashAlgorithmOf(flags["hash-algorithm"]) } : {}),
  }));
}

function reportProblems(context: CommandContext, problems: ImportProblem[]): never {
  if (context.flags.json) context.stdout(`${JSON.stringify({ type: "problems", problems })}\n`);
  else context.stderr(importProblemsText(problems));
  throw new ImportRefusedError(problems.length);
}

/** The checkpoint to write to, and the state to continue from with --resume. */
function checkpointFor(context: CommandContext, request: ImportRequest) {
  const hash = fileHash(request.text);
  const path = checkpointPath(context.cwd, hash);
  const saved = readCheckpoint(path);
  const settings = settingsKey(request);
  if (context.flags.resume) {
    if (!saved || saved.finished)
      throw new UsageError("--resume: no interrupted import of this file is recorded");
    if (saved.header.settings !== settings)
      throw new UsageError(
        "--resume needs the same --format, --role-map, --hash-* and --without-hash as before",
      );
    return { checkpoint: FileCheckpoint.resume(path), resumeFrom: saved.state, jobId: saved.header.jobId };
  }
  if (saved && !saved.finished) {
    throw new UsageError(
      `an interrupted import of this file is recorded in ${path}: continue it with --resume, or delete that file to start over`,
    );
  }
  const jobId = `imp_${randomUUID()}`;
  const header = { fileHash: hash, jobId, settings, startedAt: context.runtime.now().toISOString() };
  return { checkpoint: FileCheckpoint.start(path, header), jobId };
}

/**
 * `import <file> --format f`: validate every record (any problem: list them all, write nothing),
 * then a dry run or the resumable import, with progress and a summary. Exits 1 when a user failed.
 */
export async function importUsers(context: CommandContext): Promise<void> {
  const { flags, runtime, progress } = context;
  const request = requestFrom(context);
  const { users, problems } = validateImport(request, runtime.config);
  if (problems.length > 0) reportProblems(context, problems);
  const dryRun = flags["dry-run"] === true;
  const saved = dryRun ? undefined : checkpointFor(context, request);
  const job = { id: saved?.jobId ?? "dry-run", origin: importOrigin(request.format), actor: context.actor };
  if (saved && !saved.resumeFrom) {
    const details = {
      format: request.format,
      users: users.length,
      fileHash: fileHash(request.text).slice(0, 16),
    };
    await auditImport(runtime, { jobId: job.id, actor: job.actor, action: "import.started", details });
  }
  const onProgress = (summary: ImportSummary, result: UserResult) => {
    if (flags.json) context.stdout(`${JSON.stringify({ type: "user", ...result })}\n`);
    else progress.update(progressBar(summary));
  };
  let summary: ImportSummary;
  try {
    summary = await runImport(users, runtimeTargets(runtime, runtime.imports.credentials), {
      job,
      withoutHash: request.withoutHash,
      dryRun,
      onProgress,
      ...(saved ? { checkpoint: saved.checkpoint } : {}),
      ...(saved?.resumeFrom ? { resumeFrom: saved.resumeFrom } : {}),
    });
  } catch (error) {
    progress.done();
    if (saved) context.stderr(`Interrupted; the progress is saved: run the same command with --resume.\n`);
    throw error;
  }
  progress.done();
  if (saved) {
    saved.checkpoint.finish(runtime.now().toISOString());
    await auditImport(runtime, {
      jobId: job.id,
      actor: job.actor,
      action: "import.finished",
      details: finishedDetails(summary),
    });
  }
  if (flags.json) context.stdout(`${JSON.stringify({ type: "summary", ...summary })}\n`);
  else context.stdout(importSummaryText(summary));
  if (summary.counts.failed > 0)
    throw new LifecycleError(`${summary.counts.failed} user(s) failed to import`, { code: "import_failed" });
}
