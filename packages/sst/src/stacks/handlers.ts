import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * Where the functions' code comes from. From this repository (or a fork), a handler is
 * `functions/<file>.handler` at the app's root and imports `../lifecycle.config.ts`. From the
 * installed package, the same handler is the built entry `@cognito-lifecycle/sst/functions/<file>`,
 * which imports the app's config as `@cognito-lifecycle/app-config`: bound here, at bundle time,
 * to the component's `configPath`. The package build defines this variable (packages/build).
 */
export const packagedHandlers = process.env.COGNITO_LIFECYCLE_PACKAGED_HANDLERS === "true";

/** The default of the component's `configPath`. */
export const defaultConfigPath = "./lifecycle.config.ts";

/** The bare specifier the built handlers import the app's config by. */
const appConfigSpecifier = "@cognito-lifecycle/app-config";

/**
 * Checks `configPath` against where the handlers come from: the repository's handlers import
 * the root's lifecycle.config.ts by a relative path, so only that one is accepted there.
 */
export function checkedConfigPath(configPath: string): string {
  if (!packagedHandlers && configPath.replace(/^\.\//, "") !== "lifecycle.config.ts") {
    throw new Error(
      `CognitoLifecycle: configPath "${configPath}" needs the installed package's handlers; the repository's functions/ import lifecycle.config.ts at the app's root`,
    );
  }
  return configPath;
}

/** A stack's handler (`functions/<file>.<export>`) as SST finds it from the app's root. */
export function handlerPath(root: string, handler: string): string {
  if (!packagedHandlers) return handler;
  const match = /^functions\/(.+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) throw new Error(`CognitoLifecycle: handler "${handler}" is not functions/<file>.<export>`);
  const [, file, exportName] = match;
  const built = installedFile(root, join("functions", `${file}.js`));
  return `${relative(root, built).replace(/\.js$/, "")}.${exportName}`;
}

/** A file of the installed component's dist/ in the nearest node_modules (the app's or a parent's). */
function installedFile(root: string, path: string): string {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "@cognito-lifecycle", "sst", "dist", path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`CognitoLifecycle: no ${path} in @cognito-lifecycle/sst under ${root}`);
    }
  }
}

/** Writes the deployment's `config.json` beside the shipped console, from the site's environment. */
const consoleConfigScript = `import { writeFileSync } from "node:fs";
const env = process.env;
const config = { region: env.VITE_REGION, userPoolId: env.VITE_USER_POOL_ID, clientId: env.VITE_CLIENT_ID, apiBase: env.VITE_API_BASE };
writeFileSync("dist/config.json", JSON.stringify(config));
`;

/**
 * The console's StaticSite source. From the repository it is built by Vite with the deployment's
 * VITE_* values. The installed package ships it built (dist/console): it is copied under `.sst/`
 * and its build step only writes `config.json` from the same values, which the console reads
 * before the build-time ones (packages/console/src/config.ts).
 */
export function consoleSource(root: string): { path: string; command: string } | undefined {
  if (!packagedHandlers) return undefined;
  const shipped = dirname(installedFile(root, join("console", "index.html")));
  const site = join(root, ".sst", "cognito-lifecycle", "console");
  rmSync(site, { recursive: true, force: true });
  cpSync(shipped, join(site, "dist"), { recursive: true });
  writeFileSync(join(site, "config-json.mjs"), consoleConfigScript);
  return { path: relative(root, site), command: "node config-json.mjs" };
}

/**
 * The esbuild `nodePaths` that bind the built handlers' config import to `configPath`: a
 * one-file package under `.sst/` re-exporting the app's config module (SST passes no esbuild
 * aliases or plugin options through, but it does pass nodePaths).
 */
export function appConfigNodePaths(root: string, configPath: string): string[] {
  if (!packagedHandlers) return [];
  const nodePath = join(root, ".sst", "cognito-lifecycle", "node_modules");
  const dir = join(nodePath, ...appConfigSpecifier.split("/"));
  const config = isAbsolute(configPath) ? configPath : resolve(root, configPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "index.ts"),
    `// Written by CognitoLifecycle: the handlers' config is ${relative(root, config)}.\nexport { default } from ${JSON.stringify(config)};\nexport * from ${JSON.stringify(config)};\n`,
  );
  return [nodePath];
}
