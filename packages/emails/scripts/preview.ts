import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { escapeHtml, type MessageKind, messageKinds, type RenderedMessage } from "@cognito-lifecycle/core";
import { chromium } from "playwright-core";
import config from "../../../lifecycle.config.ts";
import { cognitoPlaceholders, matrixLocales, renderMessage, sampleInput } from "../src/index.ts";
import { packageDir } from "./compile-templates.ts";

/**
 * `npm run preview:emails`: every kind x locale as HTML under `.local/previews/`, an index page,
 * and PNG screenshots at desktop and phone widths from the Debian Chromium, driven by
 * playwright-core. `--no-screenshots` writes the HTML only; `--docs-image <file>` also saves the
 * English sign-up email at desktop width for the README.
 */

const repoRoot = resolve(packageDir, "..", "..");
const outDir = join(repoRoot, ".local", "previews");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const viewports = {
  desktop: { width: 800, height: 600 },
  phone: { width: 375, height: 667 },
} as const;

/** What the reader sees once Cognito has put in the real values. */
const sampleValues = { code: "482913", temporaryPassword: "Tq7#mPz2", username: "ada@example.com" };

function asDelivered(kind: MessageKind, text: string): string {
  return text
    .split(cognitoPlaceholders.code)
    .join(kind === "adminCreateUser" ? sampleValues.temporaryPassword : sampleValues.code)
    .split(cognitoPlaceholders.username)
    .join(sampleValues.username);
}

interface Preview {
  kind: MessageKind;
  locale: string;
  file: string;
  message: RenderedMessage;
}

function indexPage(previews: readonly Preview[], screenshots: boolean): string {
  const rows = previews
    .map(({ kind, locale, file, message }) => {
      const base = file.replace(/\.html$/, "");
      const image = screenshots
        ? `<a href="png/${base}.desktop.png"><img src="png/${base}.phone.png" alt="" width="120"></a>`
        : "";
      return `<tr><td>${image}</td><td><a href="${file}">${kind}</a><br><small>${locale}</small></td><td><b>${escapeHtml(asDelivered(kind, message.subject))}</b><br><small>${message.html.length} chars</small></td><td><code>${escapeHtml(asDelivered(kind, message.sms))}</code><br><small>${Array.from(message.sms).length} chars</small></td><td><a href="${base}.txt">text</a></td></tr>`;
    })
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email previews</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:8px;vertical-align:top}code{white-space:pre-wrap}</style></head>
<body><h1>Email previews: ${escapeHtml(config.branding.productName)}</h1>
<p>Every message kind in every locale, rendered with the branding in lifecycle.config.ts. Cognito's
placeholders are shown filled in with sample values (code ${sampleValues.code}, username
${sampleValues.username}, temporary password ${escapeHtml(sampleValues.temporaryPassword)}).</p>
<table><tr><th></th><th>Kind</th><th>Subject</th><th>SMS</th><th></th></tr>
${rows}
</table></body></html>
`;
}

async function screenshot(previews: readonly Preview[], docsImage: string | undefined): Promise<number> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH, or run with --no-screenshots`,
    );
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let count = 0;
  try {
    for (const [label, viewport] of Object.entries(viewports)) {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      // Previews must not reach the network: a logo URL is shown as missing, not fetched.
      await context.route(/^https?:/, (route) => route.abort());
      const page = await context.newPage();
      for (const { kind, locale, file, message } of previews) {
        await page.setContent(asDelivered(kind, message.html), { waitUntil: "load" });
        const path = join(outDir, "png", file.replace(/\.html$/, `.${label}.png`));
        await page.screenshot({ path, fullPage: true });
        count += 1;
        if (docsImage && label === "desktop" && kind === "signUp" && locale === "en") {
          await page.screenshot({ path: docsImage, fullPage: true });
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return count;
}

const { values } = parseArgs({
  options: {
    "no-screenshots": { type: "boolean", default: false },
    "docs-image": { type: "string" },
  },
});

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, "png"), { recursive: true });
const previews: Preview[] = [];
for (const kind of messageKinds) {
  for (const locale of matrixLocales(config)) {
    const message = renderMessage(sampleInput(kind, locale, config.branding, { name: "Ada Lovelace" }));
    const file = `${kind}.${locale}.html`;
    writeFileSync(join(outDir, file), asDelivered(kind, message.html));
    writeFileSync(
      join(outDir, `${kind}.${locale}.txt`),
      `Subject: ${asDelivered(kind, message.subject)}\nSMS: ${asDelivered(kind, message.sms)}\n\n${asDelivered(kind, message.text)}\n`,
    );
    previews.push({ kind, locale, file, message });
  }
}
const screenshots = !values["no-screenshots"];
writeFileSync(join(outDir, "index.html"), indexPage(previews, screenshots));
const docsImage = values["docs-image"] ? resolve(values["docs-image"]) : undefined;
const pngs = screenshots ? await screenshot(previews, docsImage) : 0;
const where = relative(process.cwd(), join(outDir, "index.html"));
console.log(`emails: ${previews.length} previews${pngs ? `, ${pngs} screenshots` : ""}: open ${where}`);
if (docsImage) console.log(`emails: README image ${relative(process.cwd(), docsImage)}`);
