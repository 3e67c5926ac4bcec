import type {
  LifecycleConfig,
  MessageRenderer,
  UserRecord,
  WelcomeEmailState,
} from "@cognito-lifecycle/core";
import { chooseLocale, maskEmail, suppressesOptionalMail } from "@cognito-lifecycle/core";
import { deadlineSignal } from "./deadline.ts";
import { logger } from "./logger.ts";
import { MailError, type Mailer } from "./mailer.ts";
import type { UserStore } from "./user-store.ts";

export interface WelcomeDependencies {
  config: LifecycleConfig;
  store: UserStore;
  mailer: Mailer;
  renderer: MessageRenderer;
  now: () => Date;
}

export type WelcomeOutcome = "sent" | "pending" | "failed" | "unknown" | "skipped";

/**
 * The From header: `"Name" <address>`. SES takes a display name outside printable ASCII only
 * as a MIME encoded-word (RFC 2047), so `Müller & Söhne` goes out base64-encoded.
 */
export function senderAddress(config: LifecycleConfig): string {
  const name = config.branding.sender.name.replace(/[\r\n]+/g, " ").trim();
  const address = config.branding.sender.address;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, "")}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(name, "utf8").toString("base64")}?= <${address}>`;
}

/**
 * Sends the welcome email for a record whose claim (`welcomeEmail.status = "sending"`) this
 * caller holds, with one SES attempt, and records the outcome. Never throws: the user is already
 * confirmed, so a failure that proves nothing was sent leaves the email `pending` for reconcile
 * (or `failed` if SES rejected it for good), and one that may have sent it (timeout, cut
 * connection, 5xx) is `unknown`, which nothing resends automatically: at most once per claim.
 */
export async function deliverWelcomeEmail(
  deps: WelcomeDependencies,
  record: UserRecord,
  attempts: number,
  /** Milliseconds the caller has left (a trigger's budget); unbounded when left out. */
  timeLeft: () => number = () => Number.POSITIVE_INFINITY,
): Promise<WelcomeOutcome> {
  const { config, store, mailer, renderer, now } = deps;
  if (!record.email) return "failed";
  const requestMs = config.timeouts.requestMs;
  const within = (ms: number) => (Number.isFinite(ms) ? { abortSignal: deadlineSignal(ms) } : {});
  // A send needs time for itself and for recording its outcome. Without both, an email could go
  // out unrecorded and be sent again by reconcile: leave it pending instead.
  if (timeLeft() < 2 * requestMs) {
    logger.warn("welcome email deferred: too little time left in the trigger", { sub: record.sub });
    const deferred: WelcomeEmailState = {
      status: "pending",
      at: now().toISOString(),
      attempts,
      error: "deferred",
    };
    await recordOutcome(store, record.sub, deferred, within(timeLeft()));
    return "pending";
  }
  const locale = chooseLocale([record.locale], config.locales.supported, config.locales.default);
  let next: WelcomeEmailState;
  let sending = false;
  try {
    const message = renderer({
      kind: "welcome",
      locale,
      branding: config.branding,
      ...(record.name ? { name: record.name } : {}),
      email: record.email,
    });
    sending = true;
    const { messageId } = await mailer.send(
      {
        from: senderAddress(config),
        to: record.email,
        subject: message.subject,
        html: message.html,
        text: message.text,
      },
      within(timeLeft() - requestMs),
    );
    next = { status: "sent", at: now().toISOString(), attempts, messageId };
  } catch (error) {
    const status = failureStatus(error, sending);
    const reason = error instanceof MailError ? error.message : `${(error as Error)?.name ?? "Error"}`;
    logger.warn(status === "unknown" ? "welcome email outcome unknown" : "welcome email not sent", {
      sub: record.sub,
      to: maskEmail(record.email),
      status,
      reason,
    });
    next = { status, at: now().toISOString(), attempts, error: reason };
  }
  await recordOutcome(store, record.sub, next, within(Math.max(timeLeft(), requestMs)));
  return next.status as WelcomeOutcome;
}

/**
 * Takes the claim on `record`'s `pending` welcome email (a conditional write: of every sender
 * racing for it, the events function on `user.created`, a redelivery of the same stream record,
 * reconcile, exactly one wins) and sends it. `not-claimed` when it was not pending or another
 * sender won: nothing was sent.
 */
export async function claimAndDeliverWelcome(
  deps: WelcomeDependencies,
  record: UserRecord,
  timeLeft?: () => number,
): Promise<WelcomeOutcome | "not-claimed"> {
  const welcome = record.welcomeEmail;
  if (welcome?.status !== "pending") return "not-claimed";
  // A bounced or complained address gets no non-essential mail: skipped, with the reason.
  const deliverability = record.emailDeliverability;
  if (suppressesOptionalMail(deliverability)) {
    const skipped = await deps.store.transitionWelcomeEmail(record.sub, ["pending"], {
      status: "skipped",
      at: deps.now().toISOString(),
      attempts: welcome.attempts,
      error: `address ${deliverability?.status}`,
    });
    return skipped ? "skipped" : "not-claimed";
  }
  const attempts = welcome.attempts + 1;
  const claimed = await deps.store.transitionWelcomeEmail(record.sub, ["pending"], {
    status: "sending",
    at: deps.now().toISOString(),
    attempts,
  });
  if (!claimed) return "not-claimed";
  return deliverWelcomeEmail(deps, record, attempts, timeLeft);
}

/** A failure before the send is pending; a mailer's error says what it proves, any other may hide a send. */
function failureStatus(error: unknown, sending: boolean): "failed" | "pending" | "unknown" {
  if (!sending) return "pending";
  if (!(error instanceof MailError)) return "unknown";
  if (error.permanent) return "failed";
  return error.ambiguous ? "unknown" : "pending";
}

async function recordOutcome(
  store: UserStore,
  sub: string,
  next: WelcomeEmailState,
  options: { abortSignal?: AbortSignal },
): Promise<void> {
  try {
    await store.transitionWelcomeEmail(sub, ["sending"], next, options);
  } catch (error) {
    // The claim stays "sending"; reconcile treats a stale claim as pending.
    logger.error("welcome email outcome not recorded", {
      sub,
      status: next.status,
      error: (error as Error).name,
    });
  }
}
