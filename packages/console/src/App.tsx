import { useEffect, useRef, useSyncExternalStore } from "react";
import { type ApiClient, ApiError } from "./api.ts";
import type { CognitoClient } from "./cognito.ts";
import { AuthCard } from "./components/AuthCard.tsx";
import { LocalePicker } from "./components/LocalePicker.tsx";
import { ErrorNotice, Loading } from "./components/Notice.tsx";
import { AppContext, type AppServices, useApp } from "./context.tsx";
import { useI18n } from "./i18n/useI18n.ts";
import { useLoad } from "./load.ts";
import { AuditPage } from "./pages/Audit.tsx";
import { ImportPage } from "./pages/Import.tsx";
import { MfaSetup } from "./pages/MfaSetup.tsx";
import { NotAllowed } from "./pages/NotAllowed.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { UserPage } from "./pages/User.tsx";
import { UsersPage } from "./pages/Users.tsx";
import { WebhookPage } from "./pages/Webhook.tsx";
import { WebhooksNotAllowed, WebhooksPage } from "./pages/Webhooks.tsx";
import { allows } from "./permissions.ts";
import { href, parseHash, useHash } from "./route.ts";
import type { ConsoleServices } from "./services.ts";
import type { Session } from "./session.ts";
import type { Me, RoleInfo } from "./types.ts";

export function App({ services: { cognito, session, api } }: { services: ConsoleServices }) {
  const state = useSyncExternalStore(session.subscribe, session.getState);

  if (state.status === "signed-out")
    return <SignIn cognito={cognito} session={session} notice={state.notice} />;
  return <Gate key={state.email} api={api} cognito={cognito} session={session} email={state.email} />;
}

/**
 * Callers whose roles grant an admin API permission (admin, support), and only with an
 * authenticator app: without TOTP they are asked to set it up first (the API answers
 * `mfa_required`, or GetUser shows no TOTP). `GET /me` answers 403 for anyone else, who gets a
 * page saying so.
 */
function Gate({
  api,
  cognito,
  session,
  email,
}: {
  api: ApiClient;
  cognito: CognitoClient;
  session: Session;
  email: string;
}) {
  const { t } = useI18n();
  const access = useLoad("access", async () => {
    try {
      const [me, roles] = await Promise.all([api.get<Me>("/me"), api.get<{ roles: RoleInfo[] }>("/roles")]);
      // The console asks for TOTP even where the API does not (a local API without requireAdminMfa).
      if (!(await cognito.hasTotp(await session.accessToken()))) return { allowed: "mfa-setup" as const };
      return { allowed: true as const, me, roles: roles.roles };
    } catch (error) {
      if (error instanceof ApiError && error.code === "mfa_required")
        return { allowed: "mfa-setup" as const };
      if (error instanceof ApiError && error.status === 403)
        return { allowed: false as const, reason: error.message };
      throw error;
    }
  });

  // While "Check again" runs, the Not allowed page stays up (busy) so it can report the outcome.
  const previous = access.status === "loading" ? access.previous : undefined;
  if (access.status === "loading" && (!previous || previous.allowed)) {
    return (
      <main id="main" className="auth">
        <Loading label={t("access.checking")} />
      </main>
    );
  }
  if (access.status === "error") {
    return (
      <AuthCard>
        <h1>{t("access.cannotStart")}</h1>
        <ErrorNotice>{access.message}</ErrorNotice>
        <div className="actions">
          <button type="button" className="button button-primary" onClick={access.reload}>
            {t("common.tryAgain")}
          </button>
          <button type="button" className="button" onClick={() => void session.signOut()}>
            {t("common.signOut")}
          </button>
        </div>
      </AuthCard>
    );
  }
  const data = access.status === "ready" ? access.data : previous;
  if (!data) return null;
  if (data.allowed === "mfa-setup") {
    return <MfaSetup cognito={cognito} session={session} email={email} />;
  }
  if (!data.allowed) {
    return (
      <NotAllowed
        session={session}
        email={email}
        reason={data.reason}
        checking={access.status === "loading"}
        onRetry={access.reload}
      />
    );
  }
  const services: AppServices = { api, session, me: data.me, roles: data.roles };
  return (
    <AppContext.Provider value={services}>
      <Layout />
    </AppContext.Provider>
  );
}

