/**
 * A small, strict well-formedness check for the HTML we send. Mail clients forgive a lot, but a
 * stray `<`, a bare `&` or an unclosed element is how a user value or a broken template shows
 * up, so the build and the tests refuse them. Conditional comments (`<!--[if mso]>...`) are
 * comments here, as they are to every client except Outlook.
 */

const voidElements = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/** Elements whose content is text up to their end tag. */
const rawTextElements = new Set(["style", "title"]);

/** Never in an email: clients strip them, and they are how injected markup does harm. */
const forbiddenElements = new Set(["script", "iframe", "object", "embed", "form"]);

const namePattern = /^[A-Za-z][A-Za-z0-9:-]*/;
const attributeName = /^[^\s"'>/=\0]+/;
const characterReference = /^&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/;

export interface HtmlElementVisitor {
  /** Called for every start tag with its lower-cased name and attributes. */
  element?(name: string, attributes: ReadonlyMap<string, string>): void;
}

function lineOf(html: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < html.length; i += 1) if (html.charCodeAt(i) === 10) line += 1;
  return line;
}

function referenceProblems(text: string, at: string): string[] {
  const problems: string[] = [];
  let from = text.indexOf("&");
  while (from !== -1) {
    if (!characterReference.test(text.slice(from, from + 40))) {
      problems.push(`bare "&" ${at}: write &amp;`);
      break;
    }
    from = text.indexOf("&", from + 1);
  }
  return problems;
}

/**
 * Problems that make `html` not well-formed, empty when it is fine: a doctype, every element
 * closed in order (void elements never), quoted attributes without duplicates, no stray `<` or
 * bare `&`, no script-like elements.
 */
export function htmlProblems(html: string, visitor: HtmlElementVisitor = {}): string[] {
  const problems: string[] = [];
  const open: { name: string; at: number }[] = [];
  const seen = new Set<string>();
  let index = 0;

  if (!/^<!doctype html>/i.test(html)) problems.push("does not start with <!doctype html>");

  while (index < html.length && problems.length < 20) {
    const found = html.indexOf("<", index);
    const next = found === -1 ? html.length : found;
    const text = html.slice(index, next);
    if (text !== "")
      problems.push(
        ...referenceProblems(text, `in text on line ${lineOf(html, found === -1 ? index : next)}`),
      );
    if (found === -1) break;
    const afterDeclaration = skipDeclaration(html, next, problems);
    if (afterDeclaration !== undefined) {
      index = afterDeclaration;
      continue;
    }
    if (html[next + 1] === "/") {
      index = closeElement(html, next, open, problems);
      continue;
    }

    const match = namePattern.exec(html.slice(next + 1));
    if (!match) {
      problems.push(`stray "<" on line ${lineOf(html, next)}: write &lt;`);
      index = next + 1;
      continue;
    }
    const name = match[0].toLowerCase();
    const line = lineOf(html, next);
    const { attributes, closed, selfClosing, cursor } = scanStartTag(
      html,
      next + 1 + match[0].length,
      name,
      line,
      problems,
    );
    if (!closed) {
      problems.push(`unclosed start tag <${name}> on line ${line}`);
      index = cursor;
      continue;
    }
    index = cursor;
    visitor.element?.(name, attributes);
    if (forbiddenElements.has(name)) problems.push(`<${name}> on line ${line} is not allowed in an email`);
    if (singletonElements.includes(name)) {
      if (seen.has(name)) problems.push(`second <${name}> on line ${line}`);
      seen.add(name);
    }
    if (voidElements.has(name)) continue;
    if (selfClosing) {
      problems.push(`self-closing non-void element <${name}/> on line ${line}`);
      continue;
    }
    if (rawTextElements.has(name)) {
      const end = rawTextEnd(html, index, name, line, problems);
      if (end === undefined) break;
      index = end;
    }
    open.push({ name, at: next });
  }
  for (const entry of open.reverse()) {
    problems.push(`<${entry.name}> opened on line ${lineOf(html, entry.at)} is never closed`);
  }
  for (const key of singletonElements) {
    if (!seen.has(key)) problems.push(`no <${key}> element`);
  }
  return problems;
}

/** Where scanning goes on after the comment or doctype at `at`; undefined when there is none. */
function skipDeclaration(html: string, at: number, problems: string[]): number | undefined {
  if (html.startsWith("<!--", at)) {
    const end = html.indexOf("-->", at + 4);
    if (end !== -1) return end + 3;
    problems.push(`unclosed comment on line ${lineOf(html, at)}`);
    return html.length;
  }
  if (!/^<!doctype/i.test(html.slice(at, at + 9))) return undefined;
  if (at !== 0) problems.push(`doctype not at the start (line ${lineOf(html, at)})`);
  const end = html.indexOf(">", at);
  return end === -1 ? html.length : end + 1;
}

