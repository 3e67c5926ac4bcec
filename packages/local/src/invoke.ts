import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
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
import { readBody, sendJson } from "./http.ts";

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
 * (`pre-sign-up`) selects `functions/<file>.ts`, whose `handler` export runs the invocation.
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
    const path = join(this.functionsDir, `${file}.ts`);
    return existsSync(path) ? path : undefined;
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
  const server = createServer(async (request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const match = invocationPath.exec(path);
    if (request.method !== "POST" || !match?.[1]) {
      sendJson(response, 404, {
        message: "Only POST /2015-03-31/functions/<name>/invocations is served here",
      });
      return;
    }
    const functionName = decodeURIComponent(match[1]);
    const handler = options.registry.load(functionName);
    if (!handler) {
      sendJson(
        response,
        404,
        { Type: "User", message: `Function not found: ${functionName}` },
        { "x-amzn-errortype": "ResourceNotFoundException" },
      );
      return;
    }
    const body = await readBody(request, lambdaPayloadBytes);
    if (body === undefined) {
      sendJson(
        response,
        413,
        {
          Type: "User",
          message: `Request must be smaller than ${lambdaPayloadBytes} bytes for the InvokeFunction operation`,
        },
        { "x-amzn-errortype": "RequestTooLargeException" },
      );
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(body || "{}");
    } catch {
      sendJson(
        response,
        400,
        { Type: "User", message: "Could not parse request body into json" },
        { "x-amzn-errortype": "InvalidRequestContentException" },
      );
      return;
    }
    const startedAt = Date.now();
    const triggerSource =
      typeof (event as { triggerSource?: unknown })?.triggerSource === "string"
        ? (event as { triggerSource: string }).triggerSource
        : undefined;
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
      options.onInvocation?.({
        functionName,
        ...(triggerSource ? { triggerSource } : {}),
        outcome: "ok",
        ms: Date.now() - startedAt,
      });
      sendJson(response, 200, result ?? null, headers);
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error);
      options.onInvocation?.({
        functionName,
        ...(triggerSource ? { triggerSource } : {}),
        outcome: "error",
        errorMessage,
        ms: Date.now() - startedAt,
      });
      sendJson(
        response,
        200,
        {
          errorMessage,
          errorType: error instanceof Error ? error.name : "Error",
          stackTrace: [],
        },
        { ...headers, "x-amz-function-error": "Unhandled" },
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
