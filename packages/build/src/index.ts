export type { BundleResult } from "./bundle.ts";
export { bundleFunction, functionEntries, functionsDir, repoRoot } from "./bundle.ts";
