import { type LocaleSettings, t } from "./i18n/locale.ts";

/** Where the console finds the pool and the admin API. */
export interface ConsoleConfig {
  region: string;
  userPoolId: string;
  /** The app client the console signs in with (no secret, USER_PASSWORD_AUTH allowed). */
  clientId: string;
  /** Cognito's API endpoint; the regional AWS endpoint when not given. */
  cognitoEndpoint: string;
  /** Base URL of the admin API, absolute or relative to the page (`/api` in the local stack). */
  apiBase: string;
  /** lifecycle.config.ts's `locales`: the languages the console offers and its default. */
  locales: LocaleSettings;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const requiredKeys = ["region", "userPoolId", "clientId", "apiBase"] as const;

type RawConfig = Partial<Record<keyof ConsoleConfig, unknown>>;

/** Without a `locales` value: every language the console has, English first. */
const defaultLocales: LocaleSettings = { default: "en", supported: ["en", "de", "es"] };

/**
 * `config.json` next to the page wins (the local stack writes it); otherwise the VITE_* values
 * baked in at build time, which is how a static deployment on AWS is configured.
 */
export async function loadConfig(): Promise<ConsoleConfig> {
  const fromFile = await fetchConfigFile();
  if (fromFile) return validate(fromFile, "config.json");
  return validate(
    {
      region: import.meta.env.VITE_REGION,
      userPoolId: import.meta.env.VITE_USER_POOL_ID,
      clientId: import.meta.env.VITE_CLIENT_ID,
      cognitoEndpoint: import.meta.env.VITE_COGNITO_ENDPOINT,
      apiBase: import.meta.env.VITE_API_BASE,
      locales: import.meta.env.VITE_LOCALES
        ? {
            default: import.meta.env.VITE_DEFAULT_LOCALE ?? "en",
            supported: import.meta.env.VITE_LOCALES.split(","),
          }
        : undefined,
    },
    t("config.buildVariables"),
  );
}

async function fetchConfigFile(): Promise<RawConfig | undefined> {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null ? (body as RawConfig) : undefined;
  } catch {
    // No file, or a dev server answering with HTML: fall back to the build variables.
    return undefined;
  }
}

export function validate(raw: RawConfig, source: string): ConsoleConfig {
  const missing = requiredKeys.filter((key) => typeof raw[key] !== "string" || raw[key] === "");
  if (missing.length > 0) {
    throw new ConfigError(t("config.missing", { keys: missing.join(", "), source }));
  }
  const region = raw.region as string;
  const endpoint =
    typeof raw.cognitoEndpoint === "string" && raw.cognitoEndpoint !== "" ? raw.cognitoEndpoint : "";
  return {
    region,
    userPoolId: raw.userPoolId as string,
    clientId: raw.clientId as string,
    cognitoEndpoint: endpoint || `https://cognito-idp.${region}.amazonaws.com/`,
    apiBase: (raw.apiBase as string).replace(/\/+$/, ""),
    locales: localesOf(raw.locales),
  };
}

/** `locales` as lifecycle.config.ts has it; anything malformed means the defaults. */
function localesOf(raw: unknown): LocaleSettings {
  const value = raw as Partial<Record<keyof LocaleSettings, unknown>> | undefined;
  const supported = Array.isArray(value?.supported)
    ? value.supported.filter((locale): locale is string => typeof locale === "string" && locale !== "")
    : [];
  if (supported.length === 0) return defaultLocales;
  const fallback = typeof value?.default === "string" ? value.default : (supported[0] as string);
  return { default: fallback, supported };
}
