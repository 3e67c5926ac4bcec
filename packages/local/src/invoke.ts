import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runAs } from "@cognito-lifecycle/aws";
import {
  type SenderFunctionName,
  senderManifest,
  senderNames,
  type TriggerFile,
  type TriggerFunctionName,
  triggerManifest,
  triggerNames,
} from "@cognito-lifecycle/core";
import type { RunningService } from "./dynamodb.ts";
import { readBody, sendJson, serveLocal } from "./http.ts";

/** How long Cognito lets a trigger run. */
const triggerTimeoutMs = 5_000;

/** cognito-local's trigger names (the stack's function names), each run by `functions/<file>.ts`. */
export const triggerHandlers = Object.fromEntries(
  triggerNames.map((trigger) => [triggerManifest[trigger].functionName, triggerManifest[trigger].file]),
) as Record<TriggerFunctionName, TriggerFile>;

/** The custom sender functions (`delivery: "custom-sender"`), each run by `functions/<file>.ts`. */
export const senderHandlers = Object.fromEntries(
  senderNames.map((sender) => [senderManifest[sender].functionName, senderManifest[sender].file]),
) as Record<SenderFunctionName, string>;

type Handler = (event: unknown, context: LambdaContext) => Promise<unknown>;

interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export interface InvocationRecord {
  functionName: string;
  triggerSource?: string;
  outcome: "ok" | "error";
  /** The message the caller sees on failure (a user-facing sentence, never a code or token). */
  errorMessage?: string;
  ms: number;
}

/**
 * Loads handlers from `functionsDir`: a trigger name (`PreSignUp`) or a file name
 * (`pre-sign-up`) selects `<file>.ts` (or the built `<file>.js`), whose `handler` export runs
 * the invocation.
 * Modules are imported once, so set the handler environment before the first load.
 */
export class HandlerRegistry {
  private readonly loaded = new Map<string, Promise<Handler>>();

  constructor(private readonly functionsDir: string) {}

  fileFor(functionName: string): string | undefined {
    const file =
      (triggerHandlers as Record<string, string>)[functionName] ??
      (senderHandlers as Record<string, string>)[functionName] ??
      (/^[a-z0-9][a-z0-9-]*$/.test(functionName) ? functionName : undefined);
    if (!file) return undefined;
    // Sources (functions/*.ts) or the installed component's built handlers (*.js).
    return [".ts", ".js"].map((extension) => join(this.functionsDir, `${file}${extension}`)).find(existsSync);
  }

  load(functionName: string): Promise<Handler> | undefined {
    const path = this.fileFor(functionName);
    if (!path) return undefined;
    let handler = this.loaded.get(path);
    if (!handler) {
      handler = import(pathToFileURL(path).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== "function") throw new Error(`${path} does not export a handler`);
        return module.handler as Handler;
      });
      this.loaded.set(path, handler);
    }
    return handler;
  }
}

/** Lambda's synchronous invocation payload limit (6 MB). */
const lambdaPayloadBytes = 6 * 1024 * 1024;

const invocationPath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A refusal as Lambda's Invoke API answers it: the status, `x-amzn-errortype`, `{Type, message}`. */
function refuse(response: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(response, status, { Type: "User", message }, { "x-amzn-errortype": errorType });
}

interface Invocation {
  functionName: string;
  handler: Promise<Handler>;
  event: unknown;
}

/** The function and event of an Invoke request, or undefined once the request is refused. */
async function readInvocation(
  request: IncomingMessage,
  response: ServerResponse,
  registry: HandlerRegistry,
): Promise<Invocation | undefined> {
  const path = (request.url ?? "").split("?")[0] ?? "";
  const match = invocationPath.exec(path);
  if (request.method !== "POST" || !match?.[1]) {
    sendJson(response, 404, { message: "Only POST /2015-03-31/functions/<name>/invocations is served here" });
    return undefined;
  }
  const functionName = decodeURIComponent(match[1]);
  const handler = registry.load(functionName);
  if (!handler) {
    refuse(response, 404, "ResourceNotFoundException", `Function not found: ${functionName}`);
    return undefined;
  }
  const body = await readBody(request, lambdaPayloadBytes);
  if (body === undefined) {
    const message = `Request must be smaller than ${lambdaPayloadBytes} bytes for the InvokeFunction operation`;
    refuse(response, 413, "RequestTooLargeException", message);
    return undefined;
  }
  try {
    return { functionName, handler, event: JSON.parse(body || "{}") };
  } catch {
    refuse(response, 400, "InvalidRequestContentException", "Could not parse request body into json");
    return undefined;
  }
}

/**
 * Runs the handler under its function's IAM role with Cognito's trigger budget, and answers as
 * Lambda does, a handler error included (200 with `X-Amz-Function-Error: Unhandled`).
 */
async function invoke(
  { functionName, handler, event }: Invocation,
  response: ServerResponse,
  onInvocation: ((record: InvocationRecord) => void) | undefined,
): Promise<void> {
  const startedAt = Date.now();
  const source = (event as { triggerSource?: unknown } | null)?.triggerSource;
  const triggerSource = typeof source === "string" ? { triggerSource: source } : {};
  const requestId = randomUUID();
  const context: LambdaContext = {
    functionName,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, startedAt + triggerTimeoutMs - Date.now()),
  };
  const headers = { "x-amzn-requestid": requestId, "x-amz-executed-version": "$LATEST" };
  try {
    const run = await handler;
    // Its SDK calls are this function's: the offline IAM check applies its role.
    const result = await runAs(functionName, () => run(event, context));
    onInvocation?.({ functionName, ...triggerSource, outcome: "ok", ms: Date.now() - startedAt });
    sendJson(response, 200, result ?? null, headers);
  } catch (error) {
    const errorMessage = error instanceof Error ? error.message : String(error);
    onInvocation?.({
      functionName,
      ...triggerSource,
      outcome: "error",
      errorMessage,
      ms: Date.now() - startedAt,
    });
    const body = { errorMessage, errorType: error instanceof Error ? error.name : "Error", stackTrace: [] };
    sendJson(response, 200, body, { ...headers, "x-amz-function-error": "Unhandled" });
  }
}

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`, RequestResponse) on
 * 127.0.0.1, running our handlers in this process. A handler error is answered as Lambda does:
 * HTTP 200, `X-Amz-Function-Error: Unhandled`, `{"errorMessage": ...}`, which cognito-local turns
 * into `UserLambdaValidationException: <name> failed with error <message>.`
 */
export async function startInvokeServer(options: {
  port: number;
  registry: HandlerRegistry;
  onInvocation?: (record: InvocationRecord) => void;
}): Promise<RunningService> {
  return serveLocal(options.port, async (request, response) => {
    const invocation = await readInvocation(request, response, options.registry);
    if (invocation) await invoke(invocation, response, options.onInvocation);
  });
}
