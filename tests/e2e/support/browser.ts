import { existsSync } from "node:fs";
import { chromiumPath } from "@cognito-lifecycle/build";
import type { Page } from "playwright-core";

export { launchChromium } from "@cognito-lifecycle/build";

/**
 * Why the browser tests cannot run here, or undefined when they can. Only a developer machine
 * without Chromium skips; in CI a missing browser is a failure, not a skip.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath) || process.env.CI) return undefined;
  return `Browser tests skipped: ${chromiumPath} is missing. Install it with \`apt-get install -y chromium\` (CI installs it).`;
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits the viewport's width). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
