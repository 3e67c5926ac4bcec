import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The admin console's sources and the Vite output the admin server and the packages serve. (Not
 * through bundle.ts's repoRoot: the local package inlines this module, and esbuild with it.)
 */
export const consoleDir = fileURLToPath(new URL("../../console", import.meta.url));
export const consoleDist = join(consoleDir, "dist");

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * Builds the admin console from its sources with Vite unless `dist/` is newer than every source
 * (or `force`), and returns `dist/`. Vite is loaded only when a build is needed.
 */
export async function buildConsoleFromSources(options: { force?: boolean } = {}): Promise<string> {
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
