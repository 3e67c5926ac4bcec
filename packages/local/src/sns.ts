import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { RunningService } from "./dynamodb.ts";
import { escapeHtml, readBody, serveLocal } from "./http.ts";

/** One SMS the local SNS accepted. */
export interface PublishedSms {
  messageId: string;
  /** E.164, as given. */
  phoneNumber: string;
  message: string;
  /** `AWS.SNS.SMS.SMSType` when the call set it (`Transactional`, `Promotional`). */
  smsType?: string;
}

const namespace = "http://sns.amazonaws.com/doc/2010-03-31/";
/** E.164: a plus, then up to 15 digits, no leading zero. */
const e164 = /^\+[1-9]\d{1,14}$/;

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

function answer(response: ServerResponse, status: number, body: string, requestId: string) {
  response.writeHead(status, {
    "content-type": "text/xml",
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": requestId,
  });
  response.end(body);
}

/** The query protocol's `MessageAttributes.entry.N.Name` / `.Value.StringValue`, by name. */
function messageAttributes(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, name] of form) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key)?.[1];
    const value = entry && form.get(`MessageAttributes.entry.${entry}.Value.StringValue`);
    if (value) attributes[name] = value;
  }
  return attributes;
}

/** Publish checked as SNS checks it, for a phone number: the only target this endpoint has. */
function publishedSms(form: URLSearchParams): PublishedSms {
  const phoneNumber = form.get("PhoneNumber") ?? "";
  const arn = form.get("TopicArn") || form.get("TargetArn");
  if (!phoneNumber && !arn) {
    throw new SnsError(
      400,
      "InvalidParameter",
      "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
    );
  }
  if (phoneNumber && arn) {
    throw new SnsError(
      400,
      "InvalidParameter",
      "Invalid parameter: PhoneNumber Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given",
    );
  }
  // Topics and platform endpoints are not emulated: nothing local could have created one.
  if (arn) throw new SnsError(404, "NotFound", "Topic does not exist");
  if (!e164.test(phoneNumber)) {
    throw new SnsError(
      400,
      "InvalidParameter",
      `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`,
    );
  }
  const message = form.get("Message") ?? "";
  if (message === "") throw new SnsError(400, "InvalidParameter", "Invalid parameter: Empty message");
  const smsType = messageAttributes(form)["AWS.SNS.SMS.SMSType"];
  return { messageId: randomUUID(), phoneNumber, message, ...(smsType ? { smsType } : {}) };
}

async function publish(body: string | undefined, onPublish: (sms: PublishedSms) => Promise<void>) {
  if (body === undefined) throw new SnsError(413, "RequestEntityTooLarge", "Request is too large");
  const form = new URLSearchParams(body);
  const action = form.get("Action");
  if (action !== "Publish") {
    throw new SnsError(
      400,
      "InvalidAction",
      `The action ${action ?? "(none)"} is not valid for this endpoint.`,
    );
  }
  const sms = publishedSms(form);
  try {
    await onPublish(sms);
  } catch {
    throw new SnsError(500, "InternalError", "The SMS could not be delivered locally", "Receiver");
  }
  return sms;
}

/**
 * A local SNS endpoint for SMS: `Publish` to a phone number in the query protocol the SDK v3
 * `SNSClient` speaks (a form-encoded POST answered with XML), so the custom SMS sender's
 * unchanged client reaches it through `AWS_ENDPOINT_URL_SNS`. Each accepted SMS goes to
 * `onPublish` (the local stack puts it in the SES inbox); a malformed call gets SNS's error
 * (`InvalidParameter`, HTTP 400, in an `ErrorResponse`). Requests are not authenticated.
 */
export async function startLocalSns(options: {
  port: number;
  onPublish: (sms: PublishedSms) => Promise<void>;
}): Promise<RunningService> {
  return serveLocal(options.port, async (request, response) => {
    const requestId = randomUUID();
    try {
      if (request.method !== "POST") throw new SnsError(405, "InvalidAction", "Only POST is served");
      const sms = await publish(await readBody(request), options.onPublish);
      answer(
        response,
        200,
        `<PublishResponse xmlns="${namespace}"><PublishResult><MessageId>${sms.messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        requestId,
      );
    } catch (error) {
      const known =
        error instanceof SnsError ? error : new SnsError(500, "InternalError", "Internal error", "Receiver");
      answer(
        response,
        known.status,
        `<ErrorResponse xmlns="${namespace}"><Error><Type>${known.type}</Type><Code>${known.code}</Code><Message>${escapeHtml(known.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        requestId,
      );
    }
  });
}
