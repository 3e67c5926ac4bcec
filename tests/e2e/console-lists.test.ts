import { auditActions } from "@cognito-lifecycle/core/lists";
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { submitPassword } from "./support/admin-tabs.ts";
import { browserSkipReason } from "./support/browser.ts";

const password = "Passw0rd!lists";
// The stack is shared with the other browser test files: this file's users all start with "lists.".
const people = {
  grace: { email: "lists.grace.hopper@example.com", name: "Grace Hopper" },
  alan: { email: "lists.alan.turing@example.com", name: "Alan Turing" },
  barbara: { email: "lists.barbara.liskov@example.com", name: "Barbara Liskov" },
  ken: { email: "lists.ken.thompson@example.com", name: "Ken Thompson" },
  gone: { email: "lists.gone.user@example.com", name: "Gone User" },
  member: { email: "lists.linus.member@example.com", name: "Linus Member" },
};
const caption = "Users, newest first";

const skipReason = browserSkipReason();

// Browser steps wait on a busy 2-core machine; the generous limit is for the machine, not the console.
describe.skipIf(skipReason)(
  skipReason ?? "admin console lists: filters, errors, positions and counts in Chromium",
  { timeout: 60_000 },
  () => {
    const app = useAdminConsole("lists");
    const contexts: BrowserContext[] = [];

    async function subOf(email: string): Promise<string> {
      return (await subsByEmail(app.api, email, "&status=active"))[email] ?? "";
    }

    beforeAll(async () => {
      for (const person of Object.values(people)) await app.stack.signUp(person.email, password, person.name);
      const deleted = await app.api("DELETE", `/users/${await subOf(people.gone.email)}`, {
        reason: "Asked to be forgotten",
      });
      expect(deleted.status).toBe(200);
    }, 240_000);

    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });

    async function firstColumn(page: Page): Promise<string[]> {
      const table = page.getByRole("table", { name: caption });
      await table.waitFor();
      return table.locator("tbody tr th").allTextContents();
    }

    const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
    const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? "");
    const hashOf = (page: Page) => new URL(page.url()).hash;

    it("shows a failed load in place of the previous filter's rows, and Retry loads the new filter", async () => {
      const page = await app.admin.open("#/users?emailPrefix=lists.grace");
      await page.getByText(/^Showing 1–1 · 1 user on this page/).waitFor();

      let failures = 1;
      await page.route(
        (url) => url.pathname === "/api/users",
        (route) =>
          failures-- > 0
            ? route.fulfill({
                status: 500,
                contentType: "application/json",
                body: JSON.stringify({ error: "internal", message: "Something went wrong; try again." }),
              })
            : route.continue(),
      );
      await page.getByLabel("Email starts with").fill("lists.alan");
      await page.getByLabel("Email starts with").press("Enter");

      const alert = page.getByRole("alert").filter({ hasText: "Could not load users." });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("Something went wrong; try again.");
      expect(await page.getByRole("table").count()).toBe(0);
      expect(await page.getByText(/^Showing /).count()).toBe(0);
      expect(await page.getByText(people.grace.email).count()).toBe(0);

      await page.getByRole("button", { name: "Retry" }).press("Enter");
      await page.getByText(/^Showing 1–1 · 1 user on this page/).waitFor();
      expect(await firstColumn(page)).toEqual([people.alan.email]);
      expect(await page.getByRole("alert").count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.className)).toBe("counts");
    });

    it("applies a menu changed with the keyboard only on Enter, and keeps focus where the admin is", async () => {
      const page = await app.admin.open();
      await page.getByText(/^Showing 1–/).waitFor();
      const listings: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname === "/api/users") listings.push(request.url());
      });
      const before = hashOf(page);

      await page.getByLabel("Status").focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      await page.getByText("Changed filters are not applied yet").waitFor();
      expect(hashOf(page)).toBe(before);
      expect(listings).toEqual([]);
      expect(await focusedId(page)).toBe("filter-status");

      // Wait for the listing request itself: the counts line of the previous page may match too.
      await Promise.all([
        page.waitForRequest((request) => new URL(request.url()).pathname === "/api/users"),
        page.keyboard.press("Enter"),
      ]);
      await page.waitForURL(/status=active/);
      await page.getByText(/^Showing 1–\d+ · \d+ users? on this page \(\d+ active\)/).waitFor();
      expect(listings).toHaveLength(1);
      expect(await focusedId(page)).toBe("filter-status");

      // Typing a search fires nothing until Enter; Enter keeps the caret in the search box.
      await page.getByLabel("Email starts with").focus();
      await page.keyboard.type("lists.barb");
      expect(listings).toHaveLength(1);
      await page.keyboard.press("Enter");
      await page.getByText(/^Showing 1–1 · 1 user on this page/).waitFor();
      expect(await firstColumn(page)).toEqual([people.barbara.email]);
      expect(await focusedId(page)).toBe("filter-email");
    });

    it("keeps focus in the audit log's filter after Enter", async () => {
      const page = await app.admin.open("#/audit");
      await page.getByText(/event(s)? on this page/).waitFor();
      const before = hashOf(page);
      const listings: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname === "/api/audit") listings.push(request.url());
      });

      // The Action menu is a select: arrowing to an option loads nothing by itself.
      const action = page.getByLabel("Action");
      await action.focus();
      for (let step = 0; step < auditActions.indexOf("user.deleted") + 1; step++) {
        await page.keyboard.press("ArrowDown");
      }
      expect(await action.inputValue()).toBe("user.deleted");
      expect(hashOf(page)).toBe(before);
      expect(listings).toEqual([]);

      // Enter in a text filter of the same form submits it, and focus stays in that filter. The
      // actor (this file's admin deleted the user) keeps other files' deletions out of the count.
      await page.keyboard.press("Shift+Tab");
      expect(await focusedId(page)).toBe("filter-actor");
      await page.keyboard.type(app.stack.admin.email);
      await page.keyboard.press("Enter");
      await page.waitForURL(/action=user\.deleted/);
      await page.getByText("1 event on this page, newest first").waitFor();
      expect(await focusedId(page)).toBe("filter-actor");
    });

    it("saves roles from the keyboard with focus staying on Save roles", async () => {
      const page = await app.admin.open(`#/users/${await subOf(people.ken.email)}`);
      await page.getByRole("heading", { name: people.ken.email }).waitFor();

      await page.getByRole("checkbox", { name: /support/ }).focus();
      await page.keyboard.press("Space");
      await page.getByLabel("Reason (recorded in the audit log)").focus();
      await page.keyboard.type("On call this week");
      await page.keyboard.press("Tab");
      expect(await focusedText(page)).toBe("Save roles");
      await page.keyboard.press("Enter");

      await page.getByText("Roles saved: member, support.").waitFor();
      expect(await focusedText(page)).toBe("Save roles");
    });

    it("keeps the page in the URL: reload and Back return to it, with a total count", async () => {
      // This file's users only (the stack is shared): six active ones, its admin and five sign-ups;
      // the deleted one is not counted.
      const page = await app.admin.open("#/users?limit=2&emailPrefix=lists.");
      await page.getByText(/^Showing 1–2 · 2 users on this page/).waitFor();
      await page.getByText("6 users in all").waitFor();
      const first = await firstColumn(page);

      await page.getByRole("button", { name: "Next" }).press("Enter");
      await page.getByText(/^Showing 3–4 · 2 users on this page/).waitFor();
      expect(hashOf(page)).toMatch(/^#\/users\?emailPrefix=lists\.&limit=2&page=2&cursor=/);
      expect(await focusedText(page)).toContain("Next");
      const second = await firstColumn(page);
      await page.getByRole("button", { name: "Next" }).press("Enter");
      await page.getByText(/^Showing 5–6 · 2 users on this page/).waitFor();
      const third = await firstColumn(page);

      await page.reload();
      await page.getByText(/^Showing 5–6 · 2 users on this page/).waitFor();
      expect(await firstColumn(page)).toEqual(third);
      await page.getByText("6 users in all").waitFor();

      await page.goBack();
      await page.getByText(/^Showing 3–4 · 2 users on this page/).waitFor();
      expect(await firstColumn(page)).toEqual(second);
      await page.goForward();
      await page.getByText(/^Showing 5–6 · 2 users on this page/).waitFor();

      // After the reload, Previous still knows the way back.
      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByText(/^Showing 3–4 · 2 users on this page/).waitFor();
      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByText(/^Showing 1–2 · 2 users on this page/).waitFor();
      expect(await firstColumn(page)).toEqual(first);
    });

    it("hides deleted users by default, shows them on request, and says an empty result once", async () => {
      const page = await app.admin.open("#/users?emailPrefix=lists.gone");
      const empty = page.getByText(/No users/);
      await empty.first().waitFor();
      expect(await empty.count()).toBe(1);
      expect(await page.getByRole("table").count()).toBe(0);

      await page.getByLabel("Status").selectOption({ label: "Any, with deleted" });
      await page.getByText(/^Showing 1–1 · 1 user on this page \(1 deleted\)/).waitFor();
      expect(await firstColumn(page)).toEqual([people.gone.email]);
      expect(hashOf(page)).toBe("#/users?emailPrefix=lists.gone&status=all");
    });

    it("names the user in every dialog and in the tab title, and needs a reason to delete", async () => {
      const sub = await subOf(people.alan.email);
      const page = await app.admin.open(`#/users/${sub}`);
      await page.getByRole("heading", { name: people.alan.email }).waitFor();
      expect(await page.title()).toBe(`${people.alan.email} · User admin`);
      const other = await app.admin.open(`#/users/${await subOf(people.barbara.email)}`);
      await other.getByRole("heading", { name: people.barbara.email }).waitFor();
      expect(await other.title()).toBe(`${people.barbara.email} · User admin`);

      const describedBy = (dialog: ReturnType<Page["getByRole"]>) =>
        dialog.evaluate((element) =>
          (element.getAttribute("aria-describedby") ?? "")
            .split(" ")
            .map((id) => document.getElementById(id)?.textContent ?? "")
            .join(" "),
        );
      await page.getByRole("button", { name: "Disable", exact: true }).click();
      const disable = page.getByRole("dialog", { name: "Disable this user?" });
      expect(await describedBy(disable)).toBe(`${people.alan.name} · ${people.alan.email}`);
      await page.keyboard.press("Escape");
      await disable.waitFor({ state: "detached" });

      await page.getByRole("button", { name: "Delete", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Delete this user?" });
      expect(await describedBy(dialog)).toBe(`${people.alan.name} · ${people.alan.email}`);
      const confirm = dialog.getByRole("button", { name: "Delete user" });
      await dialog.getByLabel(/to confirm/).fill(people.alan.email);
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/Reason \(required/).fill("Duplicate account");
      expect(await confirm.isDisabled()).toBe(false);
      await page.keyboard.press("Escape");

      // The API refuses a delete without a reason, naming the field.
      const refused = await app.api("DELETE", `/users/${sub}`, {});
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        error: "invalid_request",
        fields: { reason: expect.any(String) },
      });
      expect((await app.api("GET", `/users/${sub}`)).body).toMatchObject({ user: { status: "active" } });
    });

    it("starts the first result near the top at 390 px", async () => {
      // This file's users (all active): other files' disabled and invited users on the shared
      // stack lengthen the counts line, which then wraps above the first row at 390 px.
      const page = await app.admin.open("#/users?emailPrefix=lists.");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByText(/^Showing 1–/).waitFor();
      const row = await page.getByRole("table", { name: caption }).locator("tbody tr").first().boundingBox();
      expect(row?.y).toBeLessThan(300);

      // A page mixing statuses (active, disabled, invite pending), with the bulk toolbar above it.
      const mixed = {
        active: "lists.mixed.active@example.com",
        disabled: "lists.mixed.disabled@example.com",
      };
      for (const email of Object.values(mixed)) await app.stack.signUp(email, password, "Mixed Status");
      expect((await app.api("POST", `/users/${await subOf(mixed.disabled)}/disable`, {})).status).toBe(200);
      expect((await app.api("POST", "/users", { email: "lists.mixed.invited@example.com" })).status).toBe(
        201,
      );
      const narrow = await app.admin.open("#/users?emailPrefix=lists.mixed.");
      await narrow.setViewportSize({ width: 390, height: 844 });
      await narrow.getByText(/^Showing 1–3 · 3 users on this page/).waitFor();
      expect(await narrow.getByRole("region", { name: "Bulk actions" }).isVisible()).toBe(true);
      const table = narrow.getByRole("table", { name: caption });
      const mixedRow = await table.locator("tbody tr").first().boundingBox();
      expect(mixedRow?.y).toBeLessThan(300);

      // The folded filters open from the keyboard and still apply.
      await page.getByRole("button", { name: "Filters" }).press("Enter");
      await page.getByLabel("Status").selectOption("disabled");
      await page.waitForURL(/status=disabled/);
      // The email prefix is one active filter, the status another.
      await page.getByRole("button", { name: "Filters (2 active)" }).waitFor();
    });

    it("starts the audit log's first event near the top at 390 px", async () => {
      const page = await app.admin.open("#/audit");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByText(/event(s)? on this page/).waitFor();
      const table = page.getByRole("table", { name: "Audit events, newest first" });
      const row = await table.locator("tbody tr").first().boundingBox();
      expect(row?.y).toBeLessThan(300);

      // The folded filters open from the keyboard and still apply.
      await page.getByRole("button", { name: "Filters" }).press("Enter");
      await page.getByLabel("Action").selectOption("user.deleted");
      await page.getByLabel("User (email or sub)").press("Enter");
      await page.waitForURL(/action=user\.deleted/);
      await page.getByRole("button", { name: "Filters (1 active)" }).waitFor();
    });

    it("answers Check again on the Not allowed page", async () => {
      const context = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(app.stack.url);
      await submitPassword(page, people.member.email, password);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();

      await page.getByRole("button", { name: "Check again" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: /^Checked again at .+: this account still may not/ })
        .waitFor();
      expect(await page.getByRole("heading", { name: "Not allowed" }).isVisible()).toBe(true);
      expect(await focusedText(page)).toBe("Check again");
    });
  },
);
