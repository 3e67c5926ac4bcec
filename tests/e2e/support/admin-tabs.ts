import type { BrowserContext, Page } from "playwright-core";
import { totpCode } from "./totp.ts";

/** An account that signs in to the console with a password and then an authenticator code. */
export interface CodeAccount {
  email: string;
  password: string;
  totpSecret: string;
}

/** The sign-in form's first step: email and password, then Sign in. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Signs in on the console's form: the password, then the code the authenticator app shows now.
 * Returns once the code step is gone (the console is loading the view), so a caller that waits for
 * the view's heading does not find the code step's heading instead.
 */
export async function signInWithCode(page: Page, account: CodeAccount): Promise<void> {
  const codeStep = page.getByRole("heading", { name: "Enter your code" });
  await submitPassword(page, account.email, account.password);
  await codeStep.waitFor();
  await page.getByLabel("Authenticator code").fill(totpCode(account.totpSecret));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await codeStep.waitFor({ state: "detached" });
}

/**
 * An admin's tabs in one browser profile. The console keeps its session per tab, so each new tab
 * signs in (with a code) when it shows the sign-in form. Close them after each test.
 */
export class AdminTabs {
  readonly #opened: Page[] = [];

  constructor(
    /** The admin's browser profile, where tabs open unless a test passes another. */
    readonly context: BrowserContext,
    private readonly url: string,
    private readonly signIn: (page: Page) => Promise<void>,
  ) {}

  /** A new tab at `hash` (`#/users`, `#/users/<sub>`, ...), signed in, once the view has a heading. */
  async open(hash = "#/users", context = this.context): Promise<Page> {
    const page = this.keep(await context.newPage());
    await page.goto(`${this.url}/${hash}`);
    const signInForm = page.getByRole("heading", { name: "Sign in" });
    const signedIn = page.locator("#main h1");
    await signInForm.or(signedIn).first().waitFor();
    if (await signInForm.isVisible()) await this.signIn(page);
    await page.locator("#main h1").waitFor();
    return page;
  }

  /** A page opened another way (an inbox, a second profile's tab), closed with the tabs. */
  keep(page: Page): Page {
    this.#opened.push(page);
    return page;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#opened.splice(0).map((page) => page.close()));
  }
}
