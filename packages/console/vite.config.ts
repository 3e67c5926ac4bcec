import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `vite dev` sends `/config.json` and `/api`: the running local stack (`npm start`) by default. */
const devBackend = process.env.CONSOLE_DEV_BACKEND ?? "http://127.0.0.1:3000";

/**
 * Relative `base` so the built console works from any path: the local stack serves it at `/`,
 * a static site may serve it under a prefix. `config.json` is fetched relative to the page too.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react()],
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
