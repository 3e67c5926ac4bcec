import type { UserDataExport } from "@cognito-lifecycle/aws";

/**
 * The app-side client of the self-service data-rights API (`DELETE /me`, `GET /me/export`):
 * what an app calls from its "Delete my account" and "Download my data" screens. Plain `fetch`,
 * no AWS SDK, so it runs in browsers, React Native and Node.
 */
export interface AccountClientOptions {
  /** The self-service API's base URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com`. */
  apiUrl: string;
  /** The signed-in user's Cognito access token, from a sign-in within `selfService.recentAuthSeconds`. */
  accessToken: string;
  fetch?: typeof fetch;
}

/** The API refused the request. `code` is stable: `recent_sign_in_required` means sign in again. */
export class AccountRequestError extends Error {
  override readonly name = "AccountRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(options: AccountClientOptions, method: "DELETE" | "GET", path: string): Promise<T> {
  const send = options.fetch ?? fetch;
  const response = await send(`${options.apiUrl.replace(/\/+$/, "")}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.accessToken}` },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok) {
    throw new AccountRequestError(
      response.status,
      body.error ?? "http_error",
      body.message ?? `Request failed (${response.status}).`,
    );
  }
  return body as T;
}

/** Deletes the signed-in user's account (Cognito user and our record). */
export function deleteAccount(options: AccountClientOptions): Promise<{ sub: string; status: "deleted" }> {
  return call(options, "DELETE", "/me");
}

/** The signed-in user's data, as the versioned export document. */
export function exportAccount(options: AccountClientOptions): Promise<UserDataExport> {
  return call(options, "GET", "/me/export");
}
