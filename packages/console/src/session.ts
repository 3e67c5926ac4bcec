import { type CognitoClient, CognitoError, readClaims, type Tokens } from "./cognito.ts";
import { t } from "./i18n/locale.ts";

export type SessionState =
  | { status: "signed-out"; notice?: string }
  | { status: "signed-in"; email: string; tokens: Tokens };

/** Refresh this long before the ID token expires, so no request goes out with a dying token. */
const refreshMargin = 60_000;

/**
 * The admin's tokens, kept in the tab's sessionStorage: a reload keeps the session, but the
 * tokens (the 30-day refresh token above all) die with the tab, are never written to the
 * browser profile for later sessions and are not shared with other tabs. A script running on
 * the console's origin could read them either way (or use them from memory): the CSP is what
 * keeps such scripts out. The refresh token renews the ID token before it expires (on a timer,
 * before each request, and after a 401).
 */
export class Session {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<Tokens> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly cognito: CognitoClient,
    private readonly storage: Storage,
    private readonly key: string,
  ) {
    this.state = this.load();
    this.schedule();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): SessionState => this.state;

  start(tokens: Tokens): void {
    this.storage.setItem(this.key, JSON.stringify(tokens));
    this.set({ status: "signed-in", email: emailOf(tokens), tokens });
  }

  /** A valid ID token, refreshed first when it is about to expire. */
  async idToken(): Promise<string> {
    return (await this.fresh()).idToken;
  }

  /** A valid access token (for Cognito's own user calls: GetUser, MFA setup). */
  async accessToken(): Promise<string> {
    return (await this.fresh()).accessToken;
  }

  private async fresh(): Promise<Tokens> {
    const tokens = this.tokens();
    if (tokens.expiresAt - Date.now() > refreshMargin) return tokens;
    return this.refresh();
  }

  /** One refresh at a time; concurrent callers share it. Ends the session if Cognito refuses. */
  refresh(): Promise<Tokens> {
    if (!this.refreshing) {
      const { refreshToken } = this.tokens();
      this.refreshing = this.cognito
        .refresh(refreshToken)
        .then((tokens) => {
          if (this.state.status === "signed-in") this.start(tokens);
          return tokens;
        })
        .catch((error: unknown) => {
          if (error instanceof CognitoError && error.sessionEnded) {
            this.end(t("signIn.sessionEnded"));
          }
          throw error;
        })
        .finally(() => {
          this.refreshing = undefined;
        });
    }
    return this.refreshing;
  }

  /** Signs out here and revokes the refresh token at Cognito (best effort: the local copy goes anyway). */
  async signOut(notice = t("signIn.signedOut")): Promise<void> {
    const refreshToken = this.state.status === "signed-in" ? this.state.tokens.refreshToken : undefined;
    this.end(notice);
    if (refreshToken) await this.cognito.revoke(refreshToken).catch(() => undefined);
  }

  end(notice: string): void {
    this.storage.removeItem(this.key);
    this.set({ status: "signed-out", notice });
  }

  private tokens(): Tokens {
    if (this.state.status !== "signed-in") throw new CognitoError("SignedOut", t("cognito.signedOut"));
    return this.state.tokens;
  }

  private set(state: SessionState): void {
    this.state = state;
    this.schedule();
    for (const listener of this.listeners) listener();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.state.status !== "signed-in") return;
    const delay = Math.max(0, this.state.tokens.expiresAt - Date.now() - refreshMargin);
    // A failed background refresh is retried by the next request, which shows any error.
    this.timer = setTimeout(() => this.refresh().catch(() => undefined), delay);
  }

  private load(): SessionState {
    const stored = this.storage.getItem(this.key);
    if (!stored) return { status: "signed-out" };
    try {
      const tokens = JSON.parse(stored) as Partial<Tokens>;
      if (
        typeof tokens.idToken === "string" &&
        typeof tokens.accessToken === "string" &&
        typeof tokens.refreshToken === "string" &&
        typeof tokens.expiresAt === "number"
      ) {
        const valid = tokens as Tokens;
        return { status: "signed-in", email: emailOf(valid), tokens: valid };
      }
    } catch {
      // A damaged entry is treated as signed out.
    }
    this.storage.removeItem(this.key);
    return { status: "signed-out" };
  }
}

function emailOf(tokens: Tokens): string {
  const claims = readClaims(tokens.idToken);
  return typeof claims.email === "string" ? claims.email : "";
}
