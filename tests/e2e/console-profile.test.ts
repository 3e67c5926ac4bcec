import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason } from "./support/browser.ts";
import { tabTo } from "./support/keyboard.ts";

const password = "Passw0rd!profile";
const skipReason = browserSkipReason();

// Issue #19 feature 6 in Chromium at 390 px: the user page's Edit profile section, keyboard only.
describe.skipIf(skipReason)(
  skipReason ?? "admin console profile edit in Chromium",
  { timeout: 90_000 },
  () => {
    const app = useAdminConsole("profile", { profile: { viewport: { width: 390, height: 844 } } });
    let subs: Record<string, string> = {};

    beforeAll(async () => {
      await app.stack.signUp("profile.ines@example.com", password, "Inés Profile");
      // This file's users and admin (the shared stack holds other files' users too).
      subs = await subsByEmail(app.api, "profile.", "&limit=100");
    }, 240_000);

    const userPage = (email: string) => app.admin.open(`#/users/${encodeURIComponent(subs[email] ?? "")}`);

    /** Presses Tab until the focused form field's label reads `label` (keyboard only). */
    const tabToField = (page: Page, label: string) =>
      tabTo(page, (focused) => focused.label === label, { limit: 80 });

    const recordOf = async (email: string) =>
      (await app.api<{ user: Record<string, unknown> }>("GET", `/users/${subs[email]}`)).body.user;

    it("edits the name and custom:department with the keyboard only; Enter saves and focus stays in the form", async () => {
      const page = await userPage("profile.ines@example.com");
      const section = page.getByRole("region", { name: "Edit profile of Inés Profile" });
      await section.waitFor();
      await tabToField(page, "Name");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("Inés Profile-García");
      await tabToField(page, "custom:department");
      await page.keyboard.type("Finance");
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "Profile saved: name, custom:department" }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save profile");
      expect(await recordOf("profile.ines@example.com")).toMatchObject({
        name: "Inés Profile-García",
        customAttributes: { "custom:department": "Finance" },
      });
      await page
        .getByRole("table", { name: /Audit history/ })
        .getByText("user.profile_updated")
        .first()
        .waitFor();
    });

    it("clears custom:department by emptying it and the locale by Not set, keyboard only", async () => {
      const page = await userPage("profile.ines@example.com");
      await page.getByRole("region", { name: /Edit profile of/ }).waitFor();
      await tabToField(page, "Locale");
      await page.keyboard.press("End");
      await tabToField(page, "custom:department");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("Ops");
      await page.keyboard.press("Enter");
      await page
        .getByRole("status")
        .filter({ hasText: "Profile saved: locale, custom:department." })
        .waitFor();
      expect(await recordOf("profile.ines@example.com")).toMatchObject({
        locale: "es",
        customAttributes: { "custom:department": "Ops" },
      });
      expect(await page.getByLabel("Locale").inputValue()).toBe("es");

      await tabToField(page, "Locale");
      await page.keyboard.press("Home");
      await tabToField(page, "custom:department");
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Backspace");
      await page.keyboard.press("Enter");
      await page
        .getByRole("status")
        .filter({ hasText: "Profile saved: locale, custom:department" })
        .filter({ hasText: "Cleared: locale, custom:department." })
        .waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save profile");
      const record = await recordOf("profile.ines@example.com");
      expect(record.locale).toBeUndefined();
      expect(record.customAttributes).toBeUndefined();
      expect(record.name).toBeDefined();
      expect(await page.getByLabel("custom:department").inputValue()).toBe("");
      expect(await page.getByLabel("Locale").inputValue()).toBe("");
    });

    it("a bad value is refused in place and what was typed stays", async () => {
      const page = await userPage("profile.ines@example.com");
      await page.getByRole("region", { name: /Edit profile of/ }).waitFor();
      await tabToField(page, "custom:department");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("Sales\u0007");
      await page.keyboard.press("Enter");
      await page.getByText("must not contain control characters").waitFor();
      expect(await page.getByLabel("custom:department").inputValue()).toBe("Sales\u0007");
    });

    it("warns on your own profile and saves only once confirmed", async () => {
      const page = await userPage(app.stack.admin.email);
      const section = page.getByRole("region", { name: /Edit profile of/ });
      await section.getByText("This is your own profile").waitFor();
      await tabToField(page, "Name");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("Head Admin");
      await page.keyboard.press("Enter");
      expect(await page.getByRole("status").filter({ hasText: "Profile saved" }).count()).toBe(0);
      await tabToField(page, "I am editing my own profile");
      await page.keyboard.press("Space");
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "Profile saved: name" }).waitFor();
    });
  },
);
