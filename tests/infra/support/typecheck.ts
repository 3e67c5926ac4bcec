import { relative, resolve } from "node:path";
import ts from "typescript";
import { repoRoot } from "./platform.ts";

/**
 * The files the stack type-check is about (those using the platform's globals); the platform's
 * own sources are not ours to fix.
 */
export function isStackFile(fileName: string): boolean {
  const path = relative(repoRoot, fileName);
  return (
    path === "sst.config.ts" ||
    path === "sst-env.d.ts" ||
    path.startsWith("packages/sst/") ||
    /^tests\/infra\/fixtures\/.*\.sst\.config\.ts$/.test(path)
  );
}

export interface StackTypecheck {
  /** Every file of ours that was checked (sst.config.ts, packages/sst/**, sst-env.d.ts, the probes). */
  checked: string[];
  /** Diagnostics as tsc prints them, by file relative to the repository; files without any are absent. */
  reports: Record<string, string>;
  /** Diagnostics about the configuration itself (tsconfig, compiler options). */
  configReport: string;
}

const format = (diagnostics: readonly ts.Diagnostic[]) =>
  ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => repoRoot,
    getNewLine: () => "\n",
  });

/**
 * Type-checks sst.config.ts and packages/sst/** with packages/sst/tsconfig.json against the installed
 * platform's types (`.sst/platform/config.d.ts`). Only our files are checked, which spares the
 * cost and the noise of checking SST's own sources under our stricter flags. `probes` are extra
 * in-memory files (path relative to the repository -> text) checked in the same program.
 */
export function typecheckStacks(probes: Record<string, string> = {}): StackTypecheck {
  const configPath = resolve(repoRoot, "packages", "sst", "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(format([config.error]));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, resolve(repoRoot, "packages", "sst"));
  const virtual = new Map(Object.entries(probes).map(([path, text]) => [resolve(repoRoot, path), text]));
  const host = ts.createCompilerHost(parsed.options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(resolve(fileName)) ?? readFile.call(host, fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(resolve(fileName));
    return text === undefined
      ? getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const program = ts.createProgram({
    rootNames: [...parsed.fileNames, ...virtual.keys()],
    options: parsed.options,
    host,
  });
  const ours = program.getSourceFiles().filter((file) => isStackFile(file.fileName));
  const reports: Record<string, string> = {};
  for (const file of ours) {
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    if (diagnostics.length > 0) reports[relative(repoRoot, file.fileName)] = format(diagnostics);
  }
  return {
    checked: ours.map((file) => relative(repoRoot, file.fileName)),
    reports,
    configReport: format([
      ...parsed.errors,
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
    ]),
  };
}
