import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cognitoTimeoutMs } from "@cognito-lifecycle/aws";
import { shippedBuildOptions } from "@cognito-lifecycle/build";
import {
  compiledConfigDefine,
  type TriggerFile,
  triggerManifest,
  triggerNames,
} from "@cognito-lifecycle/core";
import { build, type Metafile } from "esbuild";
import lifecycleConfig from "../../../lifecycle.config.ts";
import {
  customMessageEvent,
  postAuthenticationEvent,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
} from "./events.ts";
import { bootstrapRatio, median, round } from "./stats.ts";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

type FloorName = "dynamodb" | "dynamodb+cognito" | "empty";

/** Which SDK clients each function needs: its floor constructs exactly these. */
const floorOf: Record<TriggerFile, FloorName> = {
  "pre-token-generation": "dynamodb",
  "post-authentication": "dynamodb",
  // The record's transaction, and AdminAddUserToGroup for the default group (no SES since #14).
  "post-confirmation": "dynamodb+cognito",
  // Cognito's ListUsers, and the record a link to a native user must prove (GetItem).
  "pre-sign-up": "dynamodb+cognito",
  "custom-message": "empty",
  "user-migration": "dynamodb",
};

const timeouts =
  "{ maxAttempts: 2, requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 1000 }) }";

/** Floor handlers: the clients, built at module scope as the functions' runtime builds them, and the raw call. */
const floorSources: Record<FloorName, string> = {
  dynamodb: `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
const db = DynamoDBDocumentClient.from(new DynamoDBClient(${timeouts}), { marshallOptions: { removeUndefinedValues: true } });
export const handler = async (event) => {
  await db.send(new GetCommand({ TableName: process.env.LIFECYCLE_TABLE_NAME, Key: { pk: "USER#" + event.request.userAttributes.sub, sk: "PROFILE" }, ConsistentRead: true }));
  return event;
};`,
  "dynamodb+cognito": `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
const db = DynamoDBDocumentClient.from(new DynamoDBClient(${timeouts}), { marshallOptions: { removeUndefinedValues: true } });
const cognito = new CognitoIdentityProviderClient(${timeouts});
export const handler = async (event) => {
  const sub = event.request.userAttributes.sub;
  if (sub) await db.send(new PutCommand({ TableName: process.env.LIFECYCLE_TABLE_NAME, Item: { pk: "USER#" + sub, sk: "FLOOR" }, ConditionExpression: "attribute_not_exists(pk)" }));
  return cognito ? event : event;
};`,
  empty: `export const handler = async (event) => event;`,
};

/**
 * Exactly what a deployment bundles: the shipped build's options (packages/build) and the
 * validated config the stacks define (packages/sst functions.ts), so sizes and import times are
 * what Lambda loads.
 */
const buildOptions = { ...shippedBuildOptions, define: compiledConfigDefine(lifecycleConfig) };

interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

async function bundleEntry(entry: string, outfile: string): Promise<Bundle> {
  const result = await build({ ...buildOptions, entryPoints: [entry], outfile });
  const output = Object.values(result.metafile.outputs)[0];
  return { file: outfile, bytes: output?.bytes ?? 0, metafile: result.metafile };
}

/**
 * The size of the same bundle when esbuild prefers each package's ESM build (`module` field)
 * over its CommonJS one: the AWS SDK ships both, and only the ESM one can be tree-shaken.
 */
async function esmFirstBytes(entry: string): Promise<number> {
  const result = await build({
    ...buildOptions,
    entryPoints: [entry],
    mainFields: ["module", "main"],
    write: false,
    outfile: "esm-first.mjs",
  });
  return result.outputFiles[0]?.contents.byteLength ?? 0;
}

async function bundleFloor(name: FloorName, outdir: string): Promise<Bundle> {
  const outfile = join(outdir, `floor-${name.replace("+", "-")}.mjs`);
  const result = await build({
    ...buildOptions,
    stdin: {
      contents: floorSources[name],
      resolveDir: repoRoot,
      sourcefile: `floor-${name}.mjs`,
      loader: "js",
    },
    outfile,
  });
  const output = Object.values(result.metafile.outputs)[0];
  return { file: outfile, bytes: output?.bytes ?? 0, metafile: result.metafile };
}

