import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { AuthCard } from "./components/AuthCard.tsx";
import { ErrorNotice } from "./components/Notice.tsx";
import { ConfigError, loadConfig } from "./config.ts";
import { localeStore } from "./i18n/locale.ts";
import { useI18n } from "./i18n/useI18n.ts";
import { createServices } from "./services.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

function ConfigErrorPage({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <AuthCard>
      <h1>{t("config.missingTitle")}</h1>
      <ErrorNotice>{error instanceof ConfigError ? error.message : t("config.unreadable")}</ErrorNotice>
    </AuthCard>
  );
}

// The admin's language (or the browser's) before config.json is read, the configured ones after.
localeStore.configure();
loadConfig().then(
  (config) => {
    localeStore.configure(config.locales);
    root.render(
      <StrictMode>
        <App services={createServices(config)} />
      </StrictMode>,
    );
  },
  (error: unknown) => root.render(<ConfigErrorPage error={error} />),
);
