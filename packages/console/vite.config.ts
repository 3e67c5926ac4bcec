import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv, type Plugin } from "vite";
import { consoleContentSecurityPolicy } from "./src/csp.ts";

/** Where `vite dev` sends `/config.json` and `/api`: the running local stack (`npm start`) by default. */
const devBackend = process.env.CONSOLE_DEV_BACKEND ?? "http://127.0.0.1:3000";

/**
 * Writes the CSP meta element into the built index.html. Build only: `vite dev` injects inline
 * scripts (React refresh) that the policy refuses. With the deployment's `VITE_*` values the
 * Cognito endpoint and API origin are known, so the meta also limits `connect-src`.
 */
function contentSecurityPolicy(): Plugin {
  let connectSources: string[] | undefined;
  return {
    name: "console-csp",
    apply: "build",
    configResolved(config) {
      const env = loadEnv(config.mode, config.envDir || config.root, "VITE_");
      const cognito =
        env.VITE_COGNITO_ENDPOINT ||
        (env.VITE_REGION ? `https://cognito-idp.${env.VITE_REGION}.amazonaws.com` : undefined);
      connectSources = cognito ? [cognito, ...(env.VITE_API_BASE ? [env.VITE_API_BASE] : [])] : undefined;
    },
    transformIndexHtml: () => [
      {
        tag: "meta",
        attrs: {
          "http-equiv": "Content-Security-Policy",
          content: consoleContentSecurityPolicy(connectSources ? { connectSources } : {}),
        },
        injectTo: "head-prepend",
      },
    ],
  };
}

/**
 * Relative `base` so the built console works from any path: the local stack serves it at `/`,
 * a static site may serve it under a prefix. `config.json` is fetched relative to the page too.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/config.json": devBackend, "/api": devBackend },
  },
  preview: { host: "127.0.0.1" },
});
