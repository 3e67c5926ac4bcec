import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useAdminConsole } from "./support/admin-console.ts";
import { signInWithCode } from "./support/admin-tabs.ts";
import { browserSkipReason } from "./support/browser.ts";

const fixtures = join(import.meta.dirname, "../migration/fixtures");
const skipReason = browserSkipReason();

// Issue #15: the console's Import page against the local stack: dry run first, then the run.
describe.skipIf(skipReason)(
  skipReason ?? "admin console bulk import in Chromium",
  { timeout: 90_000 },
  () => {
    const app = useAdminConsole("import");
    let page: Page;

    beforeAll(async () => {
      page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${app.stack.url}/#/import`);
      await signInWithCode(page, { ...app.stack.admin, totpSecret: app.totpSecret });
      await page.getByRole("heading", { name: "Import users" }).waitFor();
    }, 240_000);

    it("a malformed file: the dry run lists every bad line and Import stays off", async () => {
      await page.getByLabel("File").setInputFiles(join(fixtures, "auth0-malformed.json"));
      await page.getByRole("button", { name: "Check (dry run)" }).click();
      const problems = page.getByRole("region", { name: /Nothing can be imported: 6 problem/u });
      await problems.waitFor();
      for (const line of [6, 7, 15, 22, 23, 24]) {
        expect(await problems.getByText(`Line ${line} `).count()).toBeGreaterThan(0);
      }
      expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
    });

    it("a good file: the dry run's counts, then the import and its summary", async () => {
      await page.getByLabel("File").setInputFiles(join(fixtures, "auth0-users.json"));
      await page.getByLabel(/Role map/u).fill('{"Admin": ["admin"]}');
      await page.getByRole("button", { name: "Check (dry run)" }).click();
      const dry = page.getByRole("region", { name: "Dry run: 4 user(s), nothing written" });
      await dry.waitFor();
      expect(await dry.getByRole("row", { name: "Would import 3" }).count()).toBe(1);
      expect(await dry.getByRole("row", { name: "Would skip, no usable hash 1" }).count()).toBe(1);
      expect(await app.stack.server.runtime.imports.credentials.get("u.star@example.com")).toBeUndefined();

      await page.getByRole("button", { name: "Import", exact: true }).click();
      const done = page.getByRole("region", { name: "Import finished: 4 user(s)" });
      await done.waitFor();
      expect(await done.getByRole("row", { name: "Imported 3" }).count()).toBe(1);
      expect(await done.getByRole("row", { name: "Skipped 1" }).count()).toBe(1);
      expect(await done.getByText("skipped: no usable hash").count()).toBe(1);
      expect(await app.stack.server.runtime.imports.credentials.get("u.star@example.com")).toMatchObject({
        roles: ["admin"],
        origin: "import:auth0",
      });
    });
  },
);
