import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromSources, shippedConsoleDir } from "./installed.ts";

export const consoleDir = fileURLToPath(new URL("../../console", import.meta.url));
export const consoleDist = join(consoleDir, "dist");

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * Builds the admin console with Vite unless `dist/` is newer than every source, and returns the
 * directory to serve. Vite is loaded only when a build is needed. From the installed package
 * the console is the one `@cognito-lifecycle/sst` ships, built when the packages were.
 */
export async function ensureConsoleBuilt(options: { force?: boolean } = {}): Promise<string> {
  if (!fromSources) return shippedConsoleDir();
  const built = join(consoleDist, "index.html");
  const sources = [
    join(consoleDir, "src"),
    join(consoleDir, "index.html"),
    join(consoleDir, "vite.config.ts"),
  ];
  if (
    !options.force &&
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(...sources.map(newestChange))
  ) {
    return consoleDist;
  }
  const { build } = await import("vite");
  await build({ configFile: join(consoleDir, "vite.config.ts"), logLevel: "warn" });
  return consoleDist;
}
