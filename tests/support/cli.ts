import { join } from "node:path";
import { type CliIo, main } from "@cognito-lifecycle/admin/cli";

const repoRoot = join(import.meta.dirname, "../..");

/** What a CLI run printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the admin CLI in this process with captured output, as a non-interactive user named
 * `tester`, against the local stack described by `stackFile`.
 */
export function cliAgainst(stackFile: string, env: Record<string, string | undefined> = {}) {
  return async (...args: string[]): Promise<CliRun> => {
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      interactive: false,
      env: { ...process.env, USER: "tester", ...env },
      cwd: repoRoot,
    };
    const code = await main([...args, "--stack", stackFile], io);
    return { code, stdout, stderr };
  };
}
