import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason, sidewaysOverflow } from "./support/browser.ts";
import { totpCode } from "./support/totp.ts";

const skipReason = browserSkipReason();

const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);

/** Opens the language list from the keyboard and picks `name` (Tab through the list, Enter). */
async function chooseLanguage(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: /^(Language|Sprache|Idioma): / }).focus();
  await page.keyboard.press("Enter");
  for (let step = 0; step < 5; step += 1) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent)) === name) break;
  }
  await page.keyboard.press("Enter");
}

// Issue #19 feature 9: the console's own text in the configured locales (en, de, es), and dark mode.
describe.skipIf(skipReason)(
  skipReason ?? "admin console languages and dark mode in Chromium",
  { timeout: 120_000 },
  () => {
    const app = useAdminConsole("i18n");
    let page: Page;

    beforeAll(async () => {
      // A browser that prefers German: the console follows it until the admin picks a language.
      const context = await app.browser.newContext({
        locale: "de-DE",
        viewport: { width: 1280, height: 900 },
      });
      page = await context.newPage();
    }, 240_000);

    it("opens the sign-in page in the browser's language, and a choice from the keyboard sticks", async () => {
      await page.goto(app.stack.url);
      await page.getByRole("heading", { name: "Anmelden" }).waitFor();
      expect(await lang(page)).toBe("de");
      expect(await page.getByLabel("E-Mail", { exact: true }).count()).toBe(1);

      await chooseLanguage(page, "Español");
      await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
      expect(await lang(page)).toBe("es");
      // Focus goes back to the picker, which now names Spanish.
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-expanded"))).toBe("false");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Idioma: Español");

      await page.reload();
      await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
      expect(await lang(page)).toBe("es");
    });

    it("signs in, and the navigation and the audit log are in Spanish", async () => {
      await page.getByLabel("Correo electrónico", { exact: true }).fill(app.stack.admin.email);
      await page.getByLabel("Contraseña", { exact: true }).fill(app.stack.admin.password);
      await page.getByRole("button", { name: "Iniciar sesión" }).click();
      await page.getByLabel("Código del autenticador").fill(totpCode(app.totpSecret));
      await page.getByRole("button", { name: "Verificar e iniciar sesión" }).click();

      const nav = page.getByRole("navigation", { name: "Principal" });
      await nav.getByRole("link", { name: "Registro de auditoría" }).click();
      await page.getByRole("heading", { name: "Registro de auditoría", level: 1 }).waitFor();
      expect(await nav.getByRole("link", { name: "Usuarios" }).count()).toBe(1);
      await page.getByText(/^\d+ eventos? en esta página, los más recientes primero$/u).waitFor();
      expect(await page.getByRole("columnheader", { name: "Autor" }).count()).toBe(1);
      expect(await page.getByLabel("Usuario (correo o sub)").count()).toBe(1);
      expect(await page.title()).toBe("Registro de auditoría · Administración de usuarios");
      expect(await lang(page)).toBe("es");
    });

    it("switches to German from the header without reloading", async () => {
      await chooseLanguage(page, "Deutsch");
      const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
      await page.getByRole("heading", { name: "Audit-Protokoll", level: 1 }).waitFor();
      expect(await nav.getByRole("link", { name: "Benutzer" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Abmelden" }).count()).toBe(1);
      await page.getByText(/^\d+ Ereignis(se)? auf dieser Seite, neueste zuerst$/u).waitFor();
      expect(await page.title()).toBe("Audit-Protokoll · Benutzerverwaltung");
      expect(await lang(page)).toBe("de");
    });

    it("shows the users list and a user's page in German and Spanish, with the locale's plurals", async () => {
      // Two users of this test's own, so the counts do not depend on who else is on the stack.
      const email = "i18n-users.one@example.com";
      for (const address of [email, "i18n-users.two@example.com"])
        await app.stack.signUp(address, "Passw0rd!i18n", "Eine Person");
      await page.goto(`${app.stack.url}/#/users?emailPrefix=i18n-users.`);
      await page.getByRole("heading", { name: "Benutzer", level: 1 }).waitFor();
      await page.getByText(/^Angezeigt: 1–2 · 2 Benutzer auf dieser Seite/u).waitFor();
      // The total is its own request (GET /users/count), slower than the rows on a full stack.
      await page.getByText("2 Benutzer insgesamt", { exact: true }).waitFor();
      expect(await page.getByText("2 Benutzer insgesamt", { exact: true }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Benutzer einladen" }).count()).toBe(1);
      expect(await page.getByRole("columnheader", { name: "Letzte Anmeldung" }).count()).toBe(1);
      expect(await page.getByText("0 Benutzer ausgewählt.", { exact: true }).count()).toBe(1);

      await chooseLanguage(page, "Español");
      await page.getByRole("heading", { name: "Usuarios", level: 1 }).waitFor();
      await page.getByText(/^Mostrando 1–2 · 2 usuarios en esta página/u).waitFor();
      await page.getByText("2 usuarios en total", { exact: true }).waitFor();
      expect(await page.getByText("2 usuarios en total", { exact: true }).count()).toBe(1);
      // One user: Spanish's singular.
      expect(await page.getByLabel("Buscar usuarios").count()).toBe(1);
      await page.goto(`${app.stack.url}/#/users?emailPrefix=${encodeURIComponent(email)}`);
      await page.getByText(/^Mostrando 1–1 · 1 usuario en esta página/u).waitFor();
      await page.getByText("1 usuario en total", { exact: true }).waitFor();
      expect(await page.getByText("1 usuario en total", { exact: true }).count()).toBe(1);

      await page.getByRole("link", { name: email }).click();
      await page.getByRole("heading", { name: email, level: 1 }).waitFor();
      expect(await page.getByRole("heading", { name: "Registro", exact: true, level: 2 }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Guardar roles" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Desactivar", exact: true }).count()).toBe(1);
      expect(await page.title()).toBe(`${email} · Administración de usuarios`);

      await chooseLanguage(page, "Deutsch");
      await page.getByRole("button", { name: "Rollen speichern" }).waitFor();
      expect(await page.getByRole("heading", { name: "Datensatz", level: 2 }).count()).toBe(1);
      expect(await page.getByRole("link", { name: "Alle Benutzer" }).count()).toBe(1);
      // Back to the audit log, where the next tests start.
      await page
        .getByRole("navigation", { name: "Hauptnavigation" })
        .getByRole("link", { name: "Audit-Protokoll" })
        .click();
      await page.getByRole("heading", { name: "Audit-Protokoll", level: 1 }).waitFor();
    });

    it("at 390 px the language picker works and nothing scrolls sideways", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await chooseLanguage(page, "English");
      await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
      expect(await lang(page)).toBe("en");
      await page.getByRole("button", { name: "Language: English" }).click();
      await page.getByRole("button", { name: "Español" }).waitFor();
      const menu = await page.locator(".locale-menu").boundingBox();
      expect(menu && menu.x >= 0 && menu.x + menu.width <= 390).toBe(true);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.keyboard.press("Escape");
      expect(await page.locator(".locale-menu").isHidden()).toBe(true);
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it("follows the system's dark mode: dark backgrounds, light text, a visible focus ring", async () => {
      const colours = () =>
        page.evaluate(() => {
          const style = (element: Element | null) => (element ? getComputedStyle(element) : undefined);
          return {
            page: style(document.documentElement)?.backgroundColor,
            text: style(document.querySelector("h1"))?.color,
            filters: style(document.querySelector(".filters"))?.backgroundColor,
          };
        });
      await page.emulateMedia({ colorScheme: "light" });
      expect(await colours()).toEqual({
        page: "rgb(245, 246, 248)",
        text: "rgb(26, 29, 33)",
        filters: "rgb(255, 255, 255)",
      });

      await page.emulateMedia({ colorScheme: "dark" });
      expect(await colours()).toEqual({
        page: "rgb(15, 18, 23)",
        text: "rgb(230, 233, 239)",
        filters: "rgb(24, 28, 35)",
      });
      // A keyboard focus shows the dark scheme's ring.
      await page.getByLabel("User (email or sub)").focus();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return { color: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle };
      });
      expect(ring).toEqual({ color: "rgb(138, 184, 255)", width: "3px", style: "solid" });
      await page.emulateMedia({ colorScheme: "light" });
    });
  },
);
