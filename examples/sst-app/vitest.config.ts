import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The infrastructure test bundles every handler; the local test starts the emulators.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One at a time: both are heavy, and the machine may be running other suites.
    fileParallelism: false,
    // The SDK warns on every load that releases after January 2027 need Node 22.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
