import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";

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
    /** A permanent rejection (bad address, unverified sender): retrying will not help. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Mailer {
  send(email: OutgoingEmail, options?: { abortSignal?: AbortSignal }): Promise<{ messageId: string }>;
}

/** SES errors that retrying cannot fix. Everything else (throttling, 5xx, timeouts) is transient. */
const permanentErrors = new Set([
  "BadRequestException",
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "AccountSuspendedException",
  "NotFoundException",
]);

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
      const name = (error as { name?: string })?.name ?? "Error";
      throw new MailError(`SES SendEmail failed: ${name}`, isPermanentMailError(error), { cause: error });
    }
  }
}
