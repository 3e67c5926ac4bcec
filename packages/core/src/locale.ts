/**
 * Choosing a locale, with no imports: the console's bundle takes this module alone
 * (`@cognito-lifecycle/core/locale`), the triggers and emails take it through core's index.
 */

/** Picks the best supported locale: exact, then language only, then the default. */
export function chooseLocale(
  candidates: readonly (string | undefined | null)[],
  supported: readonly string[],
  fallback: string,
): string {
  for (const candidate of candidates) {
    if (!candidate || typeof candidate !== "string") continue;
    const tag = candidate.trim().replace("_", "-");
    const exact = supported.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const language = tag.split("-")[0]?.toLowerCase();
    const byLanguage = supported.find((locale) => locale.split("-")[0]?.toLowerCase() === language);
    if (byLanguage) return byLanguage;
  }
  return fallback;
}
