import { chooseLocale } from "@cognito-lifecycle/core/locale";
import type { MessageKey, ValuesArg } from "./messages.ts";
import { catalogues, hasCatalogue, translate } from "./translate.ts";

/** What lifecycle.config.ts's `locales` says, as `config.json` or the build variables pass it on. */
export interface LocaleSettings {
  default: string;
  supported: readonly string[];
}

/** The admin's own choice, per browser profile: not personal data, and it should outlast the tab. */
export const localeStorageKey = "cognito-lifecycle.console.locale";

/** The configured locales the console has text for, and the default among them. */
export function offeredLocales(settings: LocaleSettings): LocaleSettings {
  const supported = settings.supported.filter(hasCatalogue);
  const offered = supported.length > 0 ? supported : ["en"];
  return {
    supported: offered,
    default: offered.includes(settings.default) ? settings.default : (offered[0] as string),
  };
}

/** The admin's choice if still offered, else the browser's preferred language if offered, else the default. */
export function resolveLocale(
  settings: LocaleSettings,
  stored: string | null | undefined,
  browser: readonly string[],
): string {
  const offered = offeredLocales(settings);
  if (stored && offered.supported.includes(stored)) return stored;
  return chooseLocale(browser, offered.supported, offered.default);
}

/** Before config.json is read (its error page): every catalogue, English by default. */
const beforeConfig: LocaleSettings = { default: "en", supported: Object.keys(catalogues) };

/**
 * The console's current locale: one per page, outside React so that modules without components
 * (the Cognito and API clients' messages) use it too. Sets `<html lang>` whenever it changes.
 */
class LocaleStore {
  private settings = offeredLocales(beforeConfig);
  private locale = "en";
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getLocale = (): string => this.locale;

  readonly getOffered = (): readonly string[] => this.settings.supported;

  /** Applies the configured locales (called again once config.json is read). */
  configure(settings: LocaleSettings = beforeConfig): void {
    this.settings = offeredLocales(settings);
    this.set(resolveLocale(this.settings, readStored(), browserLanguages()));
  }

  /** The admin picked a language: remembered in this browser. */
  choose(locale: string): void {
    if (!this.settings.supported.includes(locale)) return;
    try {
      localStorage.setItem(localeStorageKey, locale);
    } catch {
      // Storage blocked: the choice lasts until the page is reloaded.
    }
    this.set(locale);
  }

  private set(locale: string): void {
    document.documentElement.lang = locale;
    if (locale === this.locale) return;
    this.locale = locale;
    for (const listener of this.listeners) listener();
  }
}

function readStored(): string | null {
  try {
    return localStorage.getItem(localeStorageKey);
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export const localeStore = new LocaleStore();

/** A message in the current locale, for code outside components (errors, notices). */
export function t<Key extends MessageKey>(key: Key, ...values: ValuesArg<Key>): string {
  return translate(localeStore.getLocale(), key, ...values);
}