/** The packages that make up most of a bundle, by bytes of their code in the output. */
function largestPackages(metafile: Metafile, top = 5): { package: string; kb: number }[] {
  const output = Object.values(metafile.outputs)[0];
  const sizes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match
      ? (match[1] as string)
      : path.startsWith("packages/")
        ? path.split("/").slice(0, 2).join("/")
        : "(app)";
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => ({ package: name, kb: round(bytes / 1024, 1) }));
}

/** The AWS SDK clients that made it into a bundle, and which of the app's own files import each. */
function sdkClients(metafile: Metafile): { package: string; imported_by: string[] }[] {
  const output = Object.values(metafile.outputs)[0];
  const kept = new Set(
    Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
  const clients = new Map<string, Set<string>>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.includes("node_modules/") || !kept.has(file)) continue;
    for (const imported of input.imports) {
      const match = /node_modules\/(@aws-sdk\/client-[^/]+)\//.exec(imported.path);
      if (match && kept.has(imported.path)) {
        clients.set(match[1] as string, (clients.get(match[1] as string) ?? new Set()).add(file));
      }
    }
  }
  return [...clients.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, files]) => ({ package: name, imported_by: [...files].sort() }));
}

interface ImportTiming {
  importMs: number;
  firstInvokeMs: number;
  /** CPU time (user + system) the import and the first invocation used. */
  importCpuMs: number;
  firstInvokeCpuMs: number;
  /** Process start (Node's time origin) to the first response: the whole cold path Cognito waits for. */
  coldPathMs: number;
}

/** Imports the bundle in a fresh Node process and invokes its handler once; times both. */
function timeImport(file: string, event: unknown, env: Record<string, string>): Promise<ImportTiming> {
  const script = `
import { writeSync } from "node:fs";
const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const cpuStarted = cpu();
const started = performance.now();
const module = await import(${JSON.stringify(pathToFileURL(file).href)});
const imported = performance.now();
const cpuImported = cpu();
await module.handler(JSON.parse(process.env.BENCH_EVENT), {});
const invoked = performance.now();
const cpuInvoked = cpu();
writeSync(3, JSON.stringify({
  importMs: imported - started,
  firstInvokeMs: invoked - imported,
  importCpuMs: cpuImported - cpuStarted,
  firstInvokeCpuMs: cpuInvoked - cpuImported,
  coldPathMs: invoked,
}));
`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "ignore", "pipe", "pipe"],
      // On-demand, as Lambda says for a cold start: the handler's budget then counts init too.
      env: {
        ...process.env,
        ...env,
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        BENCH_EVENT: JSON.stringify(event),
      },
    });
    let stderr = "";
    let result = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-1500);
    });
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => {
      result += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0 && result) resolvePromise(JSON.parse(result) as ImportTiming);
      else reject(new Error(`importing ${basename(file)} failed (exit ${code}):\n${stderr}`));
    });
  });
}

export interface ColdStartResult {
  function: string;
  floor: string;
  kb: number;
  /** The same bundle with esbuild resolving packages' ESM builds first (not what ships today). */
  kb_esm_first: number;
  floor_kb: number;
  size_ratio: number;
  import_ms: number;
  floor_import_ms: number;
  import_ratio: number;
  /**
   * The import ratio's 95% interval: the runs' pairs (each import with the floor's beside it)
   * resampled with replacement, the ratio of medians taken again (see `bootstrapRatio`).
   */
  import_ratio_low: number;
  import_ratio_high: number;
  /** Import plus the first invocation (clients built, first connection made), as Cognito waits for it. */
  first_response_ms: number;
  floor_first_response_ms: number;
  first_response_ratio: number;
  /** The slowest run's process start to first response (Node start, import, first call), against Cognito's 5 s. */
  worst_cold_path_ms: number;
  /** worst_cold_path_ms as a share of Cognito's 5 s (1 = timed out). */
  worst_cold_path_share: number;
  /** Median CPU time of import + first invocation: what a fractional-vCPU Lambda stretches. */
  cold_cpu_ms: number;
  floor_cold_cpu_ms: number;
  largest_packages: { package: string; kb: number }[];
  sdk_clients: { package: string; imported_by: string[] }[];
  runs: number;
}

/**
 * Bundles every functions/*.ts and its floor, then imports each in `runs` fresh Node processes,
 * alternating function and floor, and reports the medians.
 */
