import { readFileSync } from "node:fs";
import type { BrowserContext, Download, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { subsByEmail } from "./support/admin-api.ts";
import { useAdminConsole } from "./support/admin-console.ts";
import { browserSkipReason } from "./support/browser.ts";
import { tabTo } from "./support/keyboard.ts";

const password = "Passw0rd!console-data";
// The stack is shared with the other browser test files: this file's users all start with "data.".
const people = {
  grace: { email: "data.grace.hopper@example.com", name: "Grace Hopper" },
  alan: { email: "data.alan.turing@example.com", name: "Alan Turing" },
  edsger: { email: "data.edsger.dijkstra@example.com", name: "Edsger Dijkstra" },
};

interface UserExport {
  sub: string;
  record: { email?: string; name?: string };
  audit: { action: string }[];
  items: number;
}

interface InboxDelivery {
  webhookId?: string;
  verified: boolean | null;
  payload: { type: string; data?: { sub?: string } };
}

const skipReason = browserSkipReason();

// Issues #18 (export and erase) and #14 (the webhooks page) in Chromium, against the local stack
// and its webhook inbox: downloads, the erase dialog from the keyboard, refusals in place, 390 px.
describe.skipIf(skipReason)(
  skipReason ?? "admin console data rights and webhooks in Chromium",
  // Each test signs in with a code and drives a real stack; a shared 2-core machine is slow.
  { timeout: 120_000 },
  () => {
    const app = useAdminConsole("data", {
      profile: { viewport: { width: 1280, height: 900 }, acceptDownloads: true },
    });
    const subs: Record<string, string> = {};

    beforeAll(async () => {
      for (const [key, person] of Object.entries(people)) {
        await app.stack.signUp(person.email, password, person.name);
        subs[key] = (await subsByEmail(app.api, person.email))[person.email] ?? "";
      }
    }, 240_000);

    const userPage = async (sub: string, context?: BrowserContext) => {
      const page = await app.admin.open(`#/users/${sub}`, context);
      await page.getByRole("heading", { name: "Personal data" }).waitFor();
      return page;
    };

    async function exported(page: Page): Promise<{ download: Download; data: UserExport }> {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export data (JSON)" }).click(),
      ]);
      const path = await download.path();
      return { download, data: JSON.parse(readFileSync(path, "utf8")) as UserExport };
    }

    it("downloads a user's export as JSON named with the sub, holding their record and audit entries", async () => {
      const sub = subs.grace as string;
      const { version } = (await app.api("GET", `/users/${sub}`)).body.user as { version: number };
      const roles = await app.api("PATCH", `/users/${sub}/roles`, {
        add: ["support"],
        reason: "Helpdesk rota",
        expectedVersion: version,
      });
      expect(roles.status).toBe(200);
      const page = await userPage(sub);
      const { download, data } = await exported(page);
      expect(download.suggestedFilename()).toBe(`user-${sub}.json`);
      expect(data).toMatchObject({ sub, record: people.grace });
      expect(data.audit.map((entry) => entry.action)).toEqual(
        expect.arrayContaining(["user.created", "user.roles.set"]),
      );
      await page.getByText(`Exported ${data.items} items to user-${sub}.json.`).waitFor();
    });

    it("erases a user with the keyboard only: the tombstone shows, the row says deleted, a new export names nobody", async () => {
      const sub = subs.alan as string;
      const page = await userPage(sub);
      await tabTo(page, ({ text }) => text === "Erase personal data…");
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Erase this user's personal data?" });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(people.alan.email);
      expect(await dialog.textContent()).toContain(people.alan.name);
      const confirm = dialog.getByRole("button", { name: "Erase personal data" });
      expect(await confirm.isDisabled()).toBe(true);
      // The dialog starts at its first field: the reason.
      const reason = dialog.getByLabel(/^Reason \(required/);
      expect(await reason.evaluate((element) => element === document.activeElement)).toBe(true);
      await page.keyboard.type("Ticket 4711");
      await page.keyboard.press("Enter");
      await dialog.waitFor({ state: "detached" });
      await page.getByText(/^Erased: Cognito user deleted, \d+ audit entr(y|ies) cleared/).waitFor();
      await page.getByText("Personal data erased").waitFor();
      expect(await page.getByRole("button", { name: "Erase personal data…" }).count()).toBe(0);

      const { data } = await exported(page);
      const text = JSON.stringify(data);
      expect(text).not.toContain(people.alan.email);
      expect(text).not.toContain("Alan");
      expect(text).not.toContain("Turing");

      await page.goto(`${app.stack.url}/#/users?status=all`);
      const row = page.getByRole("row").filter({ has: page.locator(`a[href*="${sub}"]`) });
      await row.waitFor();
      expect(await row.textContent()).toContain("deleted");
      expect(await row.textContent()).not.toContain(people.alan.email);
    });

    const inboxUrl = () => app.stack.stack.info.endpoints.webhookInbox;

    /** The webhook endpoints the API lists that `matches` picks (the stack is shared). */
    async function endpointsWhere(matches: (endpoint: { url: string }) => boolean): Promise<unknown[]> {
      return ((await app.api("GET", "/webhooks")).body.items as { url: string }[]).filter(matches);
    }

    /** The inbox verifies what it receives with `secret` from now on. */
    async function inboxVerifiesWith(secret: string): Promise<void> {
      const response = await fetch(`${inboxUrl()}/endpoints/console`, {
        method: "PUT",
        body: JSON.stringify({ secret }),
      });
      expect(response.status).toBe(200);
    }

    async function inboxDeliveries(): Promise<InboxDelivery[]> {
      const response = await fetch(`${inboxUrl()}/deliveries?endpoint=console`);
      return ((await response.json()) as { deliveries: InboxDelivery[] }).deliveries;
    }

    async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
      for (let attempt = 0; attempt < 200; attempt++) {
        const value = await read();
        if (value !== undefined) return value;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`never happened: ${what}`);
    }

    /** Sends a test event from the endpoint's page; answers its event id once the page says delivered. */
    async function sendTest(page: Page): Promise<string> {
      await page.getByRole("button", { name: "Send test event" }).click();
      const said = page
        .getByRole("status")
        .filter({ hasText: /^Test event evt_test_\w+: delivered \(204\)/ });
      await said.waitFor();
      return /evt_test_\w+/.exec((await said.textContent()) ?? "")?.[0] ?? "";
    }

    it("shows the API's refusal of a bad URL next to the field and keeps what was typed", async () => {
      const page = await app.admin.open("#/webhooks");
      await page.getByRole("heading", { name: "Add an endpoint" }).waitFor();
      const url = page.getByLabel(/^URL/);
      await page.getByRole("checkbox", { name: "user.deleted" }).check();
      const refusals = [
        ["http://example.com/hook", "The webhook URL must use https."],
        ["https://10.0.0.1/hook", "The webhook URL points at"],
      ] as const;
      for (const [typed, message] of refusals) {
        await url.fill(typed);
        await page.getByRole("button", { name: "Add endpoint" }).click();
        const error = page.locator(".field-error", { hasText: message });
        await error.waitFor();
        expect(await url.inputValue()).toBe(typed);
        expect(await url.getAttribute("aria-invalid")).toBe("true");
        expect(await url.getAttribute("aria-describedby")).toBe(await error.getAttribute("id"));
        expect(await page.getByRole("checkbox", { name: "user.deleted" }).isChecked()).toBe(true);
      }
      // Nothing was added with a refused URL (other files' endpoints are not this test's).
      const refused = new Set<string>(refusals.map(([typed]) => typed));
      expect(await endpointsWhere((endpoint) => refused.has(endpoint.url))).toEqual([]);
    });

    it("adds the local inbox as an endpoint: the secret once, a test event delivered, types edited, rotated, replayed, disabled", async () => {
      const hookUrl = `${inboxUrl()}/hooks/console`;
      await app.admin.context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: app.stack.url,
      });
      const page = await app.admin.open("#/webhooks");
      await page.getByLabel(/^URL/).fill(hookUrl);
      await page.getByRole("checkbox", { name: "user.created" }).check();
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const shown = page.getByTestId("webhook-secret");
      await shown.waitFor();
      const secret = (await shown.textContent()) ?? "";
      expect(secret).toMatch(/^whsec_/);
      await page.getByRole("button", { name: "Copy secret" }).click();
      await page.getByText("Copied to the clipboard.").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await inboxVerifiesWith(secret);
      await page.getByRole("button", { name: "I have stored it" }).click();
      expect(await shown.count()).toBe(0);

      // Listed with its types, status and no attempt yet; the secret is never shown again.
      const row = page
        .getByRole("table", { name: "Webhook endpoints" })
        .getByRole("row")
        .filter({ hasText: hookUrl });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/user\.created.*active.*none yet/);
      expect(JSON.stringify((await app.api("GET", "/webhooks")).body)).not.toContain(secret);
      await row.getByRole("link", { name: hookUrl }).click();
      await page.getByRole("heading", { name: hookUrl }).waitFor();
      expect(await page.content()).not.toContain(secret);

      // A test event arrives, signed, and is listed as delivered.
      const testId = await sendTest(page);
      const attempts = page.getByRole("table", { name: "Delivery attempts, newest first" });
      await attempts
        .getByRole("row")
        .filter({ hasText: testId })
        .filter({ hasText: "delivered (204)" })
        .waitFor();
      expect((await inboxDeliveries()).find((entry) => entry.webhookId === testId)).toMatchObject({
        verified: true,
        payload: { type: "webhook.test" },
      });

      // The type filter.
      await page.getByRole("checkbox", { name: "user.deleted" }).check();
      await page.getByRole("button", { name: "Save event types" }).click();
      await page.getByText("Event types saved: user.created, user.deleted.").waitFor();

      // Rotation: the new secret once, and both secrets verify during the overlap.
      await page.getByRole("button", { name: "Rotate secret" }).click();
      await page.getByText("Both the old and the new secret are valid until").waitFor();
      const rotated = (await page.getByTestId("webhook-secret").textContent()) ?? "";
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      for (const each of [secret, rotated]) {
        await inboxVerifiesWith(each);
        const id = await sendTest(page);
        expect((await inboxDeliveries()).find((entry) => entry.webhookId === id)?.verified).toBe(true);
      }

      // Replay one event, then a time range around it.
      const since = Date.now() - 60_000;
      const sub = await app.stack
        .signUp("data.barbara.liskov@example.com", password, "Barbara Liskov")
        .then(async () => {
          const { body } = await app.api("GET", "/users?emailPrefix=data.barbara.liskov");
          return (body.items as { sub: string }[])[0]?.sub ?? "";
        });
      const createdFor = (entry: InboxDelivery) =>
        entry.payload.type === "user.created" && entry.payload.data?.sub === sub;
      const created = await eventually(
        async () => (await inboxDeliveries()).find(createdFor),
        "user.created delivered to the inbox",
      );
      const received = async () => (await inboxDeliveries()).filter(createdFor).length;
      await page.reload();
      await page.getByRole("button", { name: `Replay ${created.webhookId}` }).click();
      await page.getByText("Queued 1 event again.", { exact: false }).waitFor();
      await eventually(async () => ((await received()) >= 2 ? true : undefined), "the replayed event");
      const local = (ms: number) =>
        page.evaluate((value) => {
          const date = new Date(value);
          const pad = (n: number) => String(n).padStart(2, "0");
          return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
        }, ms);
      await page.getByLabel("From (your local time)").fill(await local(since));
      await page.getByLabel("To", { exact: true }).fill(await local(Date.now() + 60_000));
      await page.getByRole("button", { name: "Replay range" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: /^Queued \d+ events? again/ })
        .waitFor();
      await eventually(async () => ((await received()) >= 3 ? true : undefined), "the range's replay");

      // Disable, with a reason, and enable again.
      await page.getByRole("button", { name: "Disable", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Disable this endpoint?" });
      await dialog.getByLabel(/^Reason/).fill("receiver migration");
      await dialog.getByRole("button", { name: "Disable endpoint" }).click();
      await page.getByText("disabled by an admin: receiver migration").waitFor();
      await page.getByRole("button", { name: "Enable", exact: true }).click();
      await page.getByText("Endpoint enabled.", { exact: false }).waitFor();
      expect(await endpointsWhere((endpoint) => endpoint.url === hookUrl)).toMatchObject([
        { url: hookUrl, eventTypes: ["user.created", "user.deleted"], failures: { consecutive: 0 } },
      ]);
    }, 180_000);

    it("at 390 px the user page, the erase dialog and the webhook pages do not overflow", async () => {
      const phone = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
      try {
        const page = await userPage(subs.edsger as string, phone);
        const overflow = () =>
          page.evaluate(() => ({
            page: document.documentElement.scrollWidth - window.innerWidth,
            dialog: Math.max(
              0,
              ...[...document.querySelectorAll("dialog[open]")].map((d) => d.scrollWidth - d.clientWidth),
            ),
          }));
        expect(await overflow()).toEqual({ page: 0, dialog: 0 });
        await page.getByRole("button", { name: "Erase personal data…" }).click();
        await page.getByRole("dialog", { name: "Erase this user's personal data?" }).waitFor();
        expect(await overflow()).toEqual({ page: 0, dialog: 0 });
        await page.keyboard.press("Escape");
        await page.goto(`${app.stack.url}/#/webhooks`);
        await page.getByRole("table", { name: "Webhook endpoints" }).waitFor();
        expect(await overflow()).toEqual({ page: 0, dialog: 0 });
        await page.getByRole("table", { name: "Webhook endpoints" }).getByRole("link").first().click();
        await page.getByRole("table", { name: "Delivery attempts, newest first" }).waitFor();
        expect(await overflow()).toEqual({ page: 0, dialog: 0 });
      } finally {
        await phone.close();
      }
    });
  },
);
