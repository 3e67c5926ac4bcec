import { functionEntries, shippedBuildOptions } from "@cognito-lifecycle/build";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The hash libraries are for the migration trigger and the importer only: every other handler
 * must keep its cold start, so none may bundle them through the core barrel.
 */
describe("password hashing stays out of other handlers", () => {
  it("no handler in functions/ bundles bcryptjs or hash-wasm", async () => {
    const result = await build({
      ...shippedBuildOptions,
      entryPoints: functionEntries().filter((entry) => !entry.endsWith("user-migration.ts")),
      outdir: "/dev/null/unused",
      write: false,
      minify: false,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes("packages/core/src/"))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/(?:bcryptjs|hash-wasm)\//u.test(input))).toEqual([]);
  });
});
