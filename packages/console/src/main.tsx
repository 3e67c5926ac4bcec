import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { ConfigError, loadConfig } from "./config.ts";
import { createServices } from "./services.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App services={createServices(config)} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main id="main" className="auth">
        <div className="auth-card">
          <p className="brand">User admin</p>
          <h1>The console is not configured</h1>
          <div className="notice notice-error" role="alert">
            {error instanceof ConfigError ? error.message : "The configuration could not be read."}
          </div>
        </div>
      </main>,
    ),
);
