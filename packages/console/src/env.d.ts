/// <reference types="vite/client" />

/** Build-time settings for a console deployed without a `config.json` next to it (see docs/console.md). */
interface ImportMetaEnv {
  readonly VITE_REGION?: string;
  readonly VITE_USER_POOL_ID?: string;
  readonly VITE_CLIENT_ID?: string;
  readonly VITE_COGNITO_ENDPOINT?: string;
  readonly VITE_API_BASE?: string;
  /** lifecycle.config.ts's `locales.supported`, comma-separated (`en,de,es`), and its default. */
  readonly VITE_LOCALES?: string;
  readonly VITE_DEFAULT_LOCALE?: string;
}