function Layout() {
  const { session, me } = useApp();
  const { t } = useI18n();
  const route = parseHash(useHash());
  const section = route.path.startsWith("/audit")
    ? "audit"
    : route.path.startsWith("/webhooks")
      ? "webhooks"
      : route.path.startsWith("/import")
        ? "import"
        : "users";
  const firstPath = useRef(route.path);

  // Moving between views is a page change for keyboard and screen-reader users: focus the new view.
  useEffect(() => {
    if (route.path === firstPath.current) return;
    firstPath.current = "";
    document.getElementById("main")?.focus();
  }, [route.path]);

  return (
    <>
      <button type="button" className="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        {t("nav.skip")}
      </button>
      <header className="topbar">
        <a className="brand" href={href("/users")}>
          {t("app.name")}
        </a>
        <nav aria-label={t("nav.label")}>
          <ul>
            <li>
              <a href={href("/users")} aria-current={section === "users" ? "page" : undefined}>
                {t("nav.users")}
              </a>
            </li>
            {allows(me, "audit:read") ? (
              <li>
                <a href={href("/audit")} aria-current={section === "audit" ? "page" : undefined}>
                  {t("nav.audit")}
                </a>
              </li>
            ) : null}
            {allows(me, "webhooks:manage") ? (
              <li>
                <a href={href("/webhooks")} aria-current={section === "webhooks" ? "page" : undefined}>
                  {t("nav.webhooks")}
                </a>
              </li>
            ) : null}
            {allows(me, "users:import") ? (
              <li>
                <a href={href("/import")} aria-current={section === "import" ? "page" : undefined}>
                  {t("nav.import")}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          <LocalePicker />
          <span className="account-email" title={me.sub}>
            {me.email ?? me.sub}
          </span>
          <button type="button" className="button button-small" onClick={() => void session.signOut()}>
            {t("common.signOut")}
          </button>
        </div>
      </header>
      <View path={route.path} params={route.params} />
    </>
  );
}

function View({ path, params }: { path: string; params: URLSearchParams }) {
  const { me } = useApp();
  const { t, rich } = useI18n();
  const userMatch = /^\/users\/([^/]+)$/.exec(path);
  if (userMatch?.[1]) {
    const sub = decodeURIComponent(userMatch[1]);
    // The page sets its own title: the user's email once loaded.
    return <UserPage key={sub} sub={sub} />;
  }
  if (path === "/webhooks" || path.startsWith("/webhooks/")) return <WebhooksView path={path} />;
  if (path === "/audit") {
    if (!allows(me, "audit:read"))
      return <PageNotPermitted title={t("audit.title")} permission="audit:read" />;
    return (
      <>
        <title>{t("app.title", { page: t("audit.title") })}</title>
        <AuditPage params={params} />
      </>
    );
  }
  if (path === "/import") {
    if (!allows(me, "users:import"))
      return <PageNotPermitted title={t("page.importTitle")} permission="users:import" />;
    return (
      <>
        <title>{t("app.title", { page: t("page.importTitle") })}</title>
        <ImportPage />
      </>
    );
  }
  if (path === "/" || path === "/users") {
    return (
      <>
        <title>{t("app.title", { page: t("nav.users") })}</title>
        <UsersPage params={params} />
      </>
    );
  }
  return (
    <main id="main" className="page" tabIndex={-1}>
      <title>{t("app.title", { page: t("page.notFoundTitle") })}</title>
      <h1>{t("page.notFound")}</h1>
      <p>
        {rich("page.nothingAt", { path: <code>{path}</code> })}{" "}
        <a href={href("/users")}>{t("common.toUsers")}</a>
      </p>
    </main>
  );
}

/** A page the caller's roles do not open (the API would refuse its requests too). */
function PageNotPermitted({ title, permission }: { title: string; permission: string }) {
  const { t, rich } = useI18n();
  return (
    <main id="main" className="page" tabIndex={-1}>
      <title>{t("app.title", { page: title })}</title>
      <h1>{title}</h1>
      <p>
        {rich("page.needsPermission", { permission: <code>{permission}</code> })}{" "}
        <a href={href("/users")}>{t("common.toUsers")}</a>
      </p>
    </main>
  );
}

/** `#/webhooks` and `#/webhooks/<id>`, for admins whose roles grant `webhooks:manage`. */
function WebhooksView({ path }: { path: string }) {
  const { me } = useApp();
  const id = /^\/webhooks\/([^/]+)$/.exec(path)?.[1];
  const { t } = useI18n();
  if (!allows(me, "webhooks:manage")) return <WebhooksNotAllowed />;
  if (id) return <WebhookPage key={id} id={decodeURIComponent(id)} />;
  return (
    <>
      <title>{t("app.title", { page: t("nav.webhooks") })}</title>
      <WebhooksPage />
    </>
  );
}
