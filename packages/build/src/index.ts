export type { BundleResult } from "./bundle.ts";
export { bundleFunction, functionEntries, functionsDir, repoRoot, shippedBuildOptions } from "./bundle.ts";
export { chromiumArgs, chromiumPath, launchChromium } from "./chromium.ts";
