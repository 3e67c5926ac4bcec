import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, launchChromium } from "./support/browser.ts";
import { type ConsoleStack, useConsoleStack } from "./support/console-stack.ts";
import { totpCode } from "./support/totp.ts";

const password = "Passw0rd!profile";
const skipReason = browserSkipReason();

// Issue #19 feature 6 in Chromium at 390 px: the user page's Edit profile section, keyboard only.
describe.skipIf(skipReason)(
  skipReason ?? "admin console profile edit in Chromium",
  { timeout: 90_000 },
  () => {
    let stack: ConsoleStack;
    let browser: Browser;
    let admin: BrowserContext;
    let totpSecret: string;
    let token: string;
    const subs: Record<string, string> = {};
    const pages: Page[] = [];

    beforeAll(async () => {
      browser = await launchChromium();
      stack = await useConsoleStack("profile");
      await stack.signUp("profile.ines@example.com", password, "Inés Profile");
      totpSecret = await stack.enableTotp(stack.admin.email, stack.admin.password);
      token = await stack.signInWithTotp(stack.admin.email, stack.admin.password, totpSecret);
      // This file's users and admin (the shared stack holds other files' users too).
      const listed = await fetch(`${stack.url}/api/users?emailPrefix=profile.&limit=100`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      for (const user of ((await listed.json()) as { items: { sub: string; email?: string }[] }).items) {
        if (user.email) subs[user.email] = user.sub;
      }
      admin = await browser.newContext({ viewport: { width: 390, height: 844 } });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    }, 60_000);

    afterEach(async () => {
      await Promise.all(pages.splice(0).map((page) => page.close()));
    });

    async function userPage(email: string): Promise<Page> {
      const page = await admin.newPage();
      pages.push(page);
      await page.goto(`${stack.url}/#/users/${encodeURIComponent(subs[email] ?? "")}`);
      const signInForm = page.getByRole("heading", { name: "Sign in" });
      const signedIn = page.locator("#main h1");
      await signInForm.or(signedIn).first().waitFor();
      if (await signInForm.isVisible()) {
        await page.getByLabel("Email", { exact: true }).fill(stack.admin.email);
        await page.getByLabel("Password", { exact: true }).fill(stack.admin.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { name: "Enter your code" }).waitFor();
        await page.getByLabel("Authenticator code").fill(totpCode(totpSecret));
        await page.getByRole("button", { name: "Verify and sign in" }).click();
      }
      await page.locator("#main h1").waitFor();
      return page;
    }

    /** Presses Tab until the focused form field's label reads `label` (keyboard only). */
    async function tabToField(page: Page, label: string, limit = 80): Promise<void> {
      for (let step = 0; step < limit; step++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(
          () => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? "",
        );
        if (focused === label) return;
      }
      throw new Error(`focus never reached the field ${label}`);
    }

    const recordOf = async (email: string) => {
      const answer = await fetch(`${stack.url}/api/users/${subs[email]}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return ((await answer.json()) as { user: Record<string, unknown> }).user;
    };

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
      const page = await userPage(stack.admin.email);
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
