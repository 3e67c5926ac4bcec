import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./bundle.ts";
import { buildPackages, packPackages } from "./packages.ts";

/**
 * `npm run packages`: builds the published packages into packages/<name>/dist;
 * `npm run packages -- --pack [--out dir]` also packs them (default .local/packages/).
 */
const { values } = parseArgs({ options: { pack: { type: "boolean" }, out: { type: "string" } } });
const log = (line: string) => console.log(`packages: ${line}`);
if (values.pack) {
  const tarballs = await packPackages(values.out ?? join(repoRoot, ".local", "packages"), log);
  for (const file of Object.values(tarballs)) console.log(relative(process.cwd(), file));
} else {
  await buildPackages(log);
}
