import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RunningService } from "./dynamodb.ts";
import { escapeHtml, listPage, readBody, sendHtml, sendJson, serveLocal } from "./http.ts";

/** One entry the local EventBridge accepted, as an event rule would see it. */
export interface ReceivedEvent {
  eventId: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources: string[];
  /** The entry's `Time`, or when it arrived (ISO 8601). */
  time: string;
  /** When the sink received it (epoch milliseconds). */
  receivedAt: number;
}

interface RequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** PutEvents' limit on one request: the entries' total size (256 KB). */
const maxRequestBytes = 256 * 1024;
const maxEntries = 10;

const awsJsonError = (response: ServerResponse, status: number, type: string, message: string) =>
  sendJson(
    response,
    status,
    { __type: type, message },
    {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-errortype": type,
      "x-amzn-requestid": randomUUID(),
    },
  );

/** The bus name from a name or an ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`). */
function busName(value: unknown): string {
  if (typeof value !== "string" || value === "") return "default";
  return value.startsWith("arn:") ? (value.split("event-bus/")[1] ?? value) : value;
}

/** One entry checked as EventBridge does: a failed entry is reported, the others still go in. */
function accept(entry: RequestEntry): ReceivedEvent | { ErrorCode: string; ErrorMessage: string } {
  for (const name of ["Source", "DetailType", "Detail"] as const) {
    if (typeof entry[name] !== "string" || entry[name] === "") {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
      };
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  const source = entry.Source as string;
  if (source.startsWith("aws.")) {
    return {
      ErrorCode: "NotAuthorizedForSourceException",
      ErrorMessage: `Not authorized for the source ${source}.`,
    };
  }
  const time = typeof entry.Time === "number" ? new Date(entry.Time * 1000) : new Date();
  return {
    eventId: randomUUID(),
    eventBusName: busName(entry.EventBusName),
    source,
    detailType: entry.DetailType as string,
    detail,
    resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
    time: time.toISOString(),
    receivedAt: Date.now(),
  };
}

async function putEvents(request: IncomingMessage, response: ServerResponse, received: ReceivedEvent[]) {
  const raw = await readBody(request, maxRequestBytes + 64 * 1024);
  let entries: RequestEntry[] | undefined;
  try {
    entries = raw === undefined ? undefined : (JSON.parse(raw) as { Entries?: RequestEntry[] }).Entries;
  } catch {
    return awsJsonError(
      response,
      400,
      "SerializationException",
      "Start of structure or map found where not expected.",
    );
  }
  if (raw === undefined || Buffer.byteLength(raw) > maxRequestBytes) {
    return awsJsonError(
      response,
      400,
      "ValidationException",
      "Total size of the entries in the request is over the limit.",
    );
  }
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > maxEntries) {
    return awsJsonError(
      response,
      400,
      "ValidationException",
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${maxEntries}`,
    );
  }
  const results: EntryResult[] = entries.map((entry) => {
    const outcome = accept(entry ?? {});
    if ("ErrorCode" in outcome) return outcome;
    received.push(outcome);
    return { EventId: outcome.eventId };
  });
  sendJson(
    response,
    200,
    { FailedEntryCount: results.filter((result) => "ErrorCode" in result).length, Entries: results },
    { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() },
  );
}

function page(received: ReceivedEvent[]): string {
  const rows = [...received]
    .reverse()
    .map((event) => [
      escapeHtml(event.time),
      escapeHtml(event.eventBusName),
      escapeHtml(event.source),
      escapeHtml(event.detailType),
      `<pre>${escapeHtml(JSON.stringify(event.detail, null, 2))}</pre>`,
    ]);
  return listPage(
    "Local EventBridge: events received",
    'Every <code>PutEvents</code> entry the functions sent, newest first. As JSON: <a href="/events">/events</a>.',
    ["Time", "Bus", "Source", "Detail type", "Detail"],
    rows,
  );
}

export interface LocalEventBridge extends RunningService {
  /** Every entry accepted since the start (or the last clear), oldest first. */
  received: ReceivedEvent[];
}

/**
 * A local EventBridge `PutEvents` endpoint (JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) on
 * 127.0.0.1: the SDK's EventBridgeClient pointed at it (`AWS_ENDPOINT_URL_EVENTBRIDGE`) works as
 * against AWS. Entries are kept in memory and listed at `/` (a page) and `/events` (JSON,
 * `?since=<epoch ms>`); `POST /clear` empties the list. Any bus name is accepted.
 */
export async function startLocalEventBridge(options: { port: number }): Promise<LocalEventBridge> {
  const received: ReceivedEvent[] = [];
  const service = await serveLocal(options.port, async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method === "POST" && url.pathname === "/") {
      const target = request.headers["x-amz-target"];
      if (target !== "AWSEvents.PutEvents") {
        return awsJsonError(
          response,
          400,
          "UnknownOperationException",
          `${target ?? "(no target)"} is not served locally`,
        );
      }
      return putEvents(request, response, received);
    }
    if (request.method === "GET" && url.pathname === "/events") {
      const since = Number(url.searchParams.get("since") ?? 0);
      return sendJson(response, 200, { events: received.filter((event) => event.receivedAt >= since) });
    }
    if (request.method === "POST" && url.pathname === "/clear") {
      received.length = 0;
      return sendJson(response, 200, { cleared: true });
    }
    if (request.method === "GET" && url.pathname === "/") return sendHtml(response, page(received));
    sendJson(response, 404, { message: "Not found" });
  });
  return { ...service, received };
}

/** What a local EventBridge received (optionally since an epoch millisecond), oldest first. */
export async function eventBridgeEvents(endpoint: string, since?: number): Promise<ReceivedEvent[]> {
  const response = await fetch(`${endpoint}/events${since === undefined ? "" : `?since=${since}`}`);
  if (!response.ok) throw new Error(`The local EventBridge answered ${response.status}`);
  return ((await response.json()) as { events: ReceivedEvent[] }).events;
}
