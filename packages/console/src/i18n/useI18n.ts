import { createElement, Fragment, type ReactNode, useMemo, useSyncExternalStore } from "react";
import { localeStore } from "./locale.ts";
import type { MessageKey, ValuesArg } from "./messages.ts";
import { formatDateTime, formatNumber, messageParts, translate } from "./translate.ts";

/**
 * The current locale and its messages for a component, which re-renders when the admin picks
 * another language. `rich` fills placeholders with elements (a `<strong>` email, a link).
 */
export function useI18n() {
  // The server snapshot too: a page rendered to a string (the tests, a pre-render) reads the same locale.
  const locale = useSyncExternalStore(localeStore.subscribe, localeStore.getLocale, localeStore.getLocale);
  return useMemo(
    () => ({
      locale,
      t: <Key extends MessageKey>(key: Key, ...values: ValuesArg<Key>) => translate(locale, key, ...values),
      rich: <Key extends MessageKey>(key: Key, ...values: ValuesArg<Key, ReactNode>): ReactNode =>
        createElement(
          Fragment,
          null,
          ...messageParts<ReactNode>(locale, key, values[0] as Record<string, ReactNode> | undefined).map(
            (part, index) => createElement(Fragment, { key: index }, part),
          ),
        ),
      number: (value: number) => formatNumber(locale, value),
      dateTime: (iso: string) => formatDateTime(locale, iso),
    }),
    [locale],
  );
}
