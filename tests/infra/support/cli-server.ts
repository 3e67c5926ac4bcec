import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { platformEsbuild, repoRoot } from "./platform.ts";

/** One `Runtime.Build` request: what SST asked the CLI to bundle, and what came of it. */
export interface BuildRequest {
  functionID: string;
  handler: string;
  runtime: string;
  properties: {
    architecture?: string;
    format?: string;
    minify?: boolean;
    sourcemap?: boolean;
    esbuild?: Record<string, unknown>;
  };
  /** Names of the SST links the function was given (each would widen its role). */
  links: string[];
  /** The export names of the bundle esbuild produced. */
  exports: string[];
  errors: string[];
}

interface BuildResult {
  handler: string;
  out: string;
  errors: string[];
  sourcemaps: string[];
}

const extensions = [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs"];

/**
 * Set by the suite's global setup (tests/support/global-setup.ts): a directory where bundles
 * are kept for the whole run, so the infrastructure test files share one bundle per handler
 * and build options instead of each bundling every handler again.
 */
export const bundleCacheEnv = "INFRA_BUNDLE_CACHE";

type Bundled = { result: BuildResult; exports: string[] };

/**
 * A stand-in for the SST CLI's JSON-RPC server (`SST_SERVER`), on 127.0.0.1 and a free port.
 * `Runtime.Build` really bundles the handler with esbuild, the way the CLI does, and fails the
 * build when the file is missing or lacks the named export, so a wrong handler path fails the
 * infrastructure test exactly as it would fail `sst deploy`.
 */
export class CliServer {
  /** Requests by the path prefix of the caller's SST_SERVER (one per stack run). */
  private readonly builds = new Map<string, BuildRequest[]>();
  private readonly unknown = new Map<string, string[]>();
  private server: Server | undefined;
  private readonly cache = new Map<string, Promise<Bundled>>();
  private readonly outDirs: string[] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      request.on("end", () => {
        const caller = (request.url ?? "").replace(/\/rpc$/, "");
        void this.answer(caller, body).then((answer) => {
          response.writeHead(200, { "content-type": "application/json", connection: "close" });
          response.end(JSON.stringify(answer));
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const dir of this.outDirs) rmSync(dir, { recursive: true, force: true });
  }

  /** The project root each caller's handler paths are relative to. */
  private readonly roots = new Map<string, string>();

  /** The SST_SERVER value for one caller: its requests are kept apart from other callers'. */
  urlFor(base: string, caller: string, root = repoRoot): string {
    this.roots.set(`/${caller}`, root);
    return `${base}/${caller}`;
  }

  buildsOf(caller: string): BuildRequest[] {
    return this.builds.get(`/${caller}`) ?? [];
  }

  unknownMethodsOf(caller: string): string[] {
    return this.unknown.get(`/${caller}`) ?? [];
  }

  private async answer(caller: string, body: string): Promise<{ result?: unknown; error?: string }> {
    const { method, params } = JSON.parse(body) as { method: string; params: [Record<string, unknown>] };
    const args = params[0] ?? {};
    switch (method) {
      case "Provider.Aws.Bootstrap":
        return {
          result: {
            asset: "sst-asset-mock",
            assetEcrRegistryId: "123456789012",
            assetEcrUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/sst-asset",
            state: "sst-state-mock",
          },
        };
      case "Provider.Aws.Appsync":
        return { result: { http: "appsync.mock", realtime: "appsync-realtime.mock" } };
      case "Runtime.AddTarget":
        return { result: {} };
      case "Runtime.Build":
        return { result: await this.build(caller, args) };
      default:
        this.unknown.set(caller, [...(this.unknown.get(caller) ?? []), method]);
        return { error: `rpc: can't find method ${method}` };
    }
  }

  private async build(caller: string, args: Record<string, unknown>): Promise<BuildResult> {
    const handler = String(args.handler);
    const properties = (args.properties ?? {}) as BuildRequest["properties"];
    const runtime = String(args.runtime);
    const root = this.roots.get(caller) ?? repoRoot;
    const key = JSON.stringify({ root, handler, properties, runtime });
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.bundleOnce(key, root, handler, properties, runtime);
      this.cache.set(key, pending);
    }
    const { result, exports } = await pending;
    const builds = this.builds.get(caller) ?? [];
    this.builds.set(caller, builds);
    builds.push({
      functionID: String(args.functionID),
      handler,
      runtime,
      properties,
      links: Object.keys((args.links ?? {}) as Record<string, unknown>),
      exports,
      errors: result.errors,
    });
    return result;
  }

  /**
   * A bundle from the run's cache (see bundleCacheEnv) when another file already built it, else a
   * fresh one, stored there for the next file. A failed build is never cached.
   */
  private async bundleOnce(
    key: string,
    root: string,
    handler: string,
    properties: BuildRequest["properties"],
    runtime: string,
  ): Promise<Bundled> {
    const cacheDir = process.env[bundleCacheEnv];
    if (!cacheDir) return this.bundle(root, handler, properties, runtime);
    // <cacheDir>/<key's hash>/{out/, result.json}: the result beside the bundle, not zipped with it.
    const stored = join(cacheDir, createHash("sha256").update(key).digest("hex"));
    const resultFile = join(stored, "result.json");
    if (existsSync(resultFile)) return JSON.parse(readFileSync(resultFile, "utf8")) as Bundled;
    const staging = mkdtempSync(join(cacheDir, "staging-"));
    const fresh = await this.bundle(root, handler, properties, runtime, staging);
    if (fresh.result.errors.length > 0) return fresh;
    const bundled = { ...fresh, result: { ...fresh.result, out: join(stored, "out") } };
    renameSync(fresh.result.out, join(staging, "out"));
    writeFileSync(join(staging, "result.json"), JSON.stringify(bundled));
    try {
      renameSync(staging, stored);
    } catch {
      // Another worker stored the same bundle first: use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
    return bundled;
  }

  private async bundle(
    root: string,
    handler: string,
    properties: BuildRequest["properties"],
    runtime: string,
    outParent = tmpdir(),
  ): Promise<Bundled> {
    const dot = handler.lastIndexOf(".");
    const file = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    const failed = (message: string) => ({
      result: { handler, out: "", errors: [message], sourcemaps: [] },
      exports: [],
    });
    const entry = extensions.map((extension) => join(root, file + extension)).find(existsSync);
    if (dot <= 0 || !entry) return failed(`Could not find a file for handler "${handler}"`);

    const out = mkdtempSync(join(outParent, "infra-bundle-"));
    if (outParent === tmpdir()) this.outDirs.push(out);
    const name = basename(file);
    const esm = (properties.format ?? "esm") === "esm";
    try {
      const built = await platformEsbuild().build({
        entryPoints: [entry],
        outfile: join(out, `${name}.${esm ? "mjs" : "cjs"}`),
        bundle: true,
        platform: "node",
        format: esm ? "esm" : "cjs",
        target: runtime.replace(/^nodejs(\d+)\.x$/, "node$1"),
        minify: properties.minify ?? true,
        sourcemap: properties.sourcemap ?? false,
        metafile: true,
        write: true,
        logLevel: "silent",
        ...(esm
          ? {
              banner: {
                js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
              },
            }
          : {}),
        ...(properties.esbuild ?? {}),
      });
      const exports = Object.values(built.metafile.outputs).flatMap((output) => output.exports);
      if (!exports.includes(exportName)) {
        return failed(
          `${file} has no export named "${exportName}" (it exports: ${exports.join(", ") || "nothing"})`,
        );
      }
      return { result: { handler: `${name}.${exportName}`, out, errors: [], sourcemaps: [] }, exports };
    } catch (error) {
      return failed(`Bundling ${handler} failed: ${(error as Error).message}`);
    }
  }
}
