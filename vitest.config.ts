import { configDefaults, defineConfig } from "vitest/config";

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
 * Two projects run side by side. "suite": everything but the browser tests, with one DynamoDB
 * Local and one local SES for the run. "e2e": the browser tests, which share one console build
 * and one local stack, started only when a browser test file is in the run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "suite",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/e2e/**"],
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/support/shared-stack.ts"],
        },
      },
    ],
  },
});
