import { mkdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { bundleFunction, functionEntries, repoRoot } from "./bundle.ts";

/** `npm run build`: bundles every handler in functions/ into dist/functions/. */
const outdir = join(repoRoot, "dist", "functions");
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
for (const entry of functionEntries()) {
  const result = await bundleFunction(entry, outdir);
  console.log(
    `${relative(repoRoot, result.outfile).padEnd(40)} ${(result.bytes / 1024).toFixed(1).padStart(8)} KB`,
  );
}
