import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, shippedBuildOptions } from "@cognito-lifecycle/build";
import {
  compiledConfigDefine,
  compiledConfigName,
  defineConfig,
  type LifecycleConfig,
  type LifecycleConfigInput,
} from "@cognito-lifecycle/core";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";

/**
 * A deployed handler's bundle carries its config validated when the stack was built (esbuild
 * `define`), so its cold start does not build the config schema (a few hundred zod nodes, about
 * 20 ms) to validate a constant again. These bundle a config module the way a deployment does and
 * import it.
 */
const input: LifecycleConfigInput = {
  appName: "compiled-config",
  roles: { admin: { permissions: ["users:read"] }, member: { permissions: [] } },
  signUp: { deniedDomains: ["Example.INVALID"] },
};

const outdir = mkdtempSync(join(tmpdir(), "compiled-config-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Bundles `export default defineConfig(<literal>)` with a define and imports the result. */
async function deployedConfig(literal: unknown, define: Record<string, string>): Promise<LifecycleConfig> {
  const outfile = join(
    outdir,
    `config-${Object.keys(define).length}-${Math.random().toString(36).slice(2)}.mjs`,
  );
  await build({
    ...shippedBuildOptions,
    stdin: {
      contents: `import { defineConfig } from "@cognito-lifecycle/core";\nexport default defineConfig(${JSON.stringify(literal)});`,
      resolveDir: repoRoot,
      loader: "ts",
    },
    outfile,
    define,
  });
  return ((await import(pathToFileURL(outfile).href)) as { default: LifecycleConfig }).default;
}

describe("the config a deployment compiles in", () => {
  it("is the input validated once more, with that input beside it", () => {
    const config = defineConfig(input);
    const define = compiledConfigDefine(config);
    expect(Object.keys(define)).toEqual([compiledConfigName]);
    const compiled = JSON.parse(define[compiledConfigName] as string) as { input: string; config: unknown };
    expect(compiled.config).toEqual(config);
    expect(compiled.config).toMatchObject({ signUp: { deniedDomains: ["example.invalid"] } });
    expect(JSON.parse(compiled.input)).toEqual(input);
  });

  it("is the repository's config for the repository's handlers", () => {
    const compiled = JSON.parse(compiledConfigDefine(lifecycleConfig)[compiledConfigName] as string);
    expect(compiled.config).toEqual(lifecycleConfig);
  });

  it("is not offered for a config defineConfig did not return", () => {
    expect(compiledConfigDefine({ ...defineConfig(input) })).toEqual({});
  });

  it("is what a deployed bundle's defineConfig answers for that same input", async () => {
    const define = compiledConfigDefine(defineConfig(input));
    const marked = JSON.parse(define[compiledConfigName] as string) as {
      input: string;
      config: LifecycleConfig;
    };
    // A marker validation could not produce shows the answer is the compiled one, not a new parse.
    const withMarker = { ...marked, config: { ...marked.config, appName: "compiled at deploy" } };
    const answered = await deployedConfig(input, { [compiledConfigName]: JSON.stringify(withMarker) });
    expect(answered.appName).toBe("compiled at deploy");
  });

  it("is ignored for any other input: an edited config is validated at cold start", async () => {
    const define = compiledConfigDefine(defineConfig(input));
    const edited = { ...input, appName: "edited after deploy" };
    expect((await deployedConfig(edited, define)).appName).toBe("edited after deploy");
    await expect(deployedConfig({ ...input, defaultRoles: ["nobody"] }, define)).rejects.toThrow(
      /defaultRoles\.0: unknown role "nobody"/,
    );
  });

  it("leaves a bundle without it validating as before", async () => {
    const config = await deployedConfig(input, {});
    expect(config).toEqual(defineConfig(input));
  });
});
