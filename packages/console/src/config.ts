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
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const requiredKeys = ["region", "userPoolId", "clientId", "apiBase"] as const;

type RawConfig = Partial<Record<keyof ConsoleConfig, unknown>>;

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
    },
    "the VITE_* build variables",
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
    throw new ConfigError(
      `The console is not configured: ${missing.join(", ")} missing from ${source}. See docs/console.md.`,
    );
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
  };
}
