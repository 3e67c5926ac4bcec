import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import {
  compileTemplates,
  generatedFile,
  generatedSource,
  TemplateError,
  templatesDir,
} from "../../packages/emails/scripts/compile-templates.ts";
import { catalogs } from "../../packages/emails/src/catalog.ts";

const workDirs: string[] = [];
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the templates with `file` edited. */
function brokenTemplates(file: string, edit: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "emails-"));
  workDirs.push(dir);
  cpSync(templatesDir, dir, { recursive: true });
  const path = join(dir, file);
  const source = readFileSync(path, "utf8");
  const edited = edit(source);
  expect(edited).not.toBe(source);
  writeFileSync(path, edited);
  return dir;
}

async function compileError(options: Parameters<typeof compileTemplates>[0]): Promise<TemplateError> {
  const error = await compileTemplates(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe("compile step", () => {
  it("compiles the templates into the module the trigger bundles", async () => {
    const compiled = await compileTemplates({ config });
    expect(Object.keys(compiled.kinds).sort()).toEqual(
      [
        "accountTakeOver",
        "adminCreateUser",
        "authentication",
        "forgotPassword",
        "resendCode",
        "signUp",
        "updateUserAttribute",
        "verifyUserAttribute",
        "welcome",
      ].sort(),
    );
    expect(compiled.start).toMatch(/^<!doctype html>/);
    expect(compiled.start + compiled.end).not.toContain("<mj-");
    // The build wrote exactly this: the generated module is never stale when tests run.
    expect(readFileSync(generatedFile, "utf8")).toBe(generatedSource(compiled));
  });

  it.each([
    [
      "a template that drops the code",
      "signUp.mjml",
      (s: string) => s.replace('<mj-include path="./partials/code.mjml" />', ""),
      "signUp.mjml [code-placeholder] email has {####} 0 times, expected 1",
    ],
    [
      "an invitation that drops the username",
      "partials/credentials.mjml",
      (s: string) => s.replace("{{username}}", "your email address"),
      "adminCreateUser.mjml [username-placeholder] email has {username} 0 times, expected 1",
    ],
    [
      "markup MJML passes through unbalanced",
      "welcome.mjml",
      (s: string) => s.replace("<mj-column>", "<mj-column><mj-raw><div></mj-raw>"),
      "welcome.mjml [html]",
    ],
    [
      "the code inside a link",
      "authentication.mjml",
      (s: string) =>
        s.replace(
          '<mj-include path="./partials/note.mjml" />',
          '<mj-button href="https://example.com/?code={{code}}">Go</mj-button>',
        ),
      "authentication.mjml [placeholder-in-attribute]",
    ],
    [
      "an unknown slot",
      "resendCode.mjml",
      (s: string) => s.replace("</mj-column>", "<mj-text>{{expiry}}</mj-text></mj-column>"),
      "resendCode.mjml [unknown-slot] {{expiry}} is not a slot",
    ],
    [
      "invalid MJML",
      "forgotPassword.mjml",
      (s: string) => s.replace('padding="32px 40px 8px 40px"', 'padding="wide"'),
      "forgotPassword.mjml [mjml]",
    ],
  ])("rejects %s, naming the template and the rule", async (_label, file, edit, expected) => {
    const error = await compileError({ config, templatesDir: brokenTemplates(file, edit) });
    expect(error.message).toContain(expected);
  });

  it("rejects a catalog string that would make the SMS too long", async () => {
    const long = { ...catalogs.en, "authentication.sms": `{product}: ${"x".repeat(120)} {code}` };
    const error = await compileError({ config, catalogs: { ...catalogs, en: long } });
    expect(error.message).toContain("authentication.mjml [sms-size] SMS is ");
  });

  it("exits non-zero from the command line and writes nothing", async () => {
    const dir = brokenTemplates("verifyUserAttribute.mjml", (s) =>
      s.replace(/<mj-include path="\.\/partials\/code\.mjml" \/>/, ""),
    );
    const out = join(dir, "out", "templates.ts");
    const run = promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "packages/emails/scripts/compile.ts", "--templates", dir, "--out", out],
      { cwd: join(import.meta.dirname, "..", "..") },
    );
    const failure = (await run.catch((caught: unknown) => caught)) as { code?: number; stderr?: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("verifyUserAttribute.mjml [code-placeholder]");
    expect(existsSync(out)).toBe(false);
  });
});
