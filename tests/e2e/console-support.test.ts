import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { signInWithCode } from "./support/admin-tabs.ts";
import { browserSkipReason, sidewaysOverflow } from "./support/browser.ts";

const password = "Passw0rd!support";
const supportEmail = "sam.support@example.com";
const skipReason = browserSkipReason();

/** Every control that changes a user: a support caller (users:read, profile:read) sees none. */
const actionButtons = [
  "Resync from Cognito",
  "Resend invite",
  "Disable",
  "Enable",
  "Delete",
  "Erase personal data",
  "Save roles",
  "Sign out everywhere",
  "Reset password",
  "Mark email verified",
  "Reset MFA",
  "Invite user",
];

// Issue #19 feature 8 in Chromium: the `support` role reads, searches and exports; no actions.
describe.skipIf(skipReason)(
  skipReason ?? "read-only console for support in Chromium",
  { timeout: 120_000 },
  () => {
    const app = useAdminConsole("support");
    let page: Page;
    let supportSecret: string;

    beforeAll(async () => {
      await app.stack.signUp("olga.support@example.com", password, "Olga Petrova");
      await app.stack.signUp(supportEmail, password, "Sam Support");
      const sam = (await subsByEmail(app.api, supportEmail))[supportEmail] ?? "";
      const seen = await app.api<{ user: { version: number } }>("GET", `/users/${sam}`);
      const granted = await app.api("PATCH", `/users/${sam}/roles`, {
        add: ["support"],
        remove: ["member"],
        reason: "support desk",
        expectedVersion: seen.body.user.version,
      });
      expect(granted.status).toBe(200);
      supportSecret = await app.stack.enableTotp(supportEmail, password);
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
    }, 240_000);

    async function expectNoActions(): Promise<void> {
      for (const name of actionButtons) {
        expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
      }
    }

    it("signs support in (with TOTP): users listed, no Invite, no Audit log, Webhooks or Import", async () => {
      await page.goto(`${app.stack.url}/#/users`);
      await signInWithCode(page, { email: supportEmail, password, totpSecret: supportSecret });
      await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Users" }).waitFor();
      for (const name of ["Audit log", "Webhooks", "Import"]) {
        expect(await nav.getByRole("link", { name }).count(), name).toBe(0);
      }
      await expectNoActions();
      await page.goto(`${app.stack.url}/#/import`);
      await page.getByText("This page needs the users:import permission").waitFor();
      await page.goto(`${app.stack.url}/#/users`);
    });

    it("searches, exports the filter as CSV, opens a user read-only and exports their JSON", async () => {
      await page.getByLabel("Email starts with").fill("olga");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText(/^Showing 1–/).waitFor();
      const [csvDownload] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const csv = await readFile(await csvDownload.path(), "utf8");
      expect(csv).toContain("olga.support@example.com");

      await page.getByRole("link", { name: "olga.support@example.com" }).click();
      await page.getByRole("heading", { name: "olga.support@example.com" }).waitFor();
      await page.getByRole("heading", { name: "Audit history" }).waitFor();
      const roles = page.getByRole("region", { name: "Roles" });
      await roles.getByText("Your roles let you see roles, not change them.").waitFor();
      expect(await roles.getByRole("checkbox").count()).toBe(0);
      await expectNoActions();
      const [jsonDownload] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export data (JSON)" }).click(),
      ]);
      const exported = JSON.parse(await readFile(await jsonDownload.path(), "utf8")) as {
        record: { email?: string };
      };
      expect(exported.record.email).toBe("olga.support@example.com");
    });

    it("at 390 px the read-only user page fits and still has no actions", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.getByRole("heading", { name: "olga.support@example.com" }).waitFor();
      await page.getByRole("button", { name: "Export data (JSON)" }).waitFor();
      const overflow = await sidewaysOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      await expectNoActions();
    });
  },
);
