import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, launchChromium } from "./support/browser.ts";
import { buildConsole, type ConsoleStack, startConsoleStack } from "./support/console-stack.ts";

const password = "Passw0rd!e2e";
const people = {
  grace: { email: "grace.hopper@example.com", name: "Grace Hopper" },
  alan: { email: "alan.turing@example.com", name: "Alan Turing" },
  katherine: { email: "katherine.johnson@example.com", name: "Katherine Johnson" },
  edsger: { email: "edsger.dijkstra@example.com", name: "Edsger Dijkstra" },
  member: { email: "linus.member@example.com", name: "Linus Member" },
};

const skipReason = browserSkipReason();

// Browser steps wait on a busy 2-core machine; the generous limit is for the machine, not the console.
describe.skipIf(skipReason)(
  skipReason ?? "admin console in Chromium against the local stack",
  { timeout: 60_000 },
  () => {
    let stack: ConsoleStack;
    let browser: Browser;
    /** The bootstrap admin's browser profile: signed in once, each test opens its own tab. */
    let admin: BrowserContext;
    const pages: Page[] = [];
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      const [dist, chromium] = await Promise.all([buildConsole(), launchChromium()]);
      browser = chromium;
      stack = await startConsoleStack(dist);
      for (const person of Object.values(people)) await stack.signUp(person.email, password, person.name);
      admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    }, 60_000);

    afterEach(async () => {
      await Promise.all([
        ...pages.splice(0).map((page) => page.close()),
        ...contexts.splice(0).map((context) => context.close()),
      ]);
    });

    /** Signs in through the form in a fresh browser profile. */
    async function signIn(email: string, secret: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(stack.url);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(secret);
      await page.getByRole("button", { name: "Sign in" }).click();
      return page;
    }

    /** A new tab of the admin's profile, which keeps its session in localStorage like a person's browser. */
    async function asAdmin(): Promise<Page> {
      const page = await admin.newPage();
      pages.push(page);
      await page.goto(stack.url);
      const signInForm = page.getByRole("heading", { name: "Sign in" });
      const users = page.getByRole("heading", { name: "Users" });
      await signInForm.or(users).waitFor();
      if (await signInForm.isVisible()) {
        await page.getByLabel("Email", { exact: true }).fill(stack.admin.email);
        await page.getByLabel("Password", { exact: true }).fill(stack.admin.password);
        await page.getByRole("button", { name: "Sign in" }).click();
      }
      await users.waitFor();
      return page;
    }

    async function searchUsers(page: Page, prefix: string): Promise<void> {
      await page.getByLabel("Email starts with").fill(prefix);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText(/^Showing 1–/).waitFor();
    }

    async function openUser(page: Page, email: string): Promise<string> {
      await searchUsers(page, email.split("@")[0] ?? email);
      await page.getByRole("link", { name: email }).click();
      await page.getByRole("heading", { name: email }).waitFor();
      await page.getByRole("heading", { name: "Audit history" }).waitFor();
      return decodeURIComponent(new URL(page.url()).hash.replace("#/users/", ""));
    }

    /** The cells of a table's rows, once a row shows `waitForText` (the view reloads after an action). */
    async function rowsOf(page: Page, caption: string, waitForText?: string): Promise<string[][]> {
      const table = page.getByRole("table", { name: caption });
      await (waitForText ? table.getByText(waitForText).first() : table).waitFor();
      return table
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((row) =>
            [...row.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? ""),
          ),
        );
    }

    it("signs the bootstrap admin in and finds a user by email prefix", async () => {
      const page = await asAdmin();
      expect(await page.getByRole("banner").textContent()).toContain(stack.admin.email);

      await searchUsers(page, "grace");

      const rows = await rowsOf(page, "Users, newest first");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(
        expect.arrayContaining([people.grace.email, people.grace.name, "member", "active"]),
      );
      expect(await page.getByText(/^Showing 1–1 · 1 user on this page/).count()).toBe(1);
      expect(new URL(page.url()).hash).toBe("#/users?emailPrefix=grace");
      expect(await page.title()).toBe("Users · User admin");
    });

    it("pages through users with next and previous", async () => {
      const page = await asAdmin();
      await page.goto(`${stack.url}/#/users?limit=2`);
      await page.getByText(/^Showing 1–2 · 2 users on this page/).waitFor();
      const first = await rowsOf(page, "Users, newest first");

      await page.getByRole("button", { name: "Next" }).click();
      await page.getByText(/^Showing 3–4 · 2 users on this page/).waitFor();
      const second = await rowsOf(page, "Users, newest first");
      expect(second.map((row) => row[0])).not.toEqual(expect.arrayContaining([first[0]?.[0]]));
      expect(await page.getByText("Page 2").count()).toBe(1);

      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByText(/^Showing 1–2 · 2 users on this page/).waitFor();
      expect(await rowsOf(page, "Users, newest first")).toEqual(first);
      expect(await page.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);
    });

    it("changes a user's roles with a reason and shows the change in the audit history", async () => {
      const page = await asAdmin();
      const sub = await openUser(page, people.grace.email);

      await page.getByRole("checkbox", { name: /support/ }).check();
      await page.getByLabel("Reason (recorded in the audit log)").fill("Joins the support rota");
      await page.getByRole("button", { name: "Save roles" }).click();

      await page.getByText("Roles saved: member, support.").waitFor();
      const history = await rowsOf(
        page,
        `Audit history of ${people.grace.email}, newest first`,
        "user.roles.set",
      );
      expect(history[0]).toEqual(expect.arrayContaining(["user.roles.set", "you", "Joins the support rota"]));

      await page.getByRole("link", { name: "Audit log" }).click();
      await page.getByLabel("Action").fill("user.roles.set");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.getByText(/event(s)? on this page/).waitFor();
      const audit = await rowsOf(page, "Audit events, newest first", "Joins the support rota");
      expect(audit).toContainEqual(expect.arrayContaining([sub, "user.roles.set", "Joins the support rota"]));

      await page.reload();
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.getByRole("link", { name: sub }).first().click();
      await page.getByRole("heading", { name: people.grace.email }).waitFor();
      expect(await page.getByRole("checkbox", { name: /support/ }).isChecked()).toBe(true);
    });

    it("disables a user, who then cannot sign in, and enables them again", async () => {
      const page = await asAdmin();
      await openUser(page, people.alan.email);

      await page.getByRole("button", { name: "Disable", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Disable this user?" });
      await dialog.getByLabel(/Reason/).fill("Left the company");
      await dialog.getByRole("button", { name: "Disable user" }).click();
      await page.getByText("User disabled and signed out everywhere.").waitFor();
      await page.getByRole("button", { name: "Enable", exact: true }).waitFor();
      await expect(stack.signIn(people.alan.email, password)).rejects.toThrow();

      await page.getByRole("button", { name: "Enable", exact: true }).click();
      await page
        .getByRole("dialog", { name: "Enable this user?" })
        .getByRole("button", { name: "Enable user" })
        .click();
      await page.getByText("User enabled. They can sign in again.").waitFor();
      await page.getByRole("button", { name: "Disable", exact: true }).waitFor();
      await expect(stack.signIn(people.alan.email, password)).resolves.toBeTruthy();

      const history = await rowsOf(
        page,
        `Audit history of ${people.alan.email}, newest first`,
        "user.enabled",
      );
      expect(history.map((row) => row[1])).toEqual(expect.arrayContaining(["user.disabled", "user.enabled"]));
    });

    it("exports the users of the current filter as CSV", async () => {
      const page = await asAdmin();
      await searchUsers(page, "grace");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const csv = await readFile(await download.path(), "utf8");
      const lines = csv.trim().split(/\r?\n/);

      expect(download.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(lines[0]).toBe("\uFEFFsub,email,name,roles,status,source,createdAt,lastSignInAt");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(people.grace.email);
      await page.getByText(/^Exported 1 user to users-/).waitFor();
    });

    it("explains a conflicting role change and re-applies it to the current version", async () => {
      const page = await asAdmin();
      const sub = await openUser(page, people.katherine.email);

      // Another admin changes the roles while this page shows the old version.
      const token = await stack.signIn(stack.admin.email, stack.admin.password);
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      const before = (await (await fetch(`${stack.url}/api/users/${sub}`, { headers })).json()) as {
        user: { version: number };
      };
      const changed = await fetch(`${stack.url}/api/users/${sub}/roles`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({
          roles: ["admin", "member"],
          expectedVersion: before.user.version,
          reason: "Elsewhere",
        }),
      });
      expect(changed.status).toBe(200);

      await page.getByRole("checkbox", { name: /support/ }).check();
      await page.getByLabel("Reason (recorded in the audit log)").fill("Covers support this week");
      await page.getByRole("button", { name: "Save roles" }).click();

      const notice = page
        .getByRole("alert")
        .filter({ hasText: "Someone changed this user while you were working." });
      await notice.waitFor();
      expect(await notice.textContent()).toContain("roles admin, member");
      expect(await page.getByRole("checkbox", { name: /support/ }).isChecked()).toBe(true);

      await page.getByRole("button", { name: "Save roles" }).click();
      await page.getByText("Roles saved: member, support.").waitFor();
      expect(await page.getByRole("checkbox", { name: /admin/ }).isChecked()).toBe(false);
    });

    it("deletes a user only after their email is typed", async () => {
      const page = await asAdmin();
      await openUser(page, people.edsger.email);

      const deleteButton = page.getByRole("button", { name: "Delete", exact: true });
      await deleteButton.click();
      await page.getByRole("dialog", { name: "Delete this user?" }).waitFor();
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "detached" });
      expect(await deleteButton.evaluate((button) => button === document.activeElement)).toBe(true);

      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Delete this user?" });
      const confirm = dialog.getByRole("button", { name: "Delete user" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill("someone.else@example.com");
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(/to confirm/).fill(people.edsger.email);
      await dialog.getByLabel(/Reason/).fill("Asked to be forgotten");
      await confirm.click();

      await page.getByText("User deleted from Cognito.", { exact: false }).waitFor();
      await page.locator(".page-header .badge", { hasText: "deleted" }).waitFor();
      expect(await page.getByRole("button", { name: "Delete", exact: true }).count()).toBe(0);
      await expect(stack.signIn(people.edsger.email, password)).rejects.toThrow();

      await page.getByRole("link", { name: "All users" }).click();
      await page.getByLabel("Status").selectOption("deleted");
      await page.getByText(/^Showing 1–1 · 1 user on this page \(1 deleted\)/).waitFor();
      const rows = await rowsOf(page, "Users, newest first");
      expect(rows[0]).toEqual(expect.arrayContaining([people.edsger.email, "deleted"]));
    });

    it("keeps the session across a reload, refreshes a rejected token, and signs out", async () => {
      const page = await signIn(stack.admin.email, stack.admin.password);
      await page.getByRole("heading", { name: "Users" }).waitFor();
      const key = `cognito-lifecycle.console.${stack.stack.info.clientId}`;

      // A token the API rejects (bad signature) makes the console refresh it and retry.
      const tampered = await page.evaluate((storageKey) => {
        const tokens = JSON.parse(localStorage.getItem(storageKey) ?? "{}") as { idToken: string };
        tokens.idToken = `${tokens.idToken.slice(0, -4)}AAAA`;
        localStorage.setItem(storageKey, JSON.stringify(tokens));
        return tokens.idToken;
      }, key);
      await page.reload();
      await page.getByRole("table", { name: "Users, newest first" }).waitFor();
      const stored = await page.evaluate((storageKey) => localStorage.getItem(storageKey), key);
      expect(stored).not.toContain(tampered);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByText("You have signed out.").waitFor();
      expect(await page.evaluate((storageKey) => localStorage.getItem(storageKey), key)).toBeNull();
    });

    it("tells a signed-in non-admin they are not allowed, without showing any users", async () => {
      const page = await signIn(people.member.email, password);

      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      expect(await page.getByRole("main").textContent()).toContain(people.member.email);
      expect(await page.getByRole("table").count()).toBe(0);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
    });

    it("lets an invited user choose a new password at first sign-in", async () => {
      const invited = "ada.invited@example.com";
      await stack.invite(invited, "Temp0rary!pw");
      const page = await signIn(invited, "Temp0rary!pw");

      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("New password", { exact: true }).fill("Chosen-Passw0rd");
      await page.getByLabel("Repeat the new password").fill("Chosen-Passw0rd!");
      await page.getByRole("button", { name: "Set password and sign in" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("The two passwords differ.");

      await page.getByLabel("Repeat the new password").fill("Chosen-Passw0rd");
      await page.getByRole("button", { name: "Set password and sign in" }).click();
      // Signed in with the new password; a member, so the console refuses them in words.
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      await expect(stack.signIn(invited, "Chosen-Passw0rd")).resolves.toBeTruthy();
    });

    it("shows a wrong password in words and stays on the sign-in page", async () => {
      const page = await signIn(stack.admin.email, "Wrong-password-1");

      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toBe("Incorrect email or password.");
      expect(await page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    });
  },
);
