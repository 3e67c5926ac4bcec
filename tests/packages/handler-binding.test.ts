import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Handlers = typeof import("../../packages/sst/src/stacks/handlers.ts");

/** The module as the built component sees it (the package build defines the variable). */
async function packaged(): Promise<Handlers> {
  vi.stubEnv("COGNITO_LIFECYCLE_PACKAGED_HANDLERS", "true");
  vi.resetModules();
  return import("../../packages/sst/src/stacks/handlers.ts");
}

async function fromRepository(): Promise<Handlers> {
  vi.stubEnv("COGNITO_LIFECYCLE_PACKAGED_HANDLERS", "");
  vi.resetModules();
  return import("../../packages/sst/src/stacks/handlers.ts");
}

/**
 * An app with the component installed: a built handler that imports the app's config by the
 * bare specifier, as packages/build writes it, and the app's own config at a custom path.
 */
function scratchApp(): string {
  const app = mkdtempSync(join(tmpdir(), "handler-binding-"));
  const pkg = join(app, "node_modules", "@cognito-lifecycle", "sst");
  mkdirSync(join(pkg, "dist", "functions"), { recursive: true });
  writeFileSync(
    join(pkg, "package.json"),
    JSON.stringify({
      name: "@cognito-lifecycle/sst",
      type: "module",
      exports: { "./functions/*": { import: "./dist/functions/*.js" } },
    }),
  );
  writeFileSync(
    join(pkg, "dist", "functions", "pre-sign-up.js"),
    'import config from "@cognito-lifecycle/app-config";\nexport const handler = () => config.branding.productName;\n',
  );
  mkdirSync(join(app, "auth"));
  writeFileSync(
    join(app, "auth", "lifecycle.ts"),
    'export default { branding: { productName: "Bound at bundle time" } } as const;\n',
  );
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", type: "module" }));
  return app;
}

describe("the component's handlers and the app's config", () => {
  let app: string;
  beforeEach(() => {
    app = scratchApp();
  });
  afterEach(() => rmSync(app, { recursive: true, force: true }));

  it("from the installed package: the handler is the package's built entry", async () => {
    const { handlerPath } = await packaged();
    expect(handlerPath(app, "functions/pre-sign-up.handler")).toBe(
      "node_modules/@cognito-lifecycle/sst/dist/functions/pre-sign-up.handler",
    );
    expect(() => handlerPath(app, "src/other.handler")).toThrow(/not functions\/<file>\.<export>/);
  });

  it("compiles the module at configPath into the handler's bundle (the nodePaths SST passes to esbuild)", async () => {
    const { appConfigNodePaths, handlerPath } = await packaged();
    const nodePaths = appConfigNodePaths(app, "./auth/lifecycle.ts");
    const entry = join(app, handlerPath(app, "functions/pre-sign-up.handler").replace(/\.handler$/, ".js"));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      nodePaths,
      absWorkingDir: app,
      logLevel: "silent",
    });
    expect(result.outputFiles[0]?.text).toContain("Bound at bundle time");
  });

  it("deploys the console the package ships: copied under .sst/, config.json written from the site's environment", async () => {
    const shipped = join(app, "node_modules", "@cognito-lifecycle", "sst", "dist", "console");
    mkdirSync(join(shipped, "assets"), { recursive: true });
    writeFileSync(join(shipped, "index.html"), "<!doctype html><title>console</title>\n");
    writeFileSync(join(shipped, "assets", "app.js"), "console.log(1);\n");
    const { consoleSource } = await packaged();
    const source = consoleSource(app);
    expect(source).toEqual({
      path: join(".sst", "cognito-lifecycle", "console"),
      command: "node config-json.mjs",
    });
    const site = join(app, source?.path ?? "");
    expect(readFileSync(join(site, "dist", "assets", "app.js"), "utf8")).toBe("console.log(1);\n");
    execFileSync(process.execPath, ["config-json.mjs"], {
      cwd: site,
      env: {
        VITE_REGION: "eu-west-1",
        VITE_USER_POOL_ID: "eu-west-1_Pool",
        VITE_CLIENT_ID: "client",
        VITE_API_BASE: "https://api.example.com",
      },
    });
    expect(JSON.parse(readFileSync(join(site, "dist", "config.json"), "utf8"))).toEqual({
      region: "eu-west-1",
      userPoolId: "eu-west-1_Pool",
      clientId: "client",
      apiBase: "https://api.example.com",
    });
    expect((await fromRepository()).consoleSource(app)).toBeUndefined();
  });

  it("accepts any configPath from the package, only the root lifecycle.config.ts from the repository", async () => {
    expect((await packaged()).checkedConfigPath("./auth/lifecycle.ts")).toBe("./auth/lifecycle.ts");
    const repository = await fromRepository();
    expect(repository.checkedConfigPath("./lifecycle.config.ts")).toBe("./lifecycle.config.ts");
    expect(() => repository.checkedConfigPath("./auth/lifecycle.ts")).toThrow(/needs the installed package/);
    expect(repository.handlerPath(app, "functions/pre-sign-up.handler")).toBe(
      "functions/pre-sign-up.handler",
    );
    expect(repository.appConfigNodePaths(app, "./lifecycle.config.ts")).toEqual([]);
  });
});
