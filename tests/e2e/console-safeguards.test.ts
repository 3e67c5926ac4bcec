import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason } from "./support/browser.ts";

const password = "Passw0rd!safeguards";
// The stack is shared with the other browser test files: this file's users all start with "safeguards.".
const people = {
  ada: { email: "safeguards.ada.lovelace@example.com", name: "Ada Lovelace" },
  joan: { email: "safeguards.joan.clarke@example.com", name: "Joan Clarke" },
};

const skipReason = browserSkipReason();

// Issue #19 defects 1, 3 and 7 in the browser: two tabs of one admin, stale views, self-changes.
describe.skipIf(skipReason)(
  skipReason ?? "admin console safeguards in Chromium: conflicts, stale tabs, the last admin",
  { timeout: 60_000 },
  () => {
    const app = useAdminConsole("safeguards");

    async function subOf(email: string): Promise<string> {
      return (await subsByEmail(app.api, email))[email] ?? "";
    }

    const userOf = async (sub: string) =>
      (await app.api("GET", `/users/${sub}`)).body as {
        user: { roles: string[]; status: string; version: number };
        audit: { items: { action: string }[] };
      };

    beforeAll(async () => {
      for (const person of Object.values(people)) await app.stack.signUp(person.email, password, person.name);
    }, 240_000);

    /** A tab of the admin's browser profile on a user's page (each tab signs in, with a code). */
    async function tabOn(sub: string, heading: string): Promise<Page> {
      const page = await app.admin.open(`#/users/${sub}`);
      await page.getByRole("heading", { name: heading }).waitFor();
      await page.getByRole("heading", { name: "Audit history" }).waitFor();
      return page;
    }

    const checked = (page: Page, role: string) =>
      page.getByRole("checkbox", { name: new RegExp(`^${role}\\b`) }).isChecked();

    it("after a conflict shows both changes and the current roles: a second Save cannot remove the other tab's admin", async () => {
      const sub = await subOf(people.ada.email);
      const tabA = await tabOn(sub, people.ada.email);
      const tabB = await tabOn(sub, people.ada.email);

      // Tab B adds admin.
      await tabB.getByRole("checkbox", { name: /^admin\b/ }).check();
      await tabB.getByLabel("Reason (recorded in the audit log)").fill("On call");
      await tabB.getByRole("button", { name: "Save roles" }).click();
      await tabB.getByText("Roles saved: admin, member.").waitFor();

      // Stale tab A unchecks member and saves.
      await tabA.getByRole("checkbox", { name: /^member\b/ }).uncheck();
      await tabA.getByLabel("Reason (recorded in the audit log)").fill("Cleanup");
      await tabA.getByRole("button", { name: "Save roles" }).click();
      const notice = tabA
        .getByRole("alert")
        .filter({ hasText: "Someone changed this user while you were working." });
      await notice.waitFor();
      const text = (await notice.textContent()) ?? "";
      expect(text).toContain(`Their change: ${app.stack.admin.email} added admin at`);
      expect(text).toContain("Your change: remove member.");
      expect(text).toContain("roles admin, member");
      // The checkboxes show the current roles, not the stale selection.
      expect(await checked(tabA, "admin")).toBe(true);
      expect(await checked(tabA, "member")).toBe(true);

      // Another Save changes nothing: there is no change to send.
      const save = tabA.getByRole("button", { name: "Save roles" });
      expect(await save.getAttribute("aria-disabled")).toBe("true");
      await save.click({ force: true });
      expect((await userOf(sub)).user.roles).toEqual(["admin", "member"]);

      // Re-applied to the current roles, the change keeps B's admin.
      await tabA.getByRole("button", { name: "Re-apply my change" }).click();
      expect(await checked(tabA, "admin")).toBe(true);
      expect(await checked(tabA, "member")).toBe(false);
      await tabA.getByRole("button", { name: "Save roles" }).click();
      await tabA.getByText("Roles saved: admin.").waitFor();
      expect((await userOf(sub)).user.roles).toEqual(["admin"]);
    });

    it("a stale tab's disable is a conflict, not a second success and a second audit entry", async () => {
      const sub = await subOf(people.joan.email);
      const tabA = await tabOn(sub, people.joan.email);
      const tabB = await tabOn(sub, people.joan.email);
      for (const tab of [tabB, tabA]) {
        await tab.getByRole("button", { name: "Disable", exact: true }).click();
        const dialog = tab.getByRole("dialog", { name: "Disable this user?" });
        await dialog.getByRole("button", { name: "Disable user" }).click();
        await dialog.waitFor({ state: "detached" });
      }
      // The success names the steps the API reports (cognito-local cannot sign out everywhere).
      const disabled = "Disabled in Cognito; signing out everywhere failed";
      await tabB.getByText(disabled, { exact: false }).waitFor();
      const notice = tabA
        .getByRole("alert")
        .filter({ hasText: "Someone changed this user while you were working." });
      await notice.waitFor();
      expect(await notice.textContent()).toContain(
        `Their change: ${app.stack.admin.email} disabled the user at`,
      );
      expect(await tabA.getByText("Disabled in Cognito", { exact: false }).count()).toBe(0);
      const { user, audit } = await userOf(sub);
      expect(user.status).toBe("disabled");
      expect(audit.items.filter((entry) => entry.action === "user.disabled")).toHaveLength(1);
    });
  },
);
