import { describe, expect, it } from "vitest";
import { de } from "../../packages/console/src/i18n/de.ts";
import { en } from "../../packages/console/src/i18n/en.ts";
import { es } from "../../packages/console/src/i18n/es.ts";
import { offeredLocales, resolveLocale } from "../../packages/console/src/i18n/locale.ts";
import type { MessageKey, Translation } from "../../packages/console/src/i18n/messages.ts";
import { catalogueFor, placeholdersOf, translate } from "../../packages/console/src/i18n/translate.ts";

const translations = { de, es } as const;
const keys = Object.keys(en) as MessageKey[];

// A translation must have every English key (checked by `npm run typecheck`, which covers tests/).
// @ts-expect-error a catalogue missing keys is refused
const incomplete: Translation = { "app.name": "Benutzerverwaltung" };

describe("the console's catalogues", () => {
  it("type-check a translation against English (the expect-error above is needed)", () => {
    expect(Object.keys(incomplete)).toEqual(["app.name"]);
  });

  it.each(Object.entries(translations))(
    "%s uses exactly the placeholders English does, in every message",
    (_, catalogue) => {
      const differing = keys
        .filter((key) => placeholdersOf(catalogue[key]).join() !== placeholdersOf(en[key]).join())
        .map(
          (key) => `${key}: ${placeholdersOf(catalogue[key]).join()} vs ${placeholdersOf(en[key]).join()}`,
        );
      expect(differing).toEqual([]);
    },
  );

  it.each(Object.entries({ en, ...translations }))(
    "%s has no empty message and an `other` form for each plural",
    (_, catalogue) => {
      for (const key of keys) {
        const message = catalogue[key];
        if (typeof message === "string") expect(message.trim(), key).not.toBe("");
        else expect(message.other, key).toBeTruthy();
      }
    },
  );

  it("has the same keys in every language (no leftovers of a renamed key)", () => {
    for (const catalogue of Object.values(translations))
      expect(Object.keys(catalogue).sort()).toEqual([...keys].sort());
  });
});

describe("translate", () => {
  it("picks the plural form the language's rules choose", () => {
    expect(translate("en", "audit.counts", { count: 1 })).toBe("1 event on this page, newest first");
    expect(translate("en", "audit.counts", { count: 0 })).toBe("0 events on this page, newest first");
    expect(translate("de", "audit.counts", { count: 1 })).toBe("1 Ereignis auf dieser Seite, neueste zuerst");
    expect(translate("de", "audit.counts", { count: 25 })).toBe(
      "25 Ereignisse auf dieser Seite, neueste zuerst",
    );
    expect(translate("es", "webhook.pending", { count: 1 })).toBe("1 pendiente");
    expect(translate("es", "webhook.pending", { count: 3 })).toBe("3 pendientes");
  });

  it("formats numbers for the locale and leaves strings as they are", () => {
    expect(translate("en", "webhook.milliseconds", { ms: 1234 })).toBe("1,234 ms");
    expect(translate("de", "webhook.milliseconds", { ms: 1234 })).toBe("1.234 ms");
    expect(translate("en", "import.line", { line: "1234" })).toBe("Line 1234");
  });

  it("keeps the English sentences the console always showed", () => {
    expect(translate("en", "import.dryRunTitle", { count: 4 })).toBe("Dry run: 4 user(s), nothing written");
    expect(translate("en", "notAllowed.checked", { time: "noon" })).toBe(
      "Checked again at noon: this account still may not use the console.",
    );
  });

  it("counts the users list in each language's plural, with the locale's digits", () => {
    expect(translate("en", "users.onPage", { count: 1 })).toBe("1 user on this page");
    expect(translate("en", "users.total", { count: 1234 })).toBe("1,234 users in all");
    expect(translate("en", "bulk.yesDisable", { count: 3 })).toBe("Yes, disable these 3 users");
    expect(translate("es", "users.onPage", { count: 1 })).toBe("1 usuario en esta página");
    expect(translate("es", "users.onPage", { count: 25 })).toBe("25 usuarios en esta página");
    expect(translate("de", "users.total", { count: 1234 })).toBe("1.234 Benutzer insgesamt");
    expect(translate("de", "bulk.actionDisable", { count: 3 })).toBe("3 Benutzer deaktivieren");
  });

  it("uses a region's language, and English for a language it does not have", () => {
    expect(catalogueFor("de-AT")).toBe(de);
    expect(catalogueFor("es-MX")).toBe(es);
    expect(translate("fr", "signIn.title")).toBe("Sign in");
    expect(translate("de", "signIn.title")).toBe("Anmelden");
    expect(translate("es", "signIn.title")).toBe("Iniciar sesión");
  });
});

describe("choosing the console's locale", () => {
  const configured = { default: "en", supported: ["en", "de", "es"] };

  it("offers the configured locales the console has text for, keeping a default it offers", () => {
    expect(offeredLocales(configured)).toEqual(configured);
    expect(offeredLocales({ default: "fr", supported: ["fr", "de"] })).toEqual({
      default: "de",
      supported: ["de"],
    });
    expect(offeredLocales({ default: "fr", supported: ["fr"] })).toEqual({
      default: "en",
      supported: ["en"],
    });
  });

  it("takes the admin's choice first, then the browser's language, then the default", () => {
    expect(resolveLocale(configured, "es", ["de-DE", "en"])).toBe("es");
    expect(resolveLocale(configured, null, ["de-DE", "en"])).toBe("de");
    expect(resolveLocale(configured, null, ["fr-FR", "ja"])).toBe("en");
    expect(resolveLocale({ default: "de", supported: ["en", "de"] }, null, ["fr"])).toBe("de");
  });

  it("ignores a stored choice that is no longer configured", () => {
    expect(resolveLocale({ default: "en", supported: ["en", "de"] }, "es", ["es-ES"])).toBe("en");
  });
});
