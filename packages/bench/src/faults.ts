import { createServer, type Server, type Socket } from "node:net";
import { Readable } from "node:stream";
import type { DeserializeMiddleware, HttpRequest, HttpResponse, MetadataBearer } from "@smithy/types";
import type { InstrumentableClient, Service } from "./middleware.ts";

/**
 * - throttle: the service's own throttling error (DynamoDB ThrottlingException, SES and Cognito
 *   TooManyRequestsException), parsed by the real SDK deserializer;
 * - server-error: an HTTP 500 from the service;
 * - timeout: the request goes to a socket that accepts and never answers, so the client's own
 *   request timeout fires;
 * - reset: the request goes to a socket that resets the connection (ECONNRESET).
 */
export type FaultKind = "throttle" | "server-error" | "timeout" | "reset";
export const faultKinds: readonly FaultKind[] = ["throttle", "server-error", "timeout", "reset"];

export interface FaultRule {
  kind: FaultKind;
  /** The service whose calls fail; every service the injector is attached to when absent. */
  service?: Service;
  /** SDK command names without the `Command` suffix (e.g. `TransactWriteItems`); all when absent. */
  commands?: readonly string[];
  /** How many attempts fail before the service recovers; every attempt when absent. */
  attempts?: number;
}

/**
 * Two sockets that misbehave on purpose: one accepts and never answers (it lets go after
 * `holdMs`, Cognito's own 5 s by default, so a client without a working timeout is not stuck
 * forever), one resets every connection.
 */
export class FaultSockets {
  private readonly open = new Set<Socket>();
  private readonly blackhole: Server;
  private readonly reset: Server;
  blackholePort = 0;
  resetPort = 0;

  private constructor(holdMs: number) {
    this.blackhole = createServer((socket) => {
      this.track(socket);
      setTimeout(() => socket.destroy(), holdMs).unref();
    });
    this.reset = createServer((socket) => {
      this.track(socket);
      socket.resetAndDestroy();
    });
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    socket.on("error", () => undefined);
    socket.once("close", () => this.open.delete(socket));
  }

  static async start(options: { holdMs?: number } = {}): Promise<FaultSockets> {
    const sockets = new FaultSockets(options.holdMs ?? 5000);
    const [blackholePort, resetPort] = await Promise.all(
      [sockets.blackhole, sockets.reset].map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => {
              const address = server.address();
              if (typeof address === "object" && address) resolve(address.port);
              else reject(new Error("fault socket has no port"));
            });
          }),
      ),
    );
    sockets.blackholePort = blackholePort as number;
    sockets.resetPort = resetPort as number;
    return sockets;
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await Promise.all(
      [this.blackhole, this.reset].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }
}

const errorBodies: Record<Service, Record<"throttle" | "server-error", () => HttpResponse>> = {
  dynamodb: {
    throttle: () =>
      jsonResponse(400, "application/x-amz-json-1.0", {
        __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
        message: "Rate of requests exceeds the allowed throughput.",
      }),
    "server-error": () =>
      jsonResponse(500, "application/x-amz-json-1.0", {
        __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
        message: "Internal server error",
      }),
  },
  ses: {
    throttle: () =>
      jsonResponse(
        429,
        "application/json",
        { message: "Maximum sending rate exceeded." },
        { "x-amzn-errortype": "TooManyRequestsException" },
      ),
    "server-error": () =>
      jsonResponse(
        500,
        "application/json",
        { message: "Service unavailable" },
        { "x-amzn-errortype": "InternalFailure" },
      ),
  },
  cognito: {
    throttle: () =>
      jsonResponse(400, "application/x-amz-json-1.1", {
        __type: "TooManyRequestsException",
        message: "Rate exceeded",
      }),
    "server-error": () =>
      jsonResponse(500, "application/x-amz-json-1.1", {
        __type: "InternalErrorException",
        message: "Internal error",
      }),
  },
};

function jsonResponse(
  statusCode: number,
  contentType: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): HttpResponse {
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  return {
    statusCode,
    reason: undefined,
    headers: {
      "content-type": contentType,
      "content-length": String(bytes.length),
      "x-amzn-requestid": "fault-injected",
      ...headers,
    },
    body: Readable.from([bytes]),
  } as HttpResponse;
}

/**
 * Fault injection at the SDK layer. The middleware sits inside the SDK's retry loop, next to
 * the wire: every failed attempt is seen by the SDK exactly as a real one would be, and the
 * client's own retry policy and timeouts decide what happens next.
 */
export class FaultInjector {
  private rule: (FaultRule & { left: number }) | undefined;
  /** Attempts that were failed on purpose, by kind. */
  readonly injected: Record<FaultKind, number> = { throttle: 0, "server-error": 0, timeout: 0, reset: 0 };

  constructor(private readonly sockets: FaultSockets) {}

  set(rule: FaultRule | undefined): void {
    this.rule = rule ? { ...rule, left: rule.attempts ?? Number.POSITIVE_INFINITY } : undefined;
  }

  clear(): void {
    this.rule = undefined;
  }

  totalInjected(): number {
    return Object.values(this.injected).reduce((sum, count) => sum + count, 0);
  }

  /** The fault for this attempt of `command`, if any (and uses it up). */
  private take(service: Service, command: string): FaultKind | undefined {
    const rule = this.rule;
    if (!rule || rule.left <= 0) return undefined;
    if (rule.service && rule.service !== service) return undefined;
    if (rule.commands && !rule.commands.includes(command)) return undefined;
    rule.left -= 1;
    this.injected[rule.kind] += 1;
    return rule.kind;
  }

  attach<I extends object, O extends MetadataBearer>(client: InstrumentableClient<I, O>, service: Service) {
    const middleware: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
      const command = (context.commandName ?? "").replace(/Command$/, "");
      const kind = this.take(service, command);
      if (!kind) return next(args);
      if (kind === "throttle" || kind === "server-error") {
        return { response: errorBodies[service][kind](), output: {} as O };
      }
      const request = args.request as HttpRequest;
      const port = kind === "timeout" ? this.sockets.blackholePort : this.sockets.resetPort;
      const redirected = { ...request, protocol: "http:", hostname: "127.0.0.1", port } as HttpRequest;
      return next({ ...args, request: redirected });
    };
    client.middlewareStack.add(middleware, { step: "deserialize", priority: "low", name: "benchFaults" });
  }
}
