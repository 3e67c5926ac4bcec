import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configSchema } from "@cognito-lifecycle/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main, starterConfig } from "../../packages/local/src/app-cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The app CLI's commands, errors and help, run in a scratch app directory. */
describe("cognito-lifecycle (app CLI)", () => {
  let app: string;
  let out: string;
  let err: string;
  const io = () => ({
    cwd: app,
    out: (text: string) => {
      out += text;
    },
    err: (text: string) => {
      err += text;
    },
  });

  beforeEach(() => {
    app = mkdtempSync(join(tmpdir(), "app-cli-"));
    out = "";
    err = "";
  });
  afterEach(() => rmSync(app, { recursive: true, force: true }));

  it("init writes a starter lifecycle.config.ts", async () => {
    expect(await main(["init"], io())).toBe(0);
    expect(readFileSync(join(app, "lifecycle.config.ts"), "utf8")).toBe(starterConfig);
    expect(out).toContain("Wrote lifecycle.config.ts");
  });

  it("init refuses to overwrite an existing config", async () => {
    writeFileSync(join(app, "lifecycle.config.ts"), "// mine\n");
    expect(await main(["init"], io())).toBe(1);
    expect(readFileSync(join(app, "lifecycle.config.ts"), "utf8")).toBe("// mine\n");
    expect(err).toContain("already exists");
  });

  it("init --config writes where it is told", async () => {
    expect(await main(["init", "--config", "auth.config.ts"], io())).toBe(0);
    expect(readFileSync(join(app, "auth.config.ts"), "utf8")).toBe(starterConfig);
  });

  it("the starter config is a valid config", async () => {
    // The starter's object literal, as defineConfig receives it.
    const literal = starterConfig.slice(
      starterConfig.indexOf("defineConfig(") + 13,
      starterConfig.lastIndexOf(")"),
    );
    const parsed = configSchema().safeParse(new Function(`return (${literal});`)());
    expect(parsed.success).toBe(true);
  });

  it("--help prints the commands; no command is a usage error", async () => {
    expect(await main(["--help"], io())).toBe(0);
    expect(out).toMatch(/init .*\n.*dev .*/s);
    expect(out).toContain("preview emails");
    expect(await main([], io())).toBe(1);
  });

  it("rejects an unknown option and a bad preview target with usage", async () => {
    expect(await main(["--bogus"], io())).toBe(2);
    expect(err).toContain("unknown option --bogus");
    err = "";
    expect(await main(["preview", "sms"], io())).toBe(2);
    expect(err).toContain("preview takes emails or token, got sms");
    err = "";
    expect(await main(["init", "extra"], io())).toBe(2);
    expect(err).toContain("init takes only --config");
  });

  it("dev without a config says how to make one", async () => {
    expect(await main(["dev"], io())).toBe(2);
    expect(err).toContain("run cognito-lifecycle init");
  });

  it("dev's config binding: the repository's config import and the packages' specifier load the app's config", () => {
    writeFileSync(
      join(app, "mine.config.ts"),
      'export default { branding: { productName: "From the app" } };\n',
    );
    const script = join(app, "probe.mts");
    writeFileSync(
      script,
      [
        `import { bindAppConfig } from ${JSON.stringify(join(root, "packages/local/src/app-cli.ts"))};`,
        `bindAppConfig(${JSON.stringify(join(app, "mine.config.ts"))});`,
        `const repo = await import(${JSON.stringify(join(root, "lifecycle.config.ts"))});`,
        'const bare = await import("@cognito-lifecycle/app-config");',
        "console.log(JSON.stringify([repo.default.branding.productName, bare.default.branding.productName]));",
      ].join("\n"),
    );
    const output = execFileSync(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      encoding: "utf8",
    });
    expect(JSON.parse(output.trim())).toEqual(["From the app", "From the app"]);
  });

  it("hands other commands to the admin CLI (its usage errors included)", async () => {
    expect(await main(["frobnicate"], io())).toBe(2);
    expect(err).toMatch(/frobnicate/);
  });
});
