import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the local stack finds what it runs. From the repository (tsx, `npm start`) that is the
 * sources: `functions/*.ts`, the console's Vite project, data in the repository's `.local/`.
 * From the installed package (an app's `npx cognito-lifecycle dev`) it is the built handlers and
 * the built console that `@cognito-lifecycle/sst` ships, and data in the app's `.local/`.
 */
export const fromSources = import.meta.url.endsWith(".ts");

/** The repository's root (meaningful from sources only). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** A file the installed component ships (its `exports` map `./functions/*` and `./console/*`). */
function shipped(specifier: string): string {
  return fileURLToPath(import.meta.resolve(`@cognito-lifecycle/sst/${specifier}`));
}

/** The directory of the trigger and job handlers: `functions/<file>.ts`, or the built `<file>.js`. */
export function handlersDir(): string {
  return fromSources ? join(repoRoot, "functions") : dirname(shipped("functions/pre-sign-up"));
}

/** The built admin console the installed component ships (index.html and assets). */
export function shippedConsoleDir(): string {
  return dirname(shipped("console/index.html"));
}

/** Data, logs and stack.json: the repository's `.local/`, or the app's (the working directory). */
export function defaultDataDirectory(): string {
  return join(fromSources ? repoRoot : process.cwd(), ".local");
}
