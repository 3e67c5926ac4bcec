import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { runAs } from "@cognito-lifecycle/aws";
import { consoleContentSecurityPolicy } from "@cognito-lifecycle/console/src/csp.ts";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { createAdminApp } from "./app.ts";
import { type AdminRuntime, createAdminRuntime } from "./runtime.ts";
import { createSelfServiceApp, isSelfServiceRoute } from "./self-service.ts";
import type { AdminSettings } from "./settings.ts";

/** What the console reads from `GET /config.json` to find the pool and the API. */
export interface ConsoleConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint?: string;
  apiBase: string;
  /** lifecycle.config.ts's `locales`: the languages the console offers, and its default. */
  locales?: { default: string; supported: readonly string[] };
}

export interface ServeAdminOptions {
  /** Port on 127.0.0.1 (the local stack uses 3000). */
  port: number;
  hostname?: string;
  /** Settings to build a runtime from, or a runtime to use (the caller then closes it). */
  settings?: AdminSettings;
  runtime?: AdminRuntime;
  /** A directory of static files served at `/` (the built console), with `index.html` as fallback. */
  staticDir?: string;
  /** The body of `GET /config.json`; derived from the settings when left out. */
  consoleConfig?: ConsoleConfig;
}

export interface AdminServer {
  url: string;
  port: number;
  runtime: AdminRuntime;
  close(): Promise<void>;
}

/**
 * Serves the admin API under `/api`, `GET /config.json` for the console, and (optionally) the
 * console's static files at `/`, on Node. Resolves once listening.
 */
export async function serveAdmin(options: ServeAdminOptions): Promise<AdminServer> {
  const ownRuntime = !options.runtime;
  const runtime = options.runtime ?? (options.settings ? createAdminRuntime(options.settings) : undefined);
  if (!runtime) throw new Error("serveAdmin needs settings or a runtime");
  const { settings } = runtime;
  const consoleConfig: ConsoleConfig = options.consoleConfig ?? {
    region: settings.region,
    userPoolId: settings.userPoolId,
    clientId: (Array.isArray(settings.clientId) ? settings.clientId[0] : settings.clientId) as string,
    ...(settings.endpoints?.cognito ? { cognitoEndpoint: settings.endpoints.cognito } : {}),
    apiBase: "/api",
    locales: settings.config.locales,
  };

  const root = new Hono();
  // The console may call only this server and Cognito; the header also forbids framing.
  const csp = consoleContentSecurityPolicy({
    connectSources: [
      consoleConfig.cognitoEndpoint ?? `https://cognito-idp.${consoleConfig.region}.amazonaws.com`,
    ],
    header: true,
  });
  root.use("/*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", csp);
    c.header("X-Content-Type-Options", "nosniff");
  });
  // The self-service routes first: the admin app's admin-only middleware covers all of /api.
  root.route("/api", createSelfServiceApp(runtime));
  root.route("/api", createAdminApp(runtime));
  root.get("/config.json", (c) => c.json(consoleConfig, 200, { "cache-control": "no-store" }));
  if (options.staticDir) {
    const dir = resolve(options.staticDir);
    root.use("/*", serveStatic({ root: dir }));
    // A client-side route (e.g. /users/abc) gets the app shell.
    root.get("/*", serveStatic({ root: dir, path: "index.html" }));
  }

  const hostname = options.hostname ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const started = serve(
      // Every request runs as the function that serves it when deployed, whose role the offline
      // IAM check applies.
      {
        fetch: (request, ...rest) =>
          runAs(
            isSelfServiceRoute(request.method, new URL(request.url).pathname.replace(/^\/api/, ""))
              ? "SelfServiceApiHandler"
              : "AdminApiHandler",
            () => root.fetch(request, ...rest),
          ),
        port: options.port,
        hostname,
      },
      () => resolveServer(started),
    );
    started.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname}:${port}`,
    port,
    runtime,
    close: () =>
      new Promise<void>((done) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => {
          if (ownRuntime) runtime.close();
          done();
        });
      }),
  };
}
