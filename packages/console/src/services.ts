import { ApiClient } from "./api.ts";
import { CognitoClient } from "./cognito.ts";
import type { ConsoleConfig } from "./config.ts";
import { Session } from "./session.ts";

export interface ConsoleServices {
  cognito: CognitoClient;
  session: Session;
  api: ApiClient;
}

/** One session per page load, created outside React so re-renders never start a second refresh timer. */
export function createServices(config: ConsoleConfig): ConsoleServices {
  const cognito = new CognitoClient(config);
  const key = `cognito-lifecycle.console.${config.clientId}`;
  // Tokens live in this tab's sessionStorage (see Session); drop what older versions left in localStorage.
  window.localStorage.removeItem(key);
  const session = new Session(cognito, window.sessionStorage, key);
  return { cognito, session, api: new ApiClient(config.apiBase, session) };
}
