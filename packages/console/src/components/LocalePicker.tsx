import { type FocusEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import { localeStore } from "../i18n/locale.ts";
import { useI18n } from "../i18n/useI18n.ts";

/** A language's name in that language ("Deutsch", "Español"), capitalised as a menu item. */
export function languageName(locale: string): string {
  let name: string;
  try {
    name = new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;
  } catch {
    name = locale;
  }
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/**
 * The console's language: a button that opens the list of configured languages (a disclosure,
 * so arrowing through options changes nothing; Tab, Enter and Escape work). The choice is kept
 * in localStorage. Hidden when only one language is configured.
 */
export function LocalePicker() {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const picker = useRef<HTMLDivElement>(null);
  const listId = useId();
  const offered = localeStore.getOffered();
  if (offered.length < 2) return null;
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  // Escape folds the list; focus leaving the picker (Tab past the last language, a click elsewhere) too.
  const keys = {
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    },
    onBlur: (event: FocusEvent) => {
      if (!picker.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
    },
  };
  return (
    <div className="locale-picker" ref={picker}>
      <button
        ref={toggle}
        type="button"
        className="button button-small locale-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
        {...keys}
      >
        <span className="visually-hidden">{t("locale.label")}: </span>
        <span lang={locale}>{languageName(locale)}</span>
      </button>
      <ul id={listId} className="locale-menu" hidden={!open} aria-label={t("locale.choose")}>
        {offered.map((code) => (
          <li key={code}>
            <button
              type="button"
              className="locale-option"
              lang={code}
              aria-pressed={code === locale}
              onClick={() => {
                localeStore.choose(code);
                close();
              }}
              {...keys}
            >
              {languageName(code)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
