import type { BrowserContext } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { standIn } from "../admin/cognito-stand-ins.ts";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason, sidewaysOverflow } from "./support/browser.ts";
import { tabTo } from "./support/keyboard.ts";

const password = "Passw0rd!account";
const skipReason = browserSkipReason();

// Issue #19 feature 4 in Chromium: the user page's Account section. cognito-local lacks
// AdminUserGlobalSignOut, AdminResetUserPassword and AdminSetUserMFAPreference: those calls are
// answered at the SDK call of the API's Cognito client (after the offline IAM check) and asserted there.
describe.skipIf(skipReason)(
  skipReason ?? "admin console account actions in Chromium",
  { timeout: 90_000 },
  () => {
    const app = useAdminConsole("account");
    const subs: Record<string, string> = {};

    beforeAll(async () => {
      await app.stack.signUp("sofia.account@example.com", password, "Sofía Account");
      await app.stack.signUp("tomas.account@example.com", password, "Tomás Account");
      await app.stack.enableTotp("tomas.account@example.com", password);
      // The stack is shared with the other browser test files: look up this file's users only.
      for (const email of ["sofia.account@example.com", "tomas.account@example.com", app.stack.admin.email]) {
        Object.assign(subs, await subsByEmail(app.api, email));
      }
    }, 240_000);

    const userPage = (email: string, context?: BrowserContext) =>
      app.admin.open(`#/users/${encodeURIComponent(subs[email] ?? "")}`, context);
    const client = () => app.stack.server.runtime.cognito.client;

    it("signs a user out everywhere with the keyboard only, audited, still active", async () => {
      const signOut = standIn(client(), "AdminUserGlobalSignOutCommand");
      try {
        const page = await userPage("sofia.account@example.com");
        await page.getByRole("heading", { name: "Account", exact: true }).waitFor();
        await tabTo(page, ({ text }) => text === "Sign out everywhere");
        await page.keyboard.press("Enter");
        const dialog = page.getByRole("dialog", { name: "Sign out everywhere?" });
        await dialog.waitFor();
        expect(await dialog.textContent()).toContain("sofia.account@example.com");
        // The dialog opens at its reason; Enter confirms.
        await page.keyboard.type("lost laptop");
        await page.keyboard.press("Enter");
        await page.getByRole("status").filter({ hasText: "Signed out everywhere" }).waitFor();
        expect(await dialog.count()).toBe(0);
        expect(signOut.calls).toHaveLength(1);
        const audit = page.getByRole("table", { name: /Audit history/ });
        await audit.getByText("user.signed-out").first().waitFor();
        expect(await page.getByText("active", { exact: true }).first().isVisible()).toBe(true);
      } finally {
        signOut.remove();
      }
    });

    it("marks the email verified, then resets the password (the code goes to the verified address)", async () => {
      const reset = standIn(client(), "AdminResetUserPasswordCommand");
      try {
        const page = await userPage("sofia.account@example.com");
        const section = page.getByRole("region", { name: "Account" });
        await section.getByText("Not verified").waitFor();
        // No verified address: no reset is offered, and the section says why.
        expect(await section.getByRole("button", { name: "Reset password" }).count()).toBe(0);
        await section.getByText("A reset needs a verified email").waitFor();

        await section.getByRole("button", { name: "Mark email verified" }).click();
        await page
          .getByRole("dialog", { name: "Mark this email verified?" })
          .getByRole("button", { name: "Mark verified" })
          .click();
        await page.getByRole("status").filter({ hasText: "Email marked verified." }).waitFor();
        await section.getByText("Verified (by an admin)").waitFor();

        await section.getByRole("button", { name: "Reset password" }).click();
        await page
          .getByRole("dialog", { name: "Reset this user's password?" })
          .getByRole("button", { name: "Reset password" })
          .click();
        await page
          .getByRole("status")
          .filter({ hasText: "Password reset: Cognito emailed a code to sofia.account@example.com" })
          .waitFor();
        expect(reset.calls).toHaveLength(1);
      } finally {
        reset.remove();
      }
    });

    it("shows a user's authenticator app and resets MFA", async () => {
      const setMfa = standIn(client(), "AdminSetUserMFAPreferenceCommand");
      try {
        const page = await userPage("tomas.account@example.com");
        const section = page.getByRole("region", { name: "Account" });
        await section.getByText("On: authenticator app").waitFor();
        await section.getByRole("button", { name: "Reset MFA" }).click();
        await page
          .getByRole("dialog", { name: "Reset MFA?" })
          .getByRole("button", { name: "Reset MFA" })
          .click();
        await page.getByRole("status").filter({ hasText: "MFA reset" }).waitFor();
        expect(setMfa.calls).toEqual([
          expect.objectContaining({ SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }),
        ]);
      } finally {
        setMfa.remove();
      }
    });

    it("your own account asks once more before signing you out everywhere", async () => {
      const page = await userPage(app.stack.admin.email);
      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      const dialog = page.getByRole("dialog", { name: "Sign out everywhere?" });
      await dialog.getByText("This is your own account.").waitFor();
      const confirm = dialog.getByRole("button", { name: "Sign out everywhere" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole("checkbox", { name: "Yes, do this to my own account" }).check();
      expect(await confirm.isDisabled()).toBe(false);
      await page.keyboard.press("Escape");
      expect(await dialog.count()).toBe(0);
    });

    // Issue #19 feature 5: post authentication's history on the user page; last sign-in in the listing.
    it("shows the user's recent sign-ins with their app client, and the last sign-in in the listing", async () => {
      await app.stack.signIn("sofia.account@example.com", password);
      await app.stack.signIn("sofia.account@example.com", password);
      const page = await userPage("sofia.account@example.com");
      const history = page.getByRole("table", { name: /Recent sign-ins of sofia\.account@example\.com/ });
      await history.waitFor();
      expect(await history.locator("tbody tr").count()).toBe(2);
      expect(await history.locator("tbody tr").first().textContent()).toContain(
        app.stack.stack.info.clientId,
      );
      const list = await app.admin.open("#/users?emailPrefix=sofia.account");
      const row = list.getByRole("table", { name: "Users, newest first" }).locator("tbody tr").first();
      await row.waitFor();
      expect(await row.locator("time").count()).toBeGreaterThanOrEqual(2);
    });

    it("at 390 px the Account section fits: every action reachable, no sideways scrolling", async () => {
      const narrow = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
      try {
        const page = await userPage("tomas.account@example.com", narrow);
        const section = page.getByRole("region", { name: "Account" });
        await section.getByRole("button", { name: "Sign out everywhere" }).waitFor();
        const overflow = await sidewaysOverflow(page);
        expect(overflow).toBeLessThanOrEqual(0);
        const box = await section.getByRole("button", { name: "Sign out everywhere" }).boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
      } finally {
        await narrow.close();
      }
    });
  },
);
