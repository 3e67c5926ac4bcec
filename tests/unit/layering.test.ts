import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layers of docs/architecture.md, checked on every import of our own code: a package name
 * (`@cognito-lifecycle/<name>`) or a relative path that leaves the importing layer.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

type Layer = string;

/** What each layer may import of ours. `config` is lifecycle.config.ts, the app's one config. */
const allowed: Record<Layer, readonly Layer[]> = {
  core: [],
  aws: ["core"],
  emails: ["core"],
  admin: ["core", "aws", "emails"],
  console: ["core"],
  "pg-sync": ["core"],
  build: [],
  functions: ["core", "aws", "emails", "admin", "config"],
  // The SST component, its stacks included (packages/sst/src/stacks).
  sst: ["core", "aws"],
  local: ["core", "aws", "emails", "admin", "build", "functions", "config"],
  bench: ["core", "aws", "emails", "admin", "build", "local", "functions", "config"],
  config: ["core"],
};

/** The console shares core's lists and locale choice only: modules that import nothing, not core's index. */
const consoleMayImport = ["@cognito-lifecycle/core/lists", "@cognito-lifecycle/core/locale"];

/**
 * Known exceptions, each with its reason; an exception that no longer occurs fails the test too.
 */
const exceptions: { file: string; specifier: string; why: string }[] = [
  {
    file: "packages/admin/src/server.ts",
    specifier: "@cognito-lifecycle/console/src/csp.ts",
    why: "the local admin server sends the console's Content-Security-Policy as a header; one definition",
  },
  {
    file: "packages/sst/src/stacks/admin.ts",
    specifier: "../../../console/src/csp.ts",
    why: "CloudFront sends the console's Content-Security-Policy (with frame-ancestors) from the same builder as the page's meta tag",
  },
];

function layerOf(file: string): Layer | undefined {
  const path = relative(root, file).split(sep);
  if (path[0] === "packages") return path[1];
  if (path[0] === "functions") return path[0];
  if (path[0] === "lifecycle.config.ts") return "config";
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ["node_modules", "dist", ".sst"].includes(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

interface Import {
  file: string;
  specifier: string;
  from: Layer;
  to: Layer;
}

/** Every module specifier in `file`: imports, re-exports and dynamic imports, type-only ones flagged. */
function specifiersOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) {
        const typeOnly = ts.isImportDeclaration(node)
          ? Boolean(node.importClause?.isTypeOnly)
          : node.isTypeOnly;
        found.push({ specifier: node.moduleSpecifier.text, typeOnly });
      }
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import of ours in `file`, with the layer it reaches. */
function importsOf(file: string): Import[] {
  const from = layerOf(file);
  if (!from) return [];
  return specifiersOf(file).flatMap(({ specifier }) => {
    const named = /^@cognito-lifecycle\/([^/]+)/.exec(specifier)?.[1];
    const to = named ?? (specifier.startsWith(".") ? layerOf(resolve(file, "..", specifier)) : undefined);
    return to && to !== from ? [{ file: relative(root, file), specifier, from, to }] : [];
  });
}

/** Each package's src (its scripts are build tooling), the functions, the config. */
const everyImport = [
  ...readdirSync(join(root, "packages")).flatMap((name) => sourceFiles(join(root, "packages", name, "src"))),
  ...sourceFiles(join(root, "functions")),
  join(root, "lifecycle.config.ts"),
].flatMap(importsOf);

const isException = (found: Import) =>
  exceptions.some((known) => known.file === found.file && known.specifier === found.specifier);

describe("layering: dependencies point down", () => {
  it("finds the imports it checks (the check can fail)", () => {
    expect(everyImport.some((found) => found.from === "admin" && found.to === "aws")).toBe(true);
    expect(everyImport.some((found) => found.from === "functions" && found.to === "core")).toBe(true);
  });

  it("no layer imports one above it", () => {
    const forbidden = everyImport
      .filter((found) => !allowed[found.from]?.includes(found.to) && !isException(found))
      .map(
        (found) => `${found.file} imports ${found.specifier} (${found.from} may not depend on ${found.to})`,
      );
    expect(forbidden).toEqual([]);
  });

  it("the console takes only core's lists (and types, which leave no trace in the bundle)", () => {
    const wider = sourceFiles(join(root, "packages/console/src")).flatMap((file) =>
      specifiersOf(file)
        .filter(({ specifier, typeOnly }) => specifier.startsWith("@cognito-lifecycle/core") && !typeOnly)
        .filter(({ specifier }) => !consoleMayImport.includes(specifier))
        .map(({ specifier }) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(wider).toEqual([]);
  });

  it("every known exception still occurs", () => {
    for (const known of exceptions) {
      expect(
        everyImport.some((found) => found.file === known.file && found.specifier === known.specifier),
      ).toBe(true);
    }
  });

  it("each package declares the workspace packages it imports", () => {
    const undeclared: string[] = [];
    for (const found of everyImport) {
      if (!found.specifier.startsWith("@cognito-lifecycle/") || !found.file.startsWith("packages/")) continue;
      const manifest = JSON.parse(readFileSync(join(root, "packages", found.from, "package.json"), "utf8"));
      const declared = { ...manifest.dependencies, ...manifest.devDependencies };
      if (!declared[`@cognito-lifecycle/${found.to}`])
        undeclared.push(`${found.file}: @cognito-lifecycle/${found.to}`);
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });
});
