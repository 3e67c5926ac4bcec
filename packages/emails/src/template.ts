import type { MessageKind } from "@cognito-lifecycle/core";

/**
 * The compiled form of the MJML templates, as the build writes it to `generated/templates.ts`:
 * plain strings with `{{slot}}` holes and `{{#flag}}...{{/flag}}` / `{{^flag}}...{{/flag}}`
 * sections. Every kind's HTML is `start + bodies[kinds[kind]] + end`; identical bodies are
 * stored once, and the part all kinds share is stored once.
 */
export interface CompiledTemplates {
  start: string;
  end: string;
  bodies: readonly string[];
  kinds: Readonly<Record<MessageKind, number>>;
}

/** Slots filled with HTML-escaped text (or a URL or colour, escaped the same way). */
export const textSlots = [
  "lang",
  "subject",
  "preheader",
  "productName",
  "appUrl",
  "logoUrl",
  "heading",
  "greeting",
  "intro",
  "detail",
  "codeLabel",
  "code",
  "usernameLabel",
  "username",
  "action",
  "actionUrl",
  "note",
  "help",
  "supportEmail",
  "supportHref",
  "colourBackground",
  "colourText",
  "colourPrimary",
  "colourMuted",
  "colourOnPrimary",
  "colourBorder",
] as const;

/** Slots filled with markup the renderer builds from escaped parts; their names end in `Html`. */
export const htmlSlots = ["footerHtml"] as const;

export const sectionFlags = ["logo", "footer", "detail", "action"] as const;

export type TextSlot = (typeof textSlots)[number];
export type HtmlSlot = (typeof htmlSlots)[number];
export type Slot = TextSlot | HtmlSlot;
export type SectionFlag = (typeof sectionFlags)[number];

/**
 * Colours the MJML sources use in place of the configured ones. MJML validates colour
 * attributes, so a template cannot say `{{colourPrimary}}`; it says `#0b0c03` and the compile
 * step turns that into the slot.
 */
export const colourSentinels: Readonly<Record<string, Slot>> = {
  "#0b0c01": "colourBackground",
  "#0b0c02": "colourText",
  "#0b0c03": "colourPrimary",
  "#0b0c04": "colourMuted",
  "#0b0c05": "colourOnPrimary",
  "#0b0c06": "colourBorder",
};

const slotPattern = /\{\{([A-Za-z]+)\}\}/g;
const sectionPattern = /\{\{([#^])([A-Za-z]+)\}\}([\s\S]*?)\{\{\/\2\}\}/g;

/** Keeps or drops each conditional section, then fills every slot. Values are used as given. */
export function fillTemplate(
  template: string,
  values: Readonly<Record<Slot, string>>,
  flags: Readonly<Record<SectionFlag, boolean>>,
): string {
  return template
    .replace(sectionPattern, (_match, mode: string, flag: string, inner: string) =>
      Boolean(flags[flag as SectionFlag]) === (mode === "#") ? inner : "",
    )
    .replace(slotPattern, (_match, slot: string) => values[slot as Slot]);
}

/** The slot names and section flags a compiled template uses, for the build's checks. */
export function templateTokens(template: string): { slots: string[]; flags: string[] } {
  const slots = new Set<string>();
  const flags = new Set<string>();
  for (const match of template.matchAll(/\{\{([#^/]?)([^{}]*)\}\}/g)) {
    if (match[1] === "") slots.add(match[2] as string);
    else flags.add(match[2] as string);
  }
  return { slots: [...slots], flags: [...flags] };
}
