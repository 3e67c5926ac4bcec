import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./bundle.ts";
import { packPackages } from "./packages.ts";

/**
 * `npm run example:check`: the example app (examples/sst-app) as an app gets it. Packs the
 * published packages, installs the tarballs (not the workspace) into a temporary copy of the
 * example, and checks that
 *   1. every package loads in plain Node, without tsx or TypeScript;
 *   2. the example type-checks against the installed declarations and SST's real platform types;
 *   3. the component's built handlers resolve from the installed package.
 * `--keep` leaves the temporary app for a look.
 */
const { values } = parseArgs({ options: { keep: { type: "boolean" } } });
const log = (line: string) => console.log(`example: ${line}`);
const example = join(repoRoot, "examples", "sst-app");
const platform = join(repoRoot, ".sst", "platform");
if (!existsSync(join(platform, "config.d.ts"))) {
  throw new Error("SST's platform is not installed: run the offline `npx sst install` (see the README)");
}

const tarballs = await packPackages(join(repoRoot, ".local", "packages"), log);
const app = mkdtempSync(join(tmpdir(), "lifecycle-example-"));
try {
  cpSync(example, app, { recursive: true, filter: (path) => !/node_modules|\.sst/.test(path) });
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  // Every tarball is a direct dependency, so the packages' dependencies on each other are met by
  // them and npm never asks the registry for @cognito-lifecycle/*.
  for (const [name, tarball] of Object.entries(tarballs)) {
    const section = manifest.devDependencies?.[name] ? manifest.devDependencies : manifest.dependencies;
    section[name] = `file:${tarball}`;
  }
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`installing the tarballs into ${app}`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
    cwd: app,
    stdio: "inherit",
  });
  mkdirSync(join(app, ".sst"), { recursive: true });
  symlinkSync(platform, join(app, ".sst", "platform"), "dir");

  log("1. the packages load in plain Node");
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
  writeFileSync(join(app, "probe.mjs"), probe);
  execFileSync(process.execPath, ["probe.mjs"], { cwd: app, stdio: "inherit", env: cleanEnv() });

  log("2. the example type-checks against the installed packages and SST's platform");
  execFileSync(
    process.execPath,
    [join(app, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"],
    {
      cwd: app,
      stdio: "inherit",
    },
  );

  log("3. the component's handlers resolve from the installed package");
  const handler = join(
    app,
    "node_modules",
    "@cognito-lifecycle",
    "sst",
    "dist",
    "functions",
    "pre-sign-up.js",
  );
  const text = readFileSync(handler, "utf8");
  if (!text.includes("@cognito-lifecycle/app-config"))
    throw new Error(`${handler} does not import the app's config`);
  if (text.includes("lifecycle.config.ts"))
    throw new Error(`${handler} still imports the repository's config`);
  log(`passed (app in ${app})`);
} finally {
  if (!values.keep) rmSync(app, { recursive: true, force: true });
}

/** Node without the workspace's loaders or paths: what an app's runtime sees. */
function cleanEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;
  return env;
}
