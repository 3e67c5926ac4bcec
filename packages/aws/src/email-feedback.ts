import {
  type EmailDeliverability,
  emailFeedbackOf,
  isNewerFeedback,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { logger } from "./logger.ts";
import type { UserDirectory } from "./user-directory.ts";
import type { UserRecords } from "./user-records.ts";
import type { UserStore } from "./user-store.ts";

export interface FeedbackDependencies {
  directory: Pick<UserDirectory, "findByEmail">;
  records: Pick<UserRecords, "markEmailDeliverability">;
  store: Pick<UserStore, "get">;
}

export interface FeedbackOutcome {
  /** Records this event changed. */
  marked: number;
  /** Recipients that are no user's address (e.g. an operator's own mail through the set). */
  unknown: number;
}

/** A concurrent write moved the record on: read it again and retry, a few times. */
const conflictRetries = 3;

/**
 * Marks every user whose address an SES bounce or complaint event names (`emailFeedbackOf`).
 * Idempotent: a redelivered or older event changes nothing. Logs subs and counts, never an
 * address. A store failure throws, so Lambda retries and then hands the event to the DLQ.
 */
export async function applyEmailFeedback(
  deps: FeedbackDependencies,
  event: unknown,
): Promise<FeedbackOutcome> {
  const outcome: FeedbackOutcome = { marked: 0, unknown: 0 };
  for (const { email, deliverability } of emailFeedbackOf(event)) {
    const users = await deps.directory.findByEmail(email);
    if (users.length === 0) outcome.unknown += 1;
    for (const { sub } of users) {
      if (await markUser(deps, sub, email, deliverability)) outcome.marked += 1;
    }
  }
  return outcome;
}

/**
 * Marks `sub` from a strongly consistent read (the email index is eventually consistent), only
 * while it still has `email`; a concurrent write makes it read and try again.
 */
async function markUser(
  deps: FeedbackDependencies,
  sub: string,
  email: string,
  deliverability: EmailDeliverability,
): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    const record = await deps.store.get(sub);
    // Gone, or the address changed since: the report is not about this record any more.
    if (record?.emailNormalised !== email) return false;
    if (!isNewerFeedback(record.emailDeliverability, deliverability)) return false;
    try {
      await deps.records.markEmailDeliverability(record, deliverability, { actor: "ses" });
      logger.info("email deliverability marked", { sub, status: deliverability.status });
      return true;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= conflictRetries) throw error;
    }
  }
}