export async function measureColdStart(options: {
  runs: number;
  env: Record<string, string>;
  newSub: () => string;
  existingSub: string;
}): Promise<ColdStartResult[]> {
  const outdir = await mkdtemp(join(tmpdir(), "cognito-lifecycle-bench-"));
  try {
    // The Cognito triggers only: the admin API's functions are not on Cognito's 5 s path.
    const entries = triggerNames.map((trigger) => `${triggerManifest[trigger].file}.ts`).sort();
    const floors = new Map<FloorName, Bundle>();
    const results: ColdStartResult[] = [];
    for (const file of entries) {
      const name = basename(file, ".ts") as TriggerFile;
      const floorName = floorOf[name];
      const entry = join(repoRoot, "functions", file);
      const bundle = await bundleEntry(entry, join(outdir, `${name}.mjs`));
      const esmFirst = await esmFirstBytes(entry);
      if (!floors.has(floorName)) floors.set(floorName, await bundleFloor(floorName, outdir));
      const floor = floors.get(floorName) as Bundle;
      const functionTimes: ImportTiming[] = [];
      const floorTimes: ImportTiming[] = [];
      for (let run = 0; run < options.runs; run++) {
        const pair: [Bundle, ImportTiming[]][] = [
          [bundle, functionTimes],
          [floor, floorTimes],
        ];
        if (run % 2 === 1) pair.reverse();
        for (const [target, times] of pair) {
          times.push(await timeImport(target.file, eventFor(name, options), options.env));
        }
      }
      const importMs = median(functionTimes.map((timing) => timing.importMs));
      const floorImportMs = median(floorTimes.map((timing) => timing.importMs));
      const importInterval = bootstrapRatio(
        functionTimes.map((timing) => [timing.importMs]),
        floorTimes.map((timing) => [timing.importMs]),
        { percentile: 50, paired: true },
      );
      const firstMs = median(functionTimes.map((timing) => timing.importMs + timing.firstInvokeMs));
      const floorFirstMs = median(floorTimes.map((timing) => timing.importMs + timing.firstInvokeMs));
      const worstColdPath = Math.max(...functionTimes.map((timing) => timing.coldPathMs));
      results.push({
        function: name,
        floor: floorName === "empty" ? "empty handler" : `${floorName} client(s) + the raw call`,
        kb: round(bundle.bytes / 1024, 1),
        kb_esm_first: round(esmFirst / 1024, 1),
        floor_kb: round(floor.bytes / 1024, 1),
        size_ratio: round(bundle.bytes / Math.max(1, floor.bytes)),
        import_ms: round(importMs, 1),
        floor_import_ms: round(floorImportMs, 1),
        import_ratio: round(importMs / floorImportMs),
        import_ratio_low: round(importInterval.low),
        import_ratio_high: round(importInterval.high),
        first_response_ms: round(firstMs, 1),
        floor_first_response_ms: round(floorFirstMs, 1),
        first_response_ratio: round(firstMs / floorFirstMs),
        worst_cold_path_ms: round(worstColdPath, 1),
        worst_cold_path_share: round(worstColdPath / cognitoTimeoutMs, 3),
        cold_cpu_ms: round(
          median(functionTimes.map((timing) => timing.importCpuMs + timing.firstInvokeCpuMs)),
          1,
        ),
        floor_cold_cpu_ms: round(
          median(floorTimes.map((timing) => timing.importCpuMs + timing.firstInvokeCpuMs)),
          1,
        ),
        largest_packages: largestPackages(bundle.metafile),
        sdk_clients: sdkClients(bundle.metafile),
        runs: options.runs,
      });
    }
    return results;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

function eventFor(name: string, options: { newSub: () => string; existingSub: string }): unknown {
  const existing = { sub: options.existingSub, email: "cold.start@example.com", name: "Cold Start" };
  switch (name) {
    case "pre-token-generation":
      return preTokenEvent(existing);
    case "post-authentication":
      return postAuthenticationEvent(existing);
    case "post-confirmation": {
      const sub = options.newSub();
      return postConfirmationEvent({ sub, email: `${sub}@example.com`, name: "Cold Start" });
    }
    case "pre-sign-up":
      return preSignUpEvent({ sub: options.newSub(), email: "cold.signup@example.com" });
    default:
      return customMessageEvent(existing);
  }
}
