import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import config from "../../../lifecycle.config.ts";
import { compileTemplates, generatedFile, generatedSource, TemplateError } from "./compile-templates.ts";

/**
 * `npm run compile:emails` (and before typecheck, test, start, build and bench): MJML ->
 * `generated/templates.ts`, checked against every rule for every kind, locale and name.
 * Exits 1, naming each template and rule, when a template would break one.
 */
try {
  const started = Date.now();
  const source = generatedSource(await compileTemplates({ config }));
  const current = (() => {
    try {
      return readFileSync(generatedFile, "utf8");
    } catch {
      return undefined;
    }
  })();
  if (current !== source) {
    mkdirSync(dirname(generatedFile), { recursive: true });
    writeFileSync(generatedFile, source);
  }
  const where = relative(process.cwd(), generatedFile);
  const size = (Buffer.byteLength(source) / 1024).toFixed(1);
  console.log(
    `emails: ${where} ${current === source ? "up to date" : "written"} (${size} KB, ${Date.now() - started} ms)`,
  );
} catch (error) {
  console.error(error instanceof TemplateError ? error.message : error);
  process.exitCode = 1;
}
