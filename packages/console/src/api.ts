import { CognitoError } from "./cognito.ts";
import { t } from "./i18n/locale.ts";
import type { PlainKey } from "./i18n/messages.ts";
import type { Session } from "./session.ts";
import type { LastChange, UserRecord } from "./types.ts";

/** An answer from the admin API other than 2xx, carrying the API's own sentence. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** On 409: the record as it is now. */
    readonly current?: UserRecord,
    /** On a stale version's 409: who changed the record last, and when. */
    readonly lastChange?: LastChange,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
}

const fallbackMessages: Record<number, PlainKey> = {
  400: "api.status400",
  401: "signIn.sessionEnded",
  403: "api.status403",
  404: "api.status404",
  409: "api.status409",
  500: "api.status500",
};

/** Calls the admin API with the admin's ID token; after a 401 it refreshes the token and retries once. */
export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly session: Session,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>("GET", path, { query });
  }

  send<T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
    return this.json<T>(method, path, { body: body ?? {} });
  }

  /** A file the API streams (CSV), as a Blob the page can offer for download; a body makes it a POST. */
  async download(path: string, query?: Query, body?: unknown): Promise<Blob> {
    const response = await this.fetch(body === undefined ? "GET" : "POST", path, { query, body });
    return response.blob();
  }

  private async json<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const response = await this.fetch(method, path, options);
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, options: RequestOptions): Promise<Response> {
    let response = await this.attempt(method, path, options, await this.token(() => this.session.idToken()));
    if (response.status === 401) {
      response = await this.attempt(method, path, options, await this.token(() => this.refreshed()));
      if (response.status === 401) this.session.end(t("signIn.sessionEnded"));
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  private async refreshed(): Promise<string> {
    return (await this.session.refresh()).idToken;
  }

  private async token(get: () => Promise<string>): Promise<string> {
    try {
      return await get();
    } catch (error) {
      if (error instanceof CognitoError) throw new ApiError(401, "unauthorized", error.message);
      throw error;
    }
  }

  private async attempt(
    method: string,
    path: string,
    options: RequestOptions,
    token: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    try {
      return await fetch(`${this.base}${path}${queryString(options.query)}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch {
      throw new ApiError(0, "network", t("api.unreachable", { base: this.base }));
    }
  }
}

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): fall back to a sentence for the status.
  }
  const fallback = fallbackMessages[response.status];
  const message =
    typeof body.message === "string" && body.message !== ""
      ? body.message
      : fallback
        ? t(fallback)
        : t("api.statusOther", { status: String(response.status) });
  const fields =
    typeof body.fields === "object" && body.fields !== null ? (body.fields as Record<string, string>) : {};
  const current =
    typeof body.current === "object" && body.current !== null ? (body.current as UserRecord) : undefined;
  const lastChange =
    typeof body.lastChange === "object" && body.lastChange !== null
      ? (body.lastChange as LastChange)
      : undefined;
  const code = typeof body.error === "string" ? body.error : `http_${response.status}`;
  return new ApiError(response.status, code, message, fields, current, lastChange);
}
