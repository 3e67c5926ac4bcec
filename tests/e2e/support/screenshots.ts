/**
 * Screenshots of the console for the README: `npx tsx tests/e2e/support/screenshots.ts [outDir]`
 * (default docs/images). Starts the local stack on free ports with a few realistic users, signs
 * in as the bootstrap admin in headless Chromium, and saves the users page and a user page at
 * 1280 px wide. Also saves the other views (audit log, dialogs, 390 px) when given a directory.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { adminApi } from "./admin-api.ts";
import { signInWithCode, submitPassword } from "./admin-tabs.ts";
import { launchChromium } from "./browser.ts";
import { buildConsole, consoleDir, startConsoleStack } from "./console-stack.ts";

const outDir = resolve(process.argv[2] ?? join(consoleDir, "../../docs/images"));
const allViews = process.argv[2] !== undefined;
const password = "Passw0rd!docs";
const people = [
  { email: "margaret.hamilton@example.com", name: "Margaret Hamilton", roles: ["admin", "member"] },
  { email: "grace.hopper@example.com", name: "Grace Hopper", roles: ["member", "support"] },
  { email: "alan.turing@example.com", name: "Alan Turing", disable: true },
  { email: "katherine.johnson@example.com", name: "Katherine Johnson" },
  { email: "barbara.liskov@example.com", name: "Barbara Liskov", roles: ["member", "support"] },
  { email: "edsger.dijkstra@example.com", name: "Edsger Dijkstra" },
  { email: "frances.allen@example.com", name: "Frances Allen" },
  { email: "ken.thompson@example.com", name: "Ken Thompson" },
];

mkdirSync(outDir, { recursive: true });
const [dist, browser] = await Promise.all([buildConsole(), launchChromium()]);
const stack = await startConsoleStack(dist);
try {
  // The API and the console require TOTP of admins: turn it on for the bootstrap admin first.
  const totpSecret = await stack.enableTotp(stack.admin.email, stack.admin.password);
  const token = await stack.signInWithTotp(stack.admin.email, stack.admin.password, totpSecret);
  const call = adminApi(stack.url, token);
  const api = async (method: string, path: string, body?: unknown) => {
    const answer = await call<{ items: { sub: string; email?: string }[]; user: { version: number } }>(
      method,
      path,
      body,
    );
    if (answer.status >= 400)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  for (const person of people) await stack.signUp(person.email, password, person.name);
  for (const person of people.slice(0, 5)) await stack.signIn(person.email, password);
  const { items } = await api("GET", "/users?limit=100");
  const subOf = (email: string) => items.find((user) => user.email === email)?.sub ?? "";
  for (const person of people) {
    const sub = subOf(person.email);
    if (person.roles) {
      const { user } = await api("GET", `/users/${sub}`);
      await api("PATCH", `/users/${sub}/roles`, {
        roles: person.roles,
        expectedVersion: user.version,
        reason: person.roles.includes("admin") ? "Second administrator" : "Joins the support rota",
      });
    }
    if (person.disable) await api("POST", `/users/${sub}/disable`, { reason: "Left the company" });
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(stack.url);
  await signInWithCode(page, { ...stack.admin, totpSecret });
  await page.getByRole("table").waitFor();
  await shoot(page, "console-users.png", true);

  await page.getByRole("link", { name: "grace.hopper@example.com" }).click();
  await page.getByRole("heading", { name: "Audit history" }).waitFor();
  // The user page also has the recent sign-ins table: wait for the audit history's rows.
  await page.getByRole("table", { name: /^Audit history of/ }).waitFor();
  await shoot(page, "console-user.png", true);

  if (allViews) {
    const sub = subOf("grace.hopper@example.com");
    const { user } = await api("GET", `/users/${sub}`);
    await api("PATCH", `/users/${sub}/roles`, {
      roles: ["member"],
      expectedVersion: user.version,
      reason: "Rota ended",
    });
    await page.getByRole("checkbox", { name: /admin/ }).check();
    await page.getByLabel("Reason (recorded in the audit log)").fill("Covers for Margaret");
    await page.getByRole("button", { name: "Save roles" }).click();
    await page.getByText("Someone changed this user").waitFor();
    await shoot(page, "console-conflict.png", false);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").waitFor();
    await shoot(page, "console-delete-dialog.png", false);
    await page.keyboard.press("Escape");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("table").waitFor();
    await shoot(page, "console-audit.png", true);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("table").waitFor();
    await shoot(page, "console-users-390.png", false);
    await page.getByRole("link", { name: "alan.turing@example.com" }).click();
    await page.getByRole("heading", { name: "Audit history" }).waitFor();
    await shoot(page, "console-user-390.png", true);
    const member = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await member.goto(stack.url);
    await submitPassword(member, "ken.thompson@example.com", password);
    await member.getByRole("heading", { name: "Not allowed" }).waitFor();
    await shoot(member, "console-not-allowed-390.png", false);
  }
} finally {
  await browser.close();
  await stack.stop();
}

async function shoot(page: Page, name: string, fullPage: boolean): Promise<void> {
  // Let fonts and the last re-render settle; the mouse would otherwise leave a hover on a row.
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(outDir, name), fullPage, animations: "disabled" });
  console.log(`saved ${join(outDir, name)}`);
}
