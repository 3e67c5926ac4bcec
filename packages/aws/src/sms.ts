import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { type ClientTimeouts, clientOptions, instrumentClient } from "./clients.ts";

export interface OutgoingSms {
  /** E.164, as Cognito stores `phone_number`. */
  to: string;
  text: string;
}

export class SmsError extends Error {
  override readonly name = "SmsError";
  constructor(
    message: string,
    /** SNS refused this message or number: sending it again fails the same way. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SmsSender {
  send(sms: OutgoingSms, options?: { abortSignal?: AbortSignal }): Promise<{ messageId: string }>;
}

/** A malformed or unusable number: everything else (throttling, 5xx, spend limits) may pass later. */
const permanentErrors = new Set(["InvalidParameterException", "InvalidParameterValueException"]);

/**
 * Sends through SNS `Publish` to a phone number, as a transactional SMS (codes must arrive
 * even where promotional messages are filtered), the same service Cognito itself sends with.
 */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  async send(sms: OutgoingSms, options: { abortSignal?: AbortSignal } = {}): Promise<{ messageId: string }> {
    try {
      const result = await this.sns.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.text,
          MessageAttributes: {
            "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
          },
        }),
        options,
      );
      return { messageId: result.MessageId ?? "" };
    } catch (error) {
      // Only the error name: SNS messages can quote the number.
      const name = (error as { name?: string })?.name ?? "Error";
      const permanent = permanentErrors.has(name);
      throw new SmsError(
        permanent ? `SNS rejected the SMS: ${name}` : `SNS Publish failed, retry later: ${name}`,
        permanent,
        { cause: error },
      );
    }
  }
}

export function snsClient(timeouts: ClientTimeouts): SNSClient {
  return instrumentClient(new SNSClient(clientOptions(timeouts)));
}

export function smsSenderFor(config: { timeouts: ClientTimeouts }): SmsSender {
  return new SnsSmsSender(snsClient(config.timeouts));
}
