export { bundleFunction, functionEntries, functionsDir, repoRoot } from "./bundle.ts";
export type { BundleResult } from "./bundle.ts";
