import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import { type ClientTarget, type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";
import { emailConfigurationSet } from "./resources.ts";

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export class MailError extends Error {
  override readonly name = "MailError";
  constructor(
    message: string,
    /** SES refused this message or its recipient: sending it again fails the same way. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
    /** The request may have reached SES (timeout, cut connection, 5xx): the email may be out. */
    readonly ambiguous = false,
  ) {
    super(message, options);
  }
}

export interface Mailer {
  send(email: OutgoingEmail, options?: { abortSignal?: AbortSignal }): Promise<{ messageId: string }>;
}

/**
 * SES errors about this message or its recipient (a malformed or, in the sandbox, unverified
 * address; content SES will not send). Everything else is transient: throttling, 5xx,
 * timeouts, and account or configuration problems (sending paused, unverified sender domain,
 * missing configuration set) that someone will fix, after which a retry succeeds.
 */
const permanentErrors = new Set(["BadRequestException", "MessageRejected"]);

export function isPermanentMailError(error: unknown): boolean {
  return permanentErrors.has((error as { name?: string })?.name ?? "");
}

/** Failures that prove the request never reached SES: no connection was made. */
const notConnectedCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Whether a failed SendEmail may still have sent the email. Only an answer from SES with a 4xx
 * status, or a connection that never opened, proves it did not; a timeout, a cut connection, an
 * abort, a 5xx or anything unrecognised may have come after SES accepted the message.
 */
export function isAmbiguousMailError(error: unknown): boolean {
  const { $metadata, $fault, code, name, message } = (error ?? {}) as {
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
    code?: string;
    name?: string;
    message?: string;
  };
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) return false;
  // A modelled SES error of the client kind is parsed from SES's own 4xx answer.
  if (status === undefined && $fault === "client") return false;
  if (code && notConnectedCodes.has(code)) return false;
  // smithy's connection timeout: the socket never connected, so nothing was sent.
  if (name === "TimeoutError" && message?.includes("did not establish a connection")) return false;
  return true;
}

const attemptGuard = "sesSendAtMostOnce";

/**
 * SendEmail is not idempotent, so a send gets one attempt whatever client it is given: a second
 * attempt by the SDK's retry strategy is stopped (with the first attempt's error) before it
 * leaves. `sesClient` also sets maxAttempts 1, so the guard normally never fires.
 */
function sendAtMostOnce(command: SendEmailCommand): SendEmailCommand {
  let attempts = 0;
  let first: unknown;
  command.middlewareStack.add(
    (next) => async (args) => {
      attempts += 1;
      if (attempts > 1) throw new SecondAttemptRefused(first);
      try {
        return await next(args);
      } catch (error) {
        first = error;
        throw error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: attemptGuard },
  );
  return command;
}

/** Not retryable by the SDK (no status, code or retryable trait): it ends the retry loop. */
class SecondAttemptRefused extends Error {
  override readonly name = "SecondAttemptRefused";
  constructor(readonly first: unknown) {
    super("SendEmail is not retried");
  }
}

/** Sends through SESv2 SendEmail with simple content (HTML + text). */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly configurationSetName?: string,
  ) {}

  async send(
    email: OutgoingEmail,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<{ messageId: string }> {
    try {
      const result = await this.ses.send(
        sendAtMostOnce(
          new SendEmailCommand({
            FromEmailAddress: email.from,
            Destination: { ToAddresses: [email.to] },
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: "UTF-8" },
                Body: {
                  Html: { Data: email.html, Charset: "UTF-8" },
                  Text: { Data: email.text, Charset: "UTF-8" },
                },
              },
            },
            ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
          }),
        ),
        options,
      );
      return { messageId: result.MessageId ?? "" };
    } catch (caught) {
      const error = caught instanceof SecondAttemptRefused ? caught.first : caught;
      // Only the error name: SES messages can quote the recipient address.
      const name = (error as { name?: string })?.name ?? "Error";
      const permanent = isPermanentMailError(error);
      const ambiguous = !permanent && isAmbiguousMailError(error);
      throw new MailError(
        permanent
          ? `SES rejected the email: ${name}`
          : ambiguous
            ? `SES SendEmail outcome unknown: ${name}`
            : `SES SendEmail failed, retry later: ${name}`,
        permanent,
        { cause: error },
        ambiguous,
      );
    }
  }
}

/** The sending client: one attempt per call, whatever `timeouts.maxAttempts` says (see sendAtMostOnce). */
/** SendEmail is not idempotent: one attempt; a retry is the caller's decision, never the SDK's. */
export function sesClient(timeouts: ClientTimeouts, target?: ClientTarget): SESv2Client {
  return instrumentClient(new SESv2Client({ ...clientOptions(timeouts, target), maxAttempts: 1 }));
}

export function mailerFor(config: LifecycleConfig): Mailer {
  return new SesMailer(sesClient(config.timeouts), emailConfigurationSet());
}
