import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import config from "../../../lifecycle.config.ts";
import {
  compileTemplates,
  generatedFile,
  generatedSource,
  TemplateError,
  templatesDir,
} from "./compile-templates.ts";

/**
 * `npm run compile:emails` (and before typecheck, test, start, build and bench): MJML ->
 * `generated/templates.ts`, checked against every rule for every kind, locale and name.
 * Exits 1, naming each template and rule, when a template would break one; nothing is written.
 * `--templates <dir>` and `--out <file>` compile other templates to another file.
 */
const { values } = parseArgs({
  options: { templates: { type: "string" }, out: { type: "string" } },
});
const out = values.out ? resolve(values.out) : generatedFile;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

try {
  const started = Date.now();
  const compiled = await compileTemplates({
    config,
    templatesDir: values.templates ? resolve(values.templates) : templatesDir,
  });
  const source = generatedSource(compiled);
  const unchanged = read(out) === source;
  if (!unchanged) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, source);
  }
  const size = (Buffer.byteLength(source) / 1024).toFixed(1);
  console.log(
    `emails: ${relative(process.cwd(), out)} ${unchanged ? "up to date" : "written"} (${size} KB, ${Date.now() - started} ms)`,
  );
} catch (error) {
  console.error(error instanceof TemplateError ? error.message : error);
  process.exitCode = 1;
}
