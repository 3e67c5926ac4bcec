import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { escapeHtml } from "@cognito-lifecycle/core";
import type { Context } from "cognito-local/lib/services/context";
import type { MessageSender } from "cognito-local/lib/services/messageDelivery/messageSender";
import type { Message } from "cognito-local/lib/services/messages";
import type { User } from "cognito-local/lib/services/userPoolService";

const codePlaceholder = "{####}";
const usernamePlaceholder = "{username}";

/** Where SMS messages land in the local SES inbox: one address per phone number. */
export function smsInboxAddress(phoneNumber: string): string {
  return `sms-${phoneNumber.replace(/\D/g, "")}@sms.localhost`;
}

/**
 * Puts an SMS in the local SES inbox as a plain-text email to `smsInboxAddress(phoneNumber)`:
 * what cognito-local's own SMS and the local SNS (custom SMS sender) both deliver through.
 */
export async function smsToInbox(
  ses: SESv2Client,
  from: string,
  phoneNumber: string,
  text: string,
): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [smsInboxAddress(phoneNumber)] },
      Content: {
        Simple: {
          Subject: { Data: `SMS to ${phoneNumber}`, Charset: "UTF-8" },
          Body: { Text: { Data: text, Charset: "UTF-8" } },
        },
      },
    }),
  );
}

function attribute(user: User, name: string): string | undefined {
  return user.Attributes?.find((entry) => entry.Name === name)?.Value;
}

/**
 * cognito-local substitutes only the first `{####}` and `{username}`, and uses the internal
 * username (the sub, in a pool with email as username) for `{username}`. Cognito substitutes
 * every occurrence, and the name a user signs in with is their email, so this finishes the job.
 */
export function completeMessage(
  text: string,
  { code, username, signInName }: { code: string; username: string; signInName: string },
  encode: (value: string) => string = (value) => value,
): string {
  const withSignInName = username !== signInName ? text.split(username).join(encode(signInName)) : text;
  return withSignInName
    .split(codePlaceholder)
    .join(encode(code))
    .split(usernamePlaceholder)
    .join(encode(signInName));
}

/**
 * The `MessageSender` cognito-local calls for every code it would deliver, with the message our
 * custom-message trigger rendered. Emails go to the local SES as Cognito would send them (the
 * HTML body, from the configured sender); SMS go to the same inbox, addressed by phone number, so
 * a developer sees every message in one place.
 */
export class SesMessageSender implements MessageSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly onSent: (kind: "email" | "sms", destination: string) => void = () => {},
  ) {}

  async sendEmail(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    const values = this.values(user, message);
    const subject = completeMessage(message.emailSubject || "Your verification code", values);
    const html = message.emailMessage
      ? completeMessage(message.emailMessage, values, escapeHtml)
      : `<p>Your verification code is <strong>${escapeHtml(values.code)}</strong></p>`;
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [destination] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: "UTF-8" },
            Body: { Html: { Data: html, Charset: "UTF-8" } },
          },
        },
      }),
    );
    this.onSent("email", destination);
  }

  async sendSms(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    const values = this.values(user, message);
    const sms = message.smsMessage
      ? completeMessage(message.smsMessage, values)
      : `Your verification code is ${values.code}`;
    await smsToInbox(this.ses, this.from, destination, sms);
    this.onSent("sms", destination);
  }

  private values(user: User, message: Message) {
    return {
      code: message.__code ?? "",
      username: user.Username,
      signInName: attribute(user, "email") ?? user.Username,
    };
  }
}
