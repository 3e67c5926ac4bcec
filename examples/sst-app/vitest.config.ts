import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The infrastructure test bundles every handler; the local test starts the emulators.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One at a time: both are heavy, and the machine may be running other suites.
    fileParallelism: false,
  },
});
