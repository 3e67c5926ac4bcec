import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const platformDir = join(repoRoot, ".sst", "platform");

/** The command CI runs before the tests; it installs the platform from npm only. */
export const installCommand =
  "SST_SKIP_DEPENDENCY_CHECK=true SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 SST_STAGE=dev npx sst install";

export const platformInstalled = existsSync(join(platformDir, "config.d.ts"));

/**
 * Without the platform the infrastructure tests cannot run. Locally that is a skip with the
 * command to run; in CI (`CI` set) it is a failure, so a broken install cannot hide them.
 */
export const skipInfra = !platformInstalled && !process.env.CI;

export const skipReason = `.sst/platform is not installed: run \`${installCommand}\` to run the infrastructure tests`;

export function requirePlatform(): void {
  if (!platformInstalled) throw new Error(`${skipReason} (CI is set, so this is a failure, not a skip)`);
}

/** The esbuild the platform ships, the one the SST CLI's own build matches most closely. */
export function platformEsbuild(): typeof import("esbuild") {
  const require = createRequire(join(platformDir, "package.json"));
  return require("esbuild") as typeof import("esbuild");
}
