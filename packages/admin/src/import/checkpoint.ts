import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { applyResult, emptyState, type ImportCheckpoint, type ImportState, type UserResult } from "./run.ts";

/** The first line of a checkpoint: which file and which options the run belongs to. */
export interface CheckpointHeader {
  fileHash: string;
  jobId: string;
  /** The options that decide outcomes (format, role map, --without-hash...): a resume must match. */
  settings: string;
  startedAt: string;
}

type Line = { header: CheckpointHeader } | { begin: number } | { done: UserResult } | { finished: string };

export const fileHash = (text: string) => createHash("sha256").update(text).digest("hex");

/** `.local/imports/<first 16 hex of the file's SHA-256>.jsonl` under `dir`. */
export function checkpointPath(dir: string, hash: string): string {
  return join(dir, ".local", "imports", `${hash.slice(0, 16)}.jsonl`);
}

export interface SavedCheckpoint {
  header: CheckpointHeader;
  state: ImportState;
  finished: boolean;
}

/**
 * Replays a checkpoint file. A torn last line (the process died mid-write) is ignored: the user
 * it described is still `inFlight` and is finished idempotently on resume.
 */
export function readCheckpoint(path: string): SavedCheckpoint | undefined {
  if (!existsSync(path)) return undefined;
  let header: CheckpointHeader | undefined;
  let state: ImportState | undefined;
  let finished = false;
  for (const text of readFileSync(path, "utf8").split("\n")) {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      continue;
    }
    if ("header" in line) {
      header = line.header;
      state = emptyState(line.header.jobId);
    } else if (!state) continue;
    else if ("begin" in line) state.inFlight = line.begin;
    else if ("done" in line) applyResult(state, line.done);
    else if ("finished" in line) finished = true;
  }
  return header && state ? { header, state, finished } : undefined;
}

/**
 * An append-only JSON-lines checkpoint: one line before each user's write and one after, each
 * written synchronously so a killed process loses nothing it reported as done.
 */
export class FileCheckpoint implements ImportCheckpoint {
  private constructor(readonly path: string) {}

  /** Starts a new checkpoint (replacing a finished one) with its header. */
  static start(path: string, header: CheckpointHeader): FileCheckpoint {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ header })}\n`, { mode: 0o600 });
    return new FileCheckpoint(path);
  }

  /** Continues an existing checkpoint. */
  static resume(path: string): FileCheckpoint {
    // A torn last line gets its own line ending, so the next entry parses.
    appendFileSync(path, "\n");
    return new FileCheckpoint(path);
  }

  private append(line: Line): void {
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }

  async begin(index: number): Promise<void> {
    this.append({ begin: index });
  }

  async done(result: UserResult): Promise<void> {
    this.append({ done: result });
  }

  finish(at: string): void {
    this.append({ finished: at });
  }
}
