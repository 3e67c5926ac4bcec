import type { Page } from "playwright-core";

/** What names the focused element: its text, its label (by `for` or around it) and its aria-label. */
export interface Focused {
  text: string;
  label: string;
  ariaLabel: string;
}

/** Presses Tab (or Shift+Tab) until the focused element matches, as an admin on the keyboard would. */
export async function tabTo(
  page: Page,
  matches: (focused: Focused) => boolean,
  { key = "Tab", limit = 60 }: { key?: "Tab" | "Shift+Tab"; limit?: number } = {},
): Promise<void> {
  const passed: string[] = [];
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      const labelFor = active?.id ? document.querySelector(`label[for="${active.id}"]`)?.textContent : "";
      return {
        text: active?.textContent ?? "",
        label: labelFor || (active?.closest("label")?.textContent ?? ""),
        ariaLabel: active?.getAttribute("aria-label") ?? "",
      };
    });
    if (matches(focused)) return;
    passed.push(focused.text || focused.label || focused.ariaLabel);
  }
  throw new Error(`focus never reached the element; it passed ${passed.join(" | ")}`);
}
