import { normaliseEmail } from "./email.ts";
import type { EmailDeliverability } from "./users.ts";

/** One address SES reported on, and what to record for it. */
export interface EmailFeedback {
  /** Normalised (`normaliseEmail`), as the directory looks records up. */
  email: string;
  deliverability: EmailDeliverability;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** `"Name" <a@b>` or `a@b`, as SES lists recipients, to the normalised address. */
function addressOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const bracketed = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  const email = normaliseEmail(bracketed);
  return email.includes("@") ? email : undefined;
}

function recipients(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const email = addressOf(isObject(entry) ? entry.emailAddress : undefined);
    return email ? [email] : [];
  });
}

function timestampOf(section: Json, fallback: unknown): string {
  const at = typeof section.timestamp === "string" ? section.timestamp : fallback;
  const parsed = typeof at === "string" ? Date.parse(at) : Number.NaN;
  return Number.isNaN(parsed) ? new Date(0).toISOString() : new Date(parsed).toISOString();
}

/**
 * What an SES event-publishing record (EventBridge `detail`, or the record itself) says to mark:
 * a permanent bounce marks each bounced recipient `bouncing`, a complaint each complained
 * recipient `complained`. Transient and undetermined bounces mark nothing: SES retried them and
 * the mailbox may work tomorrow. Any other event type is ignored.
 */
export function emailFeedbackOf(event: unknown): EmailFeedback[] {
  const detail = isObject(event) && isObject(event.detail) ? event.detail : event;
  if (!isObject(detail)) return [];
  const type = detail.eventType ?? detail.notificationType;
  const fallbackAt = isObject(event) ? event.time : undefined;
  if (type === "Bounce" && isObject(detail.bounce)) {
    const bounce = detail.bounce;
    if (bounce.bounceType !== "Permanent") return [];
    const at = timestampOf(bounce, fallbackAt);
    const subType = typeof bounce.bounceSubType === "string" ? bounce.bounceSubType : undefined;
    return recipients(bounce.bouncedRecipients).map((email) => ({
      email,
      deliverability: { status: "bouncing", at, bounceType: "Permanent", ...(subType ? { subType } : {}) },
    }));
  }
  if (type === "Complaint" && isObject(detail.complaint)) {
    const complaint = detail.complaint;
    const at = timestampOf(complaint, fallbackAt);
    const subType =
      typeof complaint.complaintFeedbackType === "string" ? complaint.complaintFeedbackType : undefined;
    return recipients(complaint.complainedRecipients).map((email) => ({
      email,
      deliverability: { status: "complained", at, ...(subType ? { subType } : {}) },
    }));
  }
  return [];
}

/**
 * Whether recording `next` on a record holding `current` changes anything: a redelivered event
 * or an older one (SES delivers at least once, not in order) does not. A complaint outranks a
 * bounce of the same time: both stop the welcome email, the complaint says more.
 */
export function isNewerFeedback(
  current: EmailDeliverability | undefined,
  next: EmailDeliverability,
): boolean {
  if (!current) return true;
  if (next.at !== current.at) return next.at > current.at;
  return current.status !== next.status && next.status === "complained";
}

/** Whether non-essential mail (the welcome email) must not go to the record's address. */
export function suppressesOptionalMail(deliverability: EmailDeliverability | undefined): boolean {
  return deliverability !== undefined;
}
