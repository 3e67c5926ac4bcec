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
  let text = "";

  const flushText = (at: number) => {
    if (text !== "") problems.push(...referenceProblems(text, `in text on line ${lineOf(html, at)}`));
    text = "";
  };

  if (!/^<!doctype html>/i.test(html)) problems.push("does not start with <!doctype html>");

  while (index < html.length && problems.length < 20) {
    const next = html.indexOf("<", index);
    if (next === -1) {
      text += html.slice(index);
      flushText(index);
      break;
    }
    text += html.slice(index, next);
    flushText(next);
    const rest = html.slice(next, next + 4);

    if (rest === "<!--") {
      const end = html.indexOf("-->", next + 4);
      if (end === -1) {
        problems.push(`unclosed comment on line ${lineOf(html, next)}`);
        break;
      }
      index = end + 3;
      continue;
    }
    if (/^<!doctype/i.test(html.slice(next, next + 9))) {
      const end = html.indexOf(">", next);
      if (next !== 0) problems.push(`doctype not at the start (line ${lineOf(html, next)})`);
      index = end === -1 ? html.length : end + 1;
      continue;
    }
    if (html[next + 1] === "/") {
      const match = namePattern.exec(html.slice(next + 2));
      const close = html.indexOf(">", next);
      if (!match || close === -1 || html.slice(next + 2 + match[0].length, close).trim() !== "") {
        problems.push(`malformed end tag on line ${lineOf(html, next)}`);
        index = close === -1 ? html.length : close + 1;
        continue;
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
      index = close + 1;
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
    let cursor = next + 1 + match[0].length;
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
    if (!closed) {
      problems.push(`unclosed start tag <${name}> on line ${line}`);
      index = cursor;
      continue;
    }
    index = cursor;
    visitor.element?.(name, attributes);
    if (forbiddenElements.has(name)) problems.push(`<${name}> on line ${line} is not allowed in an email`);
    for (const key of ["html", "head", "body"]) {
      if (name === key) {
        if (seen.has(key)) problems.push(`second <${key}> on line ${line}`);
        seen.add(key);
      }
    }
    if (voidElements.has(name)) continue;
    if (selfClosing) {
      problems.push(`self-closing non-void element <${name}/> on line ${line}`);
      continue;
    }
    if (rawTextElements.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, index);
      if (end === -1) {
        problems.push(`<${name}> on line ${line} is never closed`);
        break;
      }
      if (name === "title") {
        const content = html.slice(index, end);
        if (content.includes("<")) problems.push(`"<" inside <title> on line ${line}`);
        problems.push(...referenceProblems(content, `in <title> on line ${line}`));
      }
      index = end;
      open.push({ name, at: next });
      continue;
    }
    open.push({ name, at: next });
  }
  for (const entry of open.reverse()) {
    problems.push(`<${entry.name}> opened on line ${lineOf(html, entry.at)} is never closed`);
  }
  for (const key of ["html", "head", "body"]) {
    if (!seen.has(key)) problems.push(`no <${key}> element`);
  }
  return problems;
}
