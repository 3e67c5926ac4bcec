import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const functionsDir = join(repoRoot, "functions");

/** Every Lambda entry point: one file per trigger or route in functions/. */
export function functionEntries(): string[] {
  return readdirSync(functionsDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => join(functionsDir, file))
    .sort();
}

export interface BundleResult {
  name: string;
  outfile: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * How a handler ships: ESM for Node 20+, minified, tree-shaken, the AWS SDK bundled in (so the
 * size and import time we measure are what Lambda loads). `mainFields` prefers each package's ESM
 * build: the SDK ships both, and only the ESM one can be tree-shaken (about a third smaller).
 */
export const shippedBuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  mainFields: ["module", "main"],
  minify: true,
  treeShaking: true,
  sourcemap: false,
  metafile: true,
  legalComments: "none",
  logLevel: "silent",
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __lifecycleRequire } from 'node:module'; const require = __lifecycleRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

export async function bundleFunction(entry: string, outdir: string): Promise<BundleResult> {
  const name = basename(entry, ".ts");
  const outfile = join(outdir, `${name}.mjs`);
  const result = await build({ ...shippedBuildOptions, entryPoints: [entry], outfile });
  const output = result.metafile.outputs[Object.keys(result.metafile.outputs)[0] as string];
  return { name, outfile, bytes: output?.bytes ?? 0, metafile: result.metafile };
}
