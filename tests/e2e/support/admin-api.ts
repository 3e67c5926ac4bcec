/** The admin API's answer: its status and its JSON body. */
export interface ApiAnswer<Body> {
  status: number;
  body: Body;
}

export type AdminApi = <Body = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<ApiAnswer<Body>>;

/** The admin API (`<url>/api`) as a script or another admin uses it, with an admin's ID token. */
export function adminApi(url: string, token: string): AdminApi {
  return async <Body>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Body };
  };
}

/**
 * The subs of the users whose email starts with `emailPrefix`, by email (`query` adds to the
 * listing's, e.g. `&status=active`). The stack is shared: a file looks up its own users only.
 */
export async function subsByEmail(
  api: AdminApi,
  emailPrefix: string,
  query = "",
): Promise<Record<string, string>> {
  const { body } = await api<{ items: { sub: string; email?: string }[] }>(
    "GET",
    `/users?emailPrefix=${encodeURIComponent(emailPrefix)}${query}`,
  );
  return Object.fromEntries(body.items.flatMap((user) => (user.email ? [[user.email, user.sub]] : [])));
}