/** Elements a document has exactly once. */
const singletonElements = ["html", "head", "body"];

/**
 * Where the raw text of a `<script>`/`<style>`/`<title>`-like element opened at `from` ends (its
 * end tag), checking a title's text; undefined when it is never closed.
 */
function rawTextEnd(
  html: string,
  from: number,
  name: string,
  line: number,
  problems: string[],
): number | undefined {
  const end = html.toLowerCase().indexOf(`</${name}`, from);
  if (end === -1) {
    problems.push(`<${name}> on line ${line} is never closed`);
    return undefined;
  }
  if (name === "title") {
    const content = html.slice(from, end);
    if (content.includes("<")) problems.push(`"<" inside <title> on line ${line}`);
    problems.push(...referenceProblems(content, `in <title> on line ${line}`));
  }
  return end;
}

interface StartTag {
  attributes: Map<string, string>;
  closed: boolean;
  selfClosing: boolean;
  /** Where scanning stopped: after the `>` when closed. */
  cursor: number;
}

/** The attributes of a start tag from `start` (just after its name) to its `>`, with their problems. */
function scanStartTag(html: string, start: number, name: string, line: number, problems: string[]): StartTag {
  let cursor = start;
  const attributes = new Map<string, string>();
  let closed = false;
  let selfClosing = false;
  while (cursor < html.length) {
    const whitespace = /^\s*/.exec(html.slice(cursor))?.[0].length ?? 0;
    cursor += whitespace;
    const char = html[cursor];
    if (char === ">") {
      closed = true;
      cursor += 1;
      break;
    }
    if (char === "/" && html[cursor + 1] === ">") {
      closed = true;
      selfClosing = true;
      cursor += 2;
      break;
    }
    if (whitespace === 0 && attributes.size > 0) {
      problems.push(`attributes not separated by a space in <${name}> on line ${line}`);
    }
    const attribute = attributeName.exec(html.slice(cursor));
    if (!attribute) {
      problems.push(`malformed attribute in <${name}> on line ${line}`);
      break;
    }
    const key = attribute[0].toLowerCase();
    if (key.includes("<")) problems.push(`"<" in an attribute name in <${name}> on line ${line}`);
    cursor += attribute[0].length;
    let value = "";
    const afterName = /^\s*=\s*/.exec(html.slice(cursor));
    if (afterName) {
      cursor += afterName[0].length;
      const quote = html[cursor];
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, cursor + 1);
        if (end === -1) {
          problems.push(`unterminated attribute value in <${name}> on line ${line}`);
          cursor = html.length;
          break;
        }
        value = html.slice(cursor + 1, end);
        cursor = end + 1;
      } else {
        const unquoted = /^[^\s"'=<>`]+/.exec(html.slice(cursor));
        if (!unquoted) {
          problems.push(`empty unquoted attribute value in <${name}> on line ${line}`);
          break;
        }
        value = unquoted[0];
        cursor += value.length;
      }
      problems.push(...referenceProblems(value, `in ${key}="..." of <${name}> on line ${line}`));
    }
    if (attributes.has(key)) problems.push(`duplicate attribute ${key} in <${name}> on line ${line}`);
    attributes.set(key, value);
  }
  return { attributes, closed, selfClosing, cursor };
}

/** Handles the end tag at `at` against the open elements; answers where scanning goes on. */
function closeElement(
  html: string,
  next: number,
  open: { name: string; at: number }[],
  problems: string[],
): number {
  const match = namePattern.exec(html.slice(next + 2));
  const close = html.indexOf(">", next);
  if (!match || close === -1 || html.slice(next + 2 + match[0].length, close).trim() !== "") {
    problems.push(`malformed end tag on line ${lineOf(html, next)}`);
    return close === -1 ? html.length : close + 1;
  }
  const name = match[0].toLowerCase();
  const top = open.at(-1);
  if (voidElements.has(name)) {
    problems.push(`end tag for void element </${name}> on line ${lineOf(html, next)}`);
  } else if (!top) {
    problems.push(`</${name}> without a start tag on line ${lineOf(html, next)}`);
  } else if (top.name !== name) {
    problems.push(
      `</${name}> on line ${lineOf(html, next)} closes <${top.name}> opened on line ${lineOf(html, top.at)}`,
    );
    const depth = open.map((entry) => entry.name).lastIndexOf(name);
    if (depth !== -1) open.length = depth;
  } else {
    open.pop();
  }
  return close + 1;
}
