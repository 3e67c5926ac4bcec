import { existsSync, mkdirSync, writeFileSync } from "node:fs";
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
  const built = installedHandler(root, `${file}.js`);
  return `${relative(root, built).replace(/\.js$/, "")}.${exportName}`;
}

/** The built handler in the nearest node_modules holding the component (the app's or a parent's). */
function installedHandler(root: string, file: string): string {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "@cognito-lifecycle", "sst", "dist", "functions", file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`CognitoLifecycle: no built handler ${file} in @cognito-lifecycle/sst under ${root}`);
    }
  }
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
