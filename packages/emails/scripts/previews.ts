import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromiumPath, launchChromium } from "@cognito-lifecycle/build";
import {
  escapeHtml,
  type LifecycleConfig,
  type MessageKind,
  messageKinds,
  type RenderedMessage,
} from "@cognito-lifecycle/core";
import { cognitoPlaceholders, matrixLocales, renderMessage, sampleInput } from "../src/index.ts";

export const viewports = {
  desktop: { width: 800, height: 600 },
  phone: { width: 375, height: 667 },
} as const;

/** What the reader sees once Cognito has put in the real values. */
export const sampleValues = { code: "482913", temporaryPassword: "Tq7#mPz2", username: "ada@example.com" };

export function asDelivered(kind: MessageKind, text: string): string {
  return text
    .split(cognitoPlaceholders.code)
    .join(kind === "adminCreateUser" ? sampleValues.temporaryPassword : sampleValues.code)
    .split(cognitoPlaceholders.username)
    .join(sampleValues.username);
}

export interface Preview {
  kind: MessageKind;
  locale: string;
  /** `<kind>.<locale>`: the HTML, text and PNG files share it. */
  base: string;
  message: RenderedMessage;
}

function indexPage(config: LifecycleConfig, previews: readonly Preview[], screenshots: boolean): string {
  const rows = previews
    .map(({ kind, locale, base, message }) => {
      const image = screenshots
        ? `<a href="png/${base}.desktop.png"><img src="png/${base}.phone.png" alt="" width="120"></a>`
        : "";
      return `<tr><td>${image}</td><td><a href="${base}.html">${kind}</a><br><small>${locale}</small></td><td><b>${escapeHtml(asDelivered(kind, message.subject))}</b><br><small>${message.html.length} chars of HTML</small></td><td><code>${escapeHtml(asDelivered(kind, message.sms))}</code><br><small>${Array.from(message.sms).length} chars</small></td><td><a href="${base}.txt">text</a></td></tr>`;
    })
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email previews</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:8px;vertical-align:top}code{white-space:pre-wrap}</style></head>
<body><h1>Email previews: ${escapeHtml(config.branding.productName)}</h1>
<p>Every message kind in every locale, rendered with the branding in lifecycle.config.ts. Cognito's
placeholders are filled in with sample values (code ${sampleValues.code}, username
${sampleValues.username}, temporary password ${escapeHtml(sampleValues.temporaryPassword)}).
Screenshots: click a phone-width thumbnail for the desktop width.</p>
<table><tr><th></th><th>Kind</th><th>Subject</th><th>SMS</th><th></th></tr>
${rows}
</table></body></html>
`;
}

async function screenshot(
  outDir: string,
  previews: readonly Preview[],
  docsImage: string | undefined,
): Promise<number> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install -y chromium, set CHROMIUM_PATH, or pass --no-screenshots`,
    );
  }
  const browser = await launchChromium();
  let count = 0;
  try {
    for (const [label, viewport] of Object.entries(viewports)) {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      // Previews never reach the network: a configured logo shows as its alt text.
      await context.route(/^https?:/, (route) => route.abort());
      const page = await context.newPage();
      for (const { kind, locale, base, message } of previews) {
        await page.setContent(asDelivered(kind, message.html), { waitUntil: "load" });
        await page.screenshot({ path: join(outDir, "png", `${base}.${label}.png`), fullPage: true });
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

export interface PreviewOptions {
  config: LifecycleConfig;
  /** Emptied first. */
  outDir: string;
  screenshots: boolean;
  /** Also save the English sign-up email at desktop width here (the README image). */
  docsImage?: string;
  kinds?: readonly MessageKind[];
  locales?: readonly string[];
}

/**
 * Writes `<kind>.<locale>.html` and `.txt` for every kind x locale, an `index.html`, and PNG
 * screenshots at desktop and phone widths under `png/`.
 */
export async function writePreviews(
  options: PreviewOptions,
): Promise<{ previews: Preview[]; screenshots: number }> {
  const { config, outDir } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "png"), { recursive: true });
  const previews: Preview[] = [];
  for (const kind of options.kinds ?? messageKinds) {
    for (const locale of options.locales ?? matrixLocales(config)) {
      const message = renderMessage(sampleInput(kind, locale, config.branding, { name: "Ada Lovelace" }));
      const base = `${kind}.${locale}`;
      writeFileSync(join(outDir, `${base}.html`), asDelivered(kind, message.html));
      const text = [
        `Subject: ${asDelivered(kind, message.subject)}`,
        `SMS: ${asDelivered(kind, message.sms)}`,
        "",
        asDelivered(kind, message.text),
        "",
      ].join("\n");
      writeFileSync(join(outDir, `${base}.txt`), text);
      previews.push({ kind, locale, base, message });
    }
  }
  writeFileSync(join(outDir, "index.html"), indexPage(config, previews, options.screenshots));
  const screenshots = options.screenshots ? await screenshot(outDir, previews, options.docsImage) : 0;
  return { previews, screenshots };
}
