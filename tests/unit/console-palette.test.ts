import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The console's palette (packages/console/src/styles.css) in both colour schemes: every pair of
 * text and background the stylesheet uses keeps WCAG AA contrast (4.5:1 for text, 3:1 for focus
 * rings and input borders, WCAG 1.4.11), so a colour change that breaks AA fails here.
 */
const css = readFileSync(new URL("../../packages/console/src/styles.css", import.meta.url), "utf8");

type Palette = Record<string, string>;

function declarations(block: string): Palette {
  return Object.fromEntries(
    [...block.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((match) => [
      match[1] as string,
      (match[2] as string).trim(),
    ]),
  );
}

/** The first `:root { … }` is the light palette; the one inside `prefers-color-scheme: dark` overrides it. */
function palettes(text: string): { light: Palette; dark: Palette; darkOwn: Palette } {
  const light = /^:root\s*\{([^}]*)\}/m.exec(text)?.[1];
  const dark = /@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(text)?.[1];
  if (!light || !dark) throw new Error("styles.css lost its light or dark palette");
  const darkOwn = declarations(dark);
  return { light: declarations(light), dark: { ...declarations(light), ...darkOwn }, darkOwn };
}

function rgbOf(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const value = Number.parseInt(match[1] as string, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** [foreground, background] as the stylesheet pairs them. */
const textPairs: [string, string][] = [
  ["text", "bg"],
  ["text", "surface"],
  ["text", "surface-muted"],
  ["text", "hover"],
  ["text", "row-hover"],
  ["text", "primary-soft"],
  ["text", "tag-bg"],
  ["muted", "bg"],
  ["muted", "surface"],
  ["muted", "surface-muted"],
  ["muted", "row-hover"],
  ["primary", "bg"],
  ["primary", "surface"],
  ["primary", "row-hover"],
  ["on-primary", "primary"],
  ["on-primary", "primary-hover"],
  ["danger", "surface"],
  ["on-danger", "danger"],
  ["on-danger", "danger-hover"],
  ["ok-text", "ok-bg"],
  ["warn-text", "warn-bg"],
  ["bad-text", "bad-bg"],
  ["info-text", "info-bg"],
  ["topbar-text", "topbar-bg"],
  ["topbar-muted", "topbar-bg"],
];

/** Focus rings and the borders that show where an input is. */
const nonTextPairs: [string, string][] = [
  ["focus", "bg"],
  ["focus", "surface"],
  ["topbar-focus", "topbar-bg"],
  ["border-strong", "surface"],
];

const { light, dark, darkOwn } = palettes(css);

describe("the console's palette keeps WCAG AA contrast", () => {
  it("measures contrast as WCAG does (the check can fail)", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeLessThan(4.5);
  });

  it.each([
    ["light", light],
    ["dark", dark],
  ] as const)("%s: every text colour on its backgrounds reaches 4.5:1", (_scheme, palette) => {
    const failing = textPairs
      .map(([text, background]) => ({
        text,
        background,
        ratio: contrast(palette[text] ?? "", palette[background] ?? ""),
      }))
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ text, background, ratio }) => `${text} on ${background}: ${ratio.toFixed(2)}`);
    expect(failing).toEqual([]);
  });

  it.each([
    ["light", light],
    ["dark", dark],
  ] as const)("%s: focus rings and input borders reach 3:1", (_scheme, palette) => {
    const failing = nonTextPairs
      .map(([ring, background]) => ({
        ring,
        background,
        ratio: contrast(palette[ring] ?? "", palette[background] ?? ""),
      }))
      .filter(({ ratio }) => ratio < 3)
      .map(({ ring, background, ratio }) => `${ring} on ${background}: ${ratio.toFixed(2)}`);
    expect(failing).toEqual([]);
  });

  it("the dark scheme sets every colour the light one does", () => {
    const colours = Object.entries(light)
      .filter(([, value]) => /^(#|rgb)/.test(value))
      .map(([name]) => name);
    expect(colours.filter((name) => !(name in darkOwn))).toEqual([]);
  });

  it("the rules use the palette, not colours of their own (which the contrast checks would miss)", () => {
    const outsidePalette = css
      .replace(/^:root\s*\{[^}]*\}/m, "")
      .replace(/@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{[^}]*\}\s*\}/, "");
    // Only the header's translucent white highlights are allowed: they sit on --topbar-bg in both schemes.
    const literals = [...outsidePalette.matchAll(/#[0-9a-f]{3,8}\b|rgba?\([^)]*\)/gi)]
      .map((match) => match[0])
      .filter((literal) => !/^rgb\(255 255 255 \/ \d+%\)$/.test(literal));
    expect(literals).toEqual([]);
  });
});
