import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason } from "./support/browser.ts";

const skipReason = browserSkipReason();

// Issue #19 defect 7 and issue #18 in the browser: the last active admin cannot take themselves
// out. "Last" counts every active admin of the pool, and the other browser test files each add
// admins to the shared stack, so these tests keep a stack of their own whose only admin is the
// bootstrap admin.
describe.skipIf(skipReason)(
  skipReason ?? "admin console in Chromium: the last active admin",
  { timeout: 90_000 },
  () => {
    const app = useAdminConsole("last-admin", { ownStack: true });
    let me: string;

    const userOf = async (sub: string) =>
      (await app.api("GET", `/users/${sub}`)).body as { user: { roles: string[]; status: string } };

    beforeAll(async () => {
      me = ((await app.api("GET", "/me")).body.sub as string) ?? "";
    }, 240_000);

    /** A tab of the admin's browser profile on their own user page (each tab signs in, with a code). */
    async function ownPage(): Promise<Page> {
      const page = await app.admin.open(`#/users/${me}`);
      await page.getByRole("heading", { name: app.stack.admin.email, exact: true }).waitFor();
      await page.getByRole("heading", { name: "Audit history" }).waitFor();
      return page;
    }

    // From console-safeguards.test.ts, which made a second admin and disabled them first.
    it("warns about your own account, asks to confirm, and refuses to remove the last active admin", async () => {
      const page = await ownPage();

      await page.getByRole("checkbox", { name: /^admin\b/ }).uncheck();
      await page.getByLabel("Reason (recorded in the audit log)").fill("Stepping down");
      await page.getByText("This is your own account").waitFor();
      const save = page.getByRole("button", { name: "Save roles" });
      expect(await save.getAttribute("aria-disabled")).toBe("true");
      await page.getByRole("checkbox", { name: "I am changing my own roles" }).check();
      await save.click();
      const refused = page.getByRole("alert").filter({ hasText: "last active admin" });
      await refused.waitFor();
      expect((await userOf(me)).user.roles).toContain("admin");

      await page.getByRole("button", { name: "Disable", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Disable this user?" });
      await dialog.getByText("This is your own account").waitFor();
      const confirm = dialog.getByRole("button", { name: "Disable user" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole("checkbox", { name: "Yes, disable my own account" }).check();
      await confirm.click();
      await page.getByRole("alert").filter({ hasText: "last active admin" }).waitFor();
      expect((await userOf(me)).user.status).toBe("active");
    });

    // From console-data.test.ts.
    it("keeps a refusal in the dialog: the last active admin cannot erase their own account", async () => {
      const page = await ownPage();
      await page.getByRole("heading", { name: "Personal data" }).waitFor();
      await page.getByRole("button", { name: "Erase personal data…" }).click();
      const dialog = page.getByRole("dialog", { name: "Erase this user's personal data?" });
      await dialog.getByText("This is your own account").waitFor();
      await dialog.getByLabel(/^Reason \(required/).fill("Ticket 1");
      const confirm = dialog.getByRole("button", { name: "Erase personal data" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole("checkbox", { name: "Yes, erase my own account" }).check();
      await confirm.click();
      await dialog.getByRole("alert").filter({ hasText: "last active admin" }).waitFor();
      expect(await dialog.getByLabel(/^Reason \(required/).inputValue()).toBe("Ticket 1");
      expect((await userOf(me)).user.status).toBe("active");
    });
  },
);
