import { randomUUID } from "node:crypto";
import { localRegion } from "./credentials.ts";
import type { RunningService } from "./dynamodb.ts";
import { localAccount } from "./iam.ts";
import { type StoredEmail, sesInbox } from "./ses.ts";

/**
 * The local stand-in for SES event publishing: aws-ses-v2-local delivers everything, so the
 * local stack reads its inbox and, for mail to the SES mailbox simulator's bounce and complaint
 * addresses, produces the event the configuration set's EventBridge destination would publish
 * (packages/sst/src/stacks/email-feedback.ts), for functions/email-feedback.ts.
 */

/** `bounce@simulator.amazonses.com`, also with a `+label` as SES allows. */
const simulator = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

function recipientsOf(email: StoredEmail): string[] {
  const { to, cc = [], bcc = [] } = email.destination;
  return [...to, ...cc, ...bcc].map((address) => /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address.trim());
}

/** The SES events (EventBridge shape) a stored email to simulator addresses yields: one per kind. */
export function simulatorFeedbackEvents(
  email: StoredEmail,
  configurationSet: string,
  now: Date = new Date(),
) {
  const recipients = recipientsOf(email);
  const of = (kind: string) =>
    recipients.filter((address) => simulator.exec(address)?.[1]?.toLowerCase() === kind);
  const at = now.toISOString();
  const mail = {
    timestamp: new Date(email.at * 1000).toISOString(),
    source: email.from,
    messageId: email.messageId,
    destination: recipients,
    tags: { "ses:configuration-set": [configurationSet] },
  };
  const envelope = (detailType: string, detail: Record<string, unknown>) => ({
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source: "aws.ses",
    account: localAccount,
    time: `${at.slice(0, 19)}Z`,
    region: localRegion,
    resources: [`arn:aws:ses:${localRegion}:${localAccount}:configuration-set/${configurationSet}`],
    detail: { ...detail, mail },
  });
  const events = [];
  const bounced = of("bounce");
  if (bounced.length > 0) {
    events.push(
      envelope("Email Bounced", {
        eventType: "Bounce",
        bounce: {
          feedbackId: randomUUID(),
          bounceType: "Permanent",
          bounceSubType: "General",
          bouncedRecipients: bounced.map((emailAddress) => ({
            emailAddress,
            action: "failed",
            status: "5.1.1",
            diagnosticCode: "smtp; 550 5.1.1 user unknown",
          })),
          timestamp: at,
          reportingMTA: "dns; simulator.amazonses.com",
        },
      }),
    );
  }
  const complained = of("complaint");
  if (complained.length > 0) {
    events.push(
      envelope("Email Complaint Received", {
        eventType: "Complaint",
        complaint: {
          feedbackId: randomUUID(),
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: at,
          complaintFeedbackType: "abuse",
        },
      }),
    );
  }
  return events;
}

/**
 * Reads the local SES inbox every `everyMs` and hands each new simulator email's events to
 * `handle` (each email once). A failing handler is reported and not retried: locally there is
 * no dead-letter queue.
 */
export async function startSesFeedback(options: {
  sesEndpoint: string;
  configurationSet: string;
  everyMs: number;
  handle: (event: unknown) => Promise<unknown>;
  onEvent?: (detailType: string, outcome: "ok" | "error") => void;
}): Promise<RunningService> {
  const seen = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const poll = async () => {
    const emails = await sesInbox(options.sesEndpoint).catch(() => []);
    for (const email of emails) {
      if (seen.has(email.messageId)) continue;
      seen.add(email.messageId);
      for (const event of simulatorFeedbackEvents(email, options.configurationSet)) {
        try {
          await options.handle(event);
          options.onEvent?.(event["detail-type"], "ok");
        } catch {
          options.onEvent?.(event["detail-type"], "error");
        }
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = poll().finally(schedule);
    }, options.everyMs);
  };
  schedule();
  return {
    endpoint: options.sesEndpoint,
    port: 0,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
