import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LifecycleConfig, type MessageKind, messageKinds } from "@cognito-lifecycle/core";
import mjml2html from "mjml";
import { type Catalogs, catalogs as defaultCatalogs } from "../src/catalog.ts";
import { createRenderer } from "../src/render.ts";
import { checkCatalogs, checkMessage, type Rule } from "../src/rules.ts";
import { messageMatrix } from "../src/samples.ts";
import {
  type CompiledTemplates,
  colourSentinels,
  htmlSlots,
  sectionFlags,
  templateTokens,
  textSlots,
} from "../src/template.ts";

export const packageDir = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const templatesDir = join(packageDir, "templates");
export const generatedFile = join(packageDir, "generated", "templates.ts");

export interface TemplateProblem {
  /** The template file, e.g. `signUp.mjml`, or `catalogs`. */
  template: string;
  rule: Rule | "mjml" | "missing-template" | "unknown-template" | "unknown-slot" | "colour-sentinel";
  message: string;
}

/** A build that must not ship: its message lists every broken rule with its template. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(readonly problems: readonly TemplateProblem[]) {
    const shown = problems.slice(0, 40).map((p) => `  - ${p.template} [${p.rule}] ${p.message}`);
    const more = problems.length > shown.length ? [`  ... and ${problems.length - shown.length} more`] : [];
    super(`Email templates break ${problems.length} rule(s):\n${[...shown, ...more].join("\n")}`);
  }
}

/** Whitespace MJML leaves between block elements; text and inline spacing stay as they are. */
function compact(html: string): string {
  const block = "html|head|title|meta|style|body|div|table|tbody|tr|td|p|br|img";
  return html
    .replace(/\s+/g, " ")
    .replace(new RegExp(`\\s*(</?(?:${block})\\b[^>]*>)\\s*`, "gi"), "$1")
    .replace(/\s*(<!--[\s\S]*?-->)\s*/g, "$1")
    .trim();
}

function commonPrefix(values: readonly string[]): string {
  const [first = "", ...rest] = values;
  let length = first.length;
  for (const value of rest) {
    let index = 0;
    while (index < length && value.charCodeAt(index) === first.charCodeAt(index)) index += 1;
    length = index;
  }
  return first.slice(0, length);
}

function reversed(value: string): string {
  return Array.from(value).reverse().join("");
}

/** Compiles one template to HTML with `{{slot}}`s; MJML errors and unknown slots are problems. */
async function compileOne(file: string, problems: TemplateProblem[]): Promise<string | undefined> {
  const template = basename(file);
  const source = readFileSync(file, "utf8");
  let html: string;
  try {
    const result = await mjml2html(source, {
      validationLevel: "strict",
      keepComments: false,
      ignoreIncludes: false,
      filePath: file,
      fonts: {},
    });
    html = result.html;
  } catch (error) {
    const details = (error as { errors?: { formattedMessage?: string }[] }).errors;
    const messages = details?.length
      ? details.map((detail) => detail.formattedMessage ?? String(detail))
      : [(error as Error).message];
    for (const message of messages) problems.push({ template, rule: "mjml", message: message.trim() });
    return undefined;
  }
  for (const [sentinel, slot] of Object.entries(colourSentinels)) {
    html = html.replace(new RegExp(sentinel, "gi"), `{{${slot}}}`);
  }
  if (/#0b0c0\d/i.test(html)) {
    problems.push({ template, rule: "colour-sentinel", message: "uses an unknown #0b0c0x colour" });
  }
  const tokens = templateTokens(html);
  const knownSlots: readonly string[] = [...textSlots, ...htmlSlots];
  const knownFlags: readonly string[] = sectionFlags;
  for (const slot of tokens.slots.filter((name) => !knownSlots.includes(name))) {
    problems.push({
      template,
      rule: "unknown-slot",
      message: `{{${slot}}} is not a slot (known: ${knownSlots.join(", ")})`,
    });
  }
  for (const flag of tokens.flags.filter((name) => !knownFlags.includes(name))) {
    problems.push({ template, rule: "unknown-slot", message: `section {{#${flag}}} is not a known flag` });
  }
  return compact(html);
}

/**
 * Stores the part every kind shares once and identical bodies once, so the trigger bundle
 * carries the layout one time.
 */
export function pack(htmlByKind: Readonly<Record<MessageKind, string>>): CompiledTemplates {
  const all = messageKinds.map((kind) => htmlByKind[kind]);
  let start = commonPrefix(all);
  start = start.slice(0, start.lastIndexOf(">") + 1);
  const rests = all.map((html) => html.slice(start.length));
  let end = reversed(commonPrefix(rests.map(reversed)));
  end = end.slice(Math.max(0, end.indexOf("<")));
  const bodies: string[] = [];
  const kinds = {} as Record<MessageKind, number>;
  for (const kind of messageKinds) {
    const html = htmlByKind[kind];
    const body = html.slice(start.length, html.length - end.length);
    if (!bodies.includes(body)) bodies.push(body);
    kinds[kind] = bodies.indexOf(body);
  }
  return { start, end, bodies, kinds };
}

export interface CompileOptions {
  config: LifecycleConfig;
  templatesDir?: string;
  catalogs?: Catalogs;
}

/**
 * MJML -> compiled templates, then every rule checked over the whole matrix (kind x locale x
 * name x branding). Throws a `TemplateError` naming each template and rule it breaks.
 */
export async function compileTemplates(options: CompileOptions): Promise<CompiledTemplates> {
  const dir = options.templatesDir ?? templatesDir;
  const all = options.catalogs ?? defaultCatalogs;
  const problems: TemplateProblem[] = [];
  const files = readdirSync(dir).filter((file) => file.endsWith(".mjml"));
  for (const file of files) {
    const kind = basename(file, ".mjml");
    if (!messageKinds.includes(kind as MessageKind)) {
      problems.push({ template: file, rule: "unknown-template", message: `${kind} is not a message kind` });
    }
  }
  const htmlByKind = {} as Record<MessageKind, string>;
  for (const kind of messageKinds) {
    const file = join(dir, `${kind}.mjml`);
    if (!files.includes(`${kind}.mjml`)) {
      problems.push({
        template: `${kind}.mjml`,
        rule: "missing-template",
        message: `${file} does not exist`,
      });
      continue;
    }
    const html = await compileOne(file, problems);
    if (html !== undefined) htmlByKind[kind] = html;
  }
  for (const violation of checkCatalogs(all)) problems.push({ template: "catalogs", ...violation });
  if (problems.length > 0) throw new TemplateError(problems);

  const compiled = pack(htmlByKind);
  const render = createRenderer(compiled, all);
  const seen = new Set<string>();
  for (const { label, input } of messageMatrix(options.config)) {
    for (const violation of checkMessage(input, render(input))) {
      // One line per template and rule, with the first case that breaks it.
      const key = `${input.kind}|${violation.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({
        template: `${input.kind}.mjml`,
        rule: violation.rule,
        message: `${violation.message} (${label})`,
      });
    }
  }
  if (problems.length > 0) throw new TemplateError(problems);
  return compiled;
}

/** The TypeScript module the renderer imports. Deterministic, so an unchanged build writes nothing. */
export function generatedSource(compiled: CompiledTemplates): string {
  return [
    "// Generated by packages/emails/scripts/compile.ts from packages/emails/templates/*.mjml.",
    "// Do not edit: change a template and run `npm run compile:emails`.",
    'import type { CompiledTemplates } from "../src/template.ts";',
    "",
    `export const compiledTemplates: CompiledTemplates = ${JSON.stringify(compiled, null, 2)};`,
    "",
  ].join("\n");
}
