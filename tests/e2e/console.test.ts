import { readFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminApi, subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { submitPassword } from "./support/admin-tabs.ts";
import { browserSkipReason } from "./support/browser.ts";
import { totpCode } from "./support/totp.ts";

const password = "Passw0rd!e2e";
// The stack is shared with the other browser test files: this file's users all start with "console.".
const people = {
  grace: { email: "console.grace.hopper@example.com", name: "Grace Hopper" },
  alan: { email: "console.alan.turing@example.com", name: "Alan Turing" },
  katherine: { email: "console.katherine.johnson@example.com", name: "Katherine Johnson" },
  edsger: { email: "console.edsger.dijkstra@example.com", name: "Edsger Dijkstra" },
  member: { email: "console.linus.member@example.com", name: "Linus Member" },
};

const skipReason = browserSkipReason();

// Browser steps wait on a busy 2-core machine; the generous limit is for the machine, not the console.
describe.skipIf(skipReason)(
  skipReason ?? "admin console in Chromium against the local stack",
  { timeout: 60_000 },
  () => {
    /** The file's admin and their browser profile: each test opens its own tab. */
    const app = useAdminConsole("console", {
      profile: { viewport: { width: 1280, height: 900 }, acceptDownloads: true },
      // The admin sets TOTP up in the console, at their first sign-in.
      signIn: async (page) => {
        await submitPassword(page, app.stack.admin.email, app.stack.admin.password);
        await passMfa(page, app.stack.admin.email, app.stack.admin.password);
      },
    });
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      for (const person of Object.values(people)) await app.stack.signUp(person.email, password, person.name);
    }, 240_000);

    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });

    /** Authenticator secrets by email: set up through the console the first time an admin signs in. */
    const totpSecrets = new Map<string, string>();

    /** Signs in through the form in a fresh browser profile. */
    async function signIn(email: string, secret: string): Promise<Page> {
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(app.stack.url);
      await submitPassword(page, email, secret);
      return page;
    }

    /**
     * After the password step of an admin: sets up TOTP the first time (then signs in again, as the
     * console asks), or answers the code challenge, until the Users page shows.
     */
    async function passMfa(page: Page, email: string, secret: string): Promise<void> {
      const setup = page.getByRole("heading", { name: "Set up your authenticator app" });
      const challenge = page.getByRole("heading", { name: "Enter your code" });
      const users = page.getByRole("heading", { name: "Users" });
      await setup.or(challenge).or(users).waitFor();
      if (await setup.isVisible()) {
        const key = (await page.getByTestId("totp-secret").textContent())?.replace(/\s/g, "") ?? "";
        totpSecrets.set(email, key);
        await page.getByLabel("Authenticator code").fill(totpCode(key));
        await page.getByRole("button", { name: "Turn on and sign in again" }).click();
        await page.getByText("Your authenticator app is set up.").waitFor();
        await submitPassword(page, email, secret);
        await challenge.waitFor();
      }
      if (await challenge.isVisible()) {
        await page.getByLabel("Authenticator code").fill(totpCode(totpSecrets.get(email) ?? ""));
        await page.getByRole("button", { name: "Verify and sign in" }).click();
      }
      await users.waitFor();
    }

    /** An admin's ID token from Cognito's API, answering the TOTP challenge as an app would. */
    function adminToken(email: string, secret: string): Promise<string> {
      return app.stack.signInWithTotp(email, secret, totpSecrets.get(email) ?? "");
    }

    /** A new tab of the admin's browser profile; the session is per tab, so each tab signs in (with a code). */
    async function asAdmin(): Promise<Page> {
      const page = await app.admin.open("");
      await page.getByRole("heading", { name: "Users" }).waitFor();
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
      return table.locator("tbody tr").evaluateAll((rows) =>
        rows.map((row) =>
          // The bulk selection's checkbox cell has no text: the row starts at the email.
          [...row.querySelectorAll("th, td:not(.select-cell)")].map((cell) => cell.textContent?.trim() ?? ""),
        ),
      );
    }

    it("signs the bootstrap admin in and finds a user by email prefix", async () => {
      const page = await asAdmin();
      expect(await page.getByRole("banner").textContent()).toContain(app.stack.admin.email);

      await searchUsers(page, "console.grace");

      const rows = await rowsOf(page, "Users, newest first");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(
        expect.arrayContaining([people.grace.email, people.grace.name, "member", "active"]),
      );
      expect(await page.getByText(/^Showing 1–1 · 1 user on this page/).count()).toBe(1);
      expect(new URL(page.url()).hash).toBe("#/users?emailPrefix=console.grace");
      expect(await page.title()).toBe("Users · User admin");
    });

    it("pages through users with next and previous", async () => {
      const page = await asAdmin();
      await page.goto(`${app.stack.url}/#/users?limit=2&emailPrefix=console.`);
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
      await openUser(page, people.grace.email);

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
      await page.getByLabel("Action").selectOption("user.roles.set");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.getByText(/event(s)? on this page/).waitFor();
      const audit = await rowsOf(page, "Audit events, newest first", "Joins the support rota");
      // Users and actors are named by email (issue #19 defect 4), the sub stays in the link's title.
      expect(audit).toContainEqual(
        expect.arrayContaining([people.grace.email, "user.roles.set", "Joins the support rota"]),
      );

      await page.reload();
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.getByRole("link", { name: people.grace.email }).first().click();
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
      await page.getByText("Disabled in Cognito; signing out everywhere failed").waitFor();
      await page.getByRole("button", { name: "Enable", exact: true }).waitFor();
      await expect(app.stack.signIn(people.alan.email, password)).rejects.toThrow();

      await page.getByRole("button", { name: "Enable", exact: true }).click();
      await page
        .getByRole("dialog", { name: "Enable this user?" })
        .getByRole("button", { name: "Enable user" })
        .click();
      await page.getByText("User enabled. They can sign in again.").waitFor();
      await page.getByRole("button", { name: "Disable", exact: true }).waitFor();
      await expect(app.stack.signIn(people.alan.email, password)).resolves.toBeTruthy();

      const history = await rowsOf(
        page,
        `Audit history of ${people.alan.email}, newest first`,
        "user.enabled",
      );
      expect(history.map((row) => row[1])).toEqual(expect.arrayContaining(["user.disabled", "user.enabled"]));
    });

    it("exports the users of the current filter as CSV", async () => {
      const page = await asAdmin();
      await searchUsers(page, "console.grace");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const csv = await readFile(await download.path(), "utf8");
      const lines = csv.trim().split(/\r?\n/);

      expect(download.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
      // String#trim drops a leading U+FEFF, so the byte-order mark is checked on the raw file.
      expect(csv.startsWith("\uFEFF")).toBe(true);
      expect(lines[0]).toBe("sub,email,name,roles,status,source,createdAt,lastSignInAt");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(people.grace.email);
      await page.getByText(/^Exported 1 user to users-/).waitFor();
    });

    it("explains a conflicting role change and re-applies it to the current version", async () => {
      const page = await asAdmin();
      const sub = await openUser(page, people.katherine.email);

      // Another admin changes the roles while this page shows the old version.
      const api = adminApi(app.stack.url, await adminToken(app.stack.admin.email, app.stack.admin.password));
      const before = await api<{ user: { version: number } }>("GET", `/users/${sub}`);
      const changed = await api("PATCH", `/users/${sub}/roles`, {
        roles: ["admin", "member"],
        expectedVersion: before.body.user.version,
        reason: "Elsewhere",
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
      // The checkboxes show the current roles until the change is re-applied to them (#19 defect 1).
      expect(await page.getByRole("checkbox", { name: /support/ }).isChecked()).toBe(false);
      await page.getByRole("button", { name: "Re-apply my change" }).click();
      expect(await page.getByRole("checkbox", { name: /support/ }).isChecked()).toBe(true);

      await page.getByRole("button", { name: "Save roles" }).click();
      await page.getByText("Roles saved: admin, member, support.").waitFor();
      expect(await page.getByRole("checkbox", { name: /admin/ }).isChecked()).toBe(true);
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
      await expect(app.stack.signIn(people.edsger.email, password)).rejects.toThrow();

      await page.getByRole("link", { name: "All users" }).click();
      await page.getByLabel("Email starts with").fill("console.");
      await page.getByLabel("Status").selectOption("deleted");
      await page.getByText(/^Showing 1–1 · 1 user on this page \(1 deleted\)/).waitFor();
      const rows = await rowsOf(page, "Users, newest first");
      expect(rows[0]).toEqual(expect.arrayContaining([people.edsger.email, "deleted"]));
    });

    it("keeps the session across a reload, refreshes a rejected token, and signs out", async () => {
      const page = await signIn(app.stack.admin.email, app.stack.admin.password);
      await passMfa(page, app.stack.admin.email, app.stack.admin.password);
      const key = `cognito-lifecycle.console.${app.stack.stack.info.clientId}`;
      // The tokens live in the tab's sessionStorage; nothing is left in localStorage.
      expect(await page.evaluate((storageKey) => localStorage.getItem(storageKey), key)).toBeNull();

      // A token the API rejects (bad signature) makes the console refresh it and retry.
      const tampered = await page.evaluate((storageKey) => {
        const tokens = JSON.parse(sessionStorage.getItem(storageKey) ?? "{}") as { idToken: string };
        tokens.idToken = `${tokens.idToken.slice(0, -4)}AAAA`;
        sessionStorage.setItem(storageKey, JSON.stringify(tokens));
        return tokens.idToken;
      }, key);
      await page.reload();
      await page.getByRole("table", { name: "Users, newest first" }).waitFor();
      const stored = await page.evaluate((storageKey) => sessionStorage.getItem(storageKey), key);
      expect(stored).not.toContain(tampered);
      expect(await page.evaluate((storageKey) => localStorage.getItem(storageKey), key)).toBeNull();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByText("You have signed out.").waitFor();
      expect(await page.evaluate((storageKey) => sessionStorage.getItem(storageKey), key)).toBeNull();
    });

    it("makes a new admin set up an authenticator app, then asks for a code at every sign-in", async () => {
      const email = "console.mfa.admin@example.com";
      await app.stack.signUp(email, password, "Mfa Admin");
      // Promote them through the API (group roles do not reach cognito-local's token events).
      await asAdmin();
      const api = adminApi(app.stack.url, await adminToken(app.stack.admin.email, app.stack.admin.password));
      const sub = (await subsByEmail(api, email))[email] ?? "";
      const { body } = await api<{ user: { version: number } }>("GET", `/users/${sub}`);
      const promoted = await api("PATCH", `/users/${sub}/roles`, {
        roles: ["admin", "member"],
        expectedVersion: body.user.version,
        reason: "MFA test",
      });
      expect(promoted.status).toBe(200);
      // The API refuses an admin token from an account without TOTP, whatever its role claim says.
      const passwordOnly = await app.stack.signIn(email, password);
      const refused = await fetch(`${app.stack.url}/api/me`, {
        headers: { Authorization: `Bearer ${passwordOnly}` },
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe("mfa_required");

      const page = await signIn(email, password);
      await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
      await page.getByLabel("Authenticator code").fill("000000");
      await page.getByRole("button", { name: "Turn on and sign in again" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("That code is not right.");
      await passMfa(page, email, password);
      expect(await page.getByRole("banner").textContent()).toContain(email);

      // A later sign-in asks for the code; a wrong one is refused in words.
      const again = await signIn(email, password);
      await again.getByRole("heading", { name: "Enter your code" }).waitFor();
      await again
        .getByLabel("Authenticator code")
        .fill(totpCode(totpSecrets.get(email) ?? "", Date.now() - 300_000));
      await again.getByRole("button", { name: "Verify and sign in" }).click();
      expect(await again.getByRole("alert").textContent()).toContain("That code is not right.");
      await passMfa(again, email, password);
      await expect(app.stack.signIn(email, password)).rejects.toThrow();
    });

    it("serves the console with a Content-Security-Policy it runs under without violations", async () => {
      const violations: string[] = [];
      const page = app.admin.keep(await app.admin.context.newPage());
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const response = await page.goto(app.stack.url);
      const header = response?.headers()["content-security-policy"] ?? "";
      expect(header).toContain("default-src 'none'");
      expect(header).toContain("script-src 'self'");
      expect(header).toContain(
        `connect-src 'self' ${new URL(app.stack.stack.info.endpoints.cognito).origin}`,
      );
      expect(header).toContain("frame-ancestors 'none'");
      const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      expect(meta).toContain("script-src 'self'");
      expect(meta).toContain("object-src 'none'");

      await submitPassword(page, app.stack.admin.email, app.stack.admin.password);
      await passMfa(page, app.stack.admin.email, app.stack.admin.password);
      await searchUsers(page, "console.grace");
      expect(violations).toEqual([]);
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
      const invited = "console.ada.invited@example.com";
      await app.stack.invite(invited, "Temp0rary!pw");
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
      await expect(app.stack.signIn(invited, "Chosen-Passw0rd")).resolves.toBeTruthy();
    });

    it("shows a wrong password in words and stays on the sign-in page", async () => {
      const page = await signIn(app.stack.admin.email, "Wrong-password-1");

      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toBe("Incorrect email or password.");
      expect(await page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    });
  },
);
