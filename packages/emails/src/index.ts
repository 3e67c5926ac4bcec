import type { MessageRenderer } from "@cognito-lifecycle/core";
import { compiledTemplates } from "../generated/templates.ts";
import { createRenderer } from "./render.ts";

/**
 * The renderer the triggers use for every message kind: the MJML templates, compiled at build
 * time (`npm run compile:emails`) into strings, filled with escaped values and the catalog
 * strings of the user's locale.
 */
export const renderMessage: MessageRenderer = createRenderer(compiledTemplates);

export type { Catalog, Catalogs, CopyKey, Translation } from "./catalog.ts";
export { catalogs, lookup } from "./catalog.ts";
export type { HtmlElementVisitor } from "./html.ts";
export { htmlProblems } from "./html.ts";
export type { Palette } from "./render.ts";
export { actionPaths, appLink, createRenderer, displayLimits, palette } from "./render.ts";
export type { Rule, Violation } from "./rules.ts";
export { checkCatalogs, checkMessage, smsHeadroom } from "./rules.ts";
export type { MatrixCase, NameCase } from "./samples.ts";
export {
  cognitoPlaceholders,
  matrixLocales,
  messageMatrix,
  sampleEmails,
  sampleInput,
  sampleNames,
  worstCaseBranding,
} from "./samples.ts";
export type { CompiledTemplates } from "./template.ts";
export { fillTemplate } from "./template.ts";
