import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { LifecycleConfig } from "@cognito-lifecycle/core";
import { type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";
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
        options,
      );
      return { messageId: result.MessageId ?? "" };
    } catch (error) {
      // Only the error name: SES messages can quote the recipient address.
      const name = (error as { name?: string })?.name ?? "Error";
      const permanent = isPermanentMailError(error);
      throw new MailError(
        permanent ? `SES rejected the email: ${name}` : `SES SendEmail failed, retry later: ${name}`,
        permanent,
        { cause: error },
      );
    }
  }
}

export function sesClient(timeouts: ClientTimeouts): SESv2Client {
  return instrumentClient(new SESv2Client(clientOptions(timeouts)));
}

export function mailerFor(config: LifecycleConfig): Mailer {
  return new SesMailer(sesClient(config.timeouts), emailConfigurationSet());
}
