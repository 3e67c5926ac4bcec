import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type AdminApi, adminApi } from "./admin-api.ts";
import { AdminTabs, signInWithCode } from "./admin-tabs.ts";
import { launchChromium } from "./browser.ts";
import { builtConsole, type ConsoleStack, startConsoleStack, useConsoleStack } from "./console-stack.ts";

export interface AdminConsoleOptions {
  /** The admin's browser profile (viewport, downloads); 1280 × 900 unless given. */
  profile?: BrowserContextOptions;
  /** A local stack of the file's own, whose only admin is its bootstrap admin, not the shared one. */
  ownStack?: boolean;
  /**
   * How a new tab signs the admin in. By default with the password and a code, TOTP having been
   * turned on through Cognito's API first; a file that has the console set TOTP up passes its own
   * (and then has no API token here).
   */
  signIn?: (page: Page) => Promise<void>;
}

function started<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not there yet: use it in a test or a later beforeAll`);
  return value;
}

/** What a browser test file works with, set up by `useAdminConsole`'s hooks. */
export class AdminConsole {
  #browser?: Browser;
  #stack?: ConsoleStack;
  #admin?: AdminTabs;
  #totpSecret?: string;
  #api?: AdminApi;

  get browser(): Browser {
    return started(this.#browser, "the browser");
  }
  get stack(): ConsoleStack {
    return started(this.#stack, "the stack");
  }
  /** The admin's tabs: `admin.open("#/…")` opens one, signed in. */
  get admin(): AdminTabs {
    return started(this.#admin, "the admin's tabs");
  }
  /** The admin's authenticator secret: admins sign in with TOTP, in the API and the console. */
  get totpSecret(): string {
    return started(this.#totpSecret, "the admin's authenticator secret");
  }
  /** The admin API with the admin's ID token, as a script or another admin uses it. */
  get api(): AdminApi {
    return started(this.#api, "the admin API");
  }

  async start(tag: string, options: AdminConsoleOptions): Promise<void> {
    this.#browser = await launchChromium();
    this.#stack = options.ownStack ? await startConsoleStack(builtConsole()) : await useConsoleStack(tag);
    const stack = this.#stack;
    let signIn = options.signIn;
    if (!signIn) {
      const totpSecret = await stack.enableTotp(stack.admin.email, stack.admin.password);
      const token = await stack.signInWithTotp(stack.admin.email, stack.admin.password, totpSecret);
      this.#totpSecret = totpSecret;
      this.#api = adminApi(stack.url, token);
      signIn = (page) => signInWithCode(page, { ...stack.admin, totpSecret });
    }
    const profile = await this.#browser.newContext(
      options.profile ?? { viewport: { width: 1280, height: 900 } },
    );
    this.#admin = new AdminTabs(profile, stack.url, signIn);
  }

  async closeTabs(): Promise<void> {
    await this.#admin?.closeAll();
  }

  async stop(): Promise<void> {
    await this.#browser?.close();
    await this.#stack?.stop();
  }
}

/**
 * A browser test file's Chromium, stack and admin: on the shared stack the file's own admin,
 * `<tag>.admin@example.com` (see useConsoleStack), with TOTP on, an API token and browser tabs.
 * Call it in the file's `describe`: it registers the hooks that start them before the file's own
 * `beforeAll`, close the tabs after each test and stop everything after the file.
 */
export function useAdminConsole(tag: string, options: AdminConsoleOptions = {}): AdminConsole {
  const fixture = new AdminConsole();
  beforeAll(() => fixture.start(tag, options), 240_000);
  afterEach(() => fixture.closeTabs());
  afterAll(() => fixture.stop(), 60_000);
  return fixture;
}
