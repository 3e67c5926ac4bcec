import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";
import { StopSharedStackWhenDone } from "./tests/e2e/support/stop-shared-stack.ts";

const shared = {
  testTimeout: 30_000,
  hookTimeout: 90_000,
  restoreMocks: true,
  unstubEnvs: true,
  env: {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  },
};

/**
 * Two projects, one after the other (`sequence.groupOrder`). "e2e" first: the browser tests,
 * which share one console build and one local stack (started only when a browser test file is in
 * the run), with vitest's default workers (one file at a time on 2 cores: Chromium, the stack and
 * the file already keep about a core busy). Then "suite": everything else, with one DynamoDB
 * Local and one local SES for the run, at least two files at a time even on 2 cores, since most
 * of a file's time is spent waiting on its emulators and child processes.
 */
export default defineConfig({
  test: {
    reporters: ["default", new StopSharedStackWhenDone("e2e")],
    projects: [
      {
        test: {
          ...shared,
          name: "suite",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/e2e/**"],
          globalSetup: ["tests/support/global-setup.ts"],
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/support/shared-stack.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
