import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./bundle.ts";
import { packPackages, publishedPackages } from "./packages.ts";

/**
 * Everything the packed packages are made from: the published packages' and the console's
 * sources and manifests, the handlers, the compiled email templates, the build itself, the
 * release version and changelog, the lockfile (dependency versions) and the compiler settings.
 */
function packageInputs(): string[] {
  const packages = [...publishedPackages, "console", "build"].map((name) => join("packages", name));
  return [
    ...packages.flatMap((dir) =>
      ["src", "package.json", "index.html", "vite.config.ts", "tsconfig.json"].map((entry) =>
        join(dir, entry),
      ),
    ),
    "packages/emails/generated",
    "functions",
    "lifecycle.config.ts",
    "package.json",
    "package-lock.json",
    "CHANGELOG.md",
    "tsconfig.json",
    "sst-env.d.ts",
  ];
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((entry) => entry !== "node_modules" && entry !== "dist")
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** A hash of every input's path and content: the same sources pack to the same tarballs. */
export function packageSourcesHash(root: string = repoRoot): string {
  const hash = createHash("sha256");
  for (const input of packageInputs()) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The tarballs of the current sources, by package name: packed once into
 * `.local/packages/<hash>/` and reused while the hash is the same (packing builds every package
 * and its declarations, minutes on a busy machine). Older hashes are removed.
 */
export async function cachedTarballs(
  log: (line: string) => void = () => {},
): Promise<Record<string, string>> {
  const root = join(repoRoot, ".local", "packages");
  const hash = packageSourcesHash();
  const dir = join(root, hash);
  const index = join(dir, "tarballs.json");
  if (existsSync(index)) {
    const tarballs = JSON.parse(readFileSync(index, "utf8")) as Record<string, string>;
    if (Object.values(tarballs).every((file) => existsSync(join(dir, file)))) {
      log(`reusing the tarballs of sources ${hash} (${relative(repoRoot, dir)})`);
      return Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, join(dir, file)]));
    }
  }
  for (const entry of existsSync(root) ? readdirSync(root) : []) {
    if (/^[0-9a-f]{16}$/.test(entry) && entry !== hash)
      rmSync(join(root, entry), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  const tarballs = await packPackages(dir, log);
  const names = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, relative(dir, file)]),
  );
  writeFileSync(index, `${JSON.stringify(names, null, 2)}\n`);
  return tarballs;
}
