import { buildConsoleFromSources } from "../../build/src/console-build.ts";
import { fromSources, shippedConsoleDir } from "./installed.ts";

export { consoleDist } from "../../build/src/console-build.ts";

/**
 * The admin console to serve: from the repository, built with Vite when its sources changed
 * (packages/build owns that build); from the installed package, the one `@cognito-lifecycle/sst`
 * ships, built when the packages were.
 */
export async function ensureConsoleBuilt(options: { force?: boolean } = {}): Promise<string> {
  return fromSources ? buildConsoleFromSources(options) : shippedConsoleDir();
}
