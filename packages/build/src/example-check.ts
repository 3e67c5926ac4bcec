import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./bundle.ts";
import { cachedTarballs } from "./pack-cache.ts";

/**
 * `npm run example:check`: the example app (examples/sst-app) as an app gets it. Installs the
 * packed packages (reused from .local/packages/ while their sources are unchanged) into a copy
 * of the example in .local/example-app, and checks that
 *   1. every package loads in plain Node, without tsx or TypeScript;
 *   2. the example type-checks against the installed declarations and SST's real platform types;
 *   3. the component's built handlers resolve from the installed package;
 *   4. the example's own tests pass: its infrastructure under Pulumi mocks, and the local loop
 *      (`npx cognito-lifecycle dev`, sign-up, its API route with the token).
 * `--keep` leaves the app for a look.
 *
 * No registry and no second npm install: the app sits inside the repository, so everything but
 * our packages (sst, typescript, vitest, the AWS SDK, the emulators) resolves from the root's
 * node_modules, which `npm ci` installed; our tarballs are unpacked into the app's node_modules
 * as npm would place them (docs/decisions.md, "The example installs nothing from the registry").
 */
const { values } = parseArgs({ options: { keep: { type: "boolean" } } });
const log = (line: string) => console.log(`example: ${line}`);
const example = join(repoRoot, "examples", "sst-app");
const platform = join(repoRoot, ".sst", "platform");
if (!existsSync(join(platform, "config.d.ts"))) {
  throw new Error("SST's platform is not installed: run the offline `npx sst install` (see the README)");
}

const tarballs = await cachedTarballs(log);
const app = join(repoRoot, ".local", "example-app");
rmSync(app, { recursive: true, force: true });
try {
  cpSync(example, app, { recursive: true, filter: (path) => !/node_modules|\.sst|\.local/.test(path) });
  installTarballs(app, tarballs);
  mkdirSync(join(app, ".sst"), { recursive: true });
  symlinkSync(platform, join(app, ".sst", "platform"), "dir");

  log("1. the packages load in plain Node");
  probeImports(app);

  log("2. the example type-checks against the installed packages and SST's platform");
  node(app, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]);

  log("3. the component's handlers resolve from the installed package");
  checkBuiltHandler(app);

  log("4. the example's tests: infrastructure under Pulumi mocks, the local sign-up-to-API loop");
  node(app, [join(repoRoot, "node_modules", "vitest", "vitest.mjs"), "run"]);
  log(`passed (app in ${relative(repoRoot, app)})`);
} finally {
  if (!values.keep) rmSync(app, { recursive: true, force: true });
}

/**
 * Unpacks each tarball where npm puts it (node_modules/<name>), links the package's bins, and
 * records the tarballs as the app's dependencies. Every dependency a package declares must then
 * resolve from the app: from its node_modules (our packages) or the repository's.
 */
function installTarballs(dir: string, packed: Record<string, string>): void {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const [name, tarball] of Object.entries(packed)) {
    const target = join(dir, "node_modules", name);
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
    const installed = JSON.parse(readFileSync(join(target, "package.json"), "utf8"));
    for (const [bin, file] of Object.entries((installed.bin ?? {}) as Record<string, string>)) {
      const link = join(dir, "node_modules", ".bin", bin);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(relative(dirname(link), join(target, file)), link);
      chmodSync(join(target, file), 0o755);
    }
    const section = manifest.devDependencies?.[name] ? manifest.devDependencies : manifest.dependencies;
    section[name] = `file:${relative(dir, tarball)}`;
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const name of Object.keys(packed)) {
    const installed = JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"));
    for (const dependency of Object.keys(installed.dependencies ?? {})) {
      if (!resolvesFrom(join(dir, "node_modules", name), dependency)) {
        throw new Error(`${name} depends on ${dependency}, which nothing installed provides`);
      }
    }
  }
  log(`installed ${Object.keys(packed).length} packages into ${relative(repoRoot, dir)}`);
}

/** Node's lookup: `node_modules/<name>` in the package's directory or any directory above it. */
function resolvesFrom(from: string, name: string): boolean {
  for (let current = from; ; current = dirname(current)) {
    if (existsSync(join(current, "node_modules", name, "package.json"))) return true;
    if (dirname(current) === current) return false;
  }
}

function probeImports(dir: string): void {
  const imports = [
    "@cognito-lifecycle/core",
    "@cognito-lifecycle/core/least-privilege",
    "@cognito-lifecycle/aws",
    "@cognito-lifecycle/emails",
    "@cognito-lifecycle/admin/jwt",
    "@cognito-lifecycle/admin/account",
  ];
  const probe = `${imports.map((name, index) => `import * as m${index} from ${JSON.stringify(name)};`).join("\n")}
for (const [name, module] of Object.entries({ ${imports.map((name, index) => `${JSON.stringify(name)}: m${index}`).join(", ")} })) {
  if (Object.keys(module).length === 0) throw new Error(name + " exports nothing");
}
if (typeof m4.createTokenVerifier !== "function") throw new Error("no createTokenVerifier");
console.log("loaded " + ${imports.length} + " modules");`;
  writeFileSync(join(dir, "probe.mjs"), probe);
  node(dir, ["probe.mjs"]);
  rmSync(join(dir, "probe.mjs"));
}

function checkBuiltHandler(dir: string): void {
  const sst = join(dir, "node_modules", "@cognito-lifecycle", "sst", "dist");
  const handler = join(sst, "functions", "pre-sign-up.js");
  const text = readFileSync(handler, "utf8");
  if (!text.includes("@cognito-lifecycle/app-config"))
    throw new Error(`${handler} does not import the app's config`);
  if (text.includes("lifecycle.config.ts"))
    throw new Error(`${handler} still imports the repository's config`);
  if (!existsSync(join(sst, "console", "index.html")))
    throw new Error("@cognito-lifecycle/sst ships no built console (dist/console/index.html)");
}

/** Runs Node in the app without the workspace's loaders or paths: what an app's runtime sees. */
function node(cwd: string, args: string[]): void {
  const { NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;
  execFileSync(process.execPath, args, { cwd, stdio: "inherit", env });
}
