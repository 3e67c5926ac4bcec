import { type AdminRuntime, createAdminRuntime, reconcile, settingsFromEnv } from "@cognito-lifecycle/admin";
import { logger } from "@cognito-lifecycle/aws";
import { withEnvironment } from "@cognito-lifecycle/core";
import * as z from "zod/mini";
import config from "../lifecycle.config.ts";

/** A scheduled event applies repairs; an invocation by hand may ask for a dry run or pass a cursor. */
const input = z.object({
  apply: z._default(z.boolean(), true),
  cursor: z.optional(z.string().check(z.minLength(1))),
});

/** Time kept back from the Lambda timeout to finish the page in hand and report. */
const reserveMs = 60_000;

export function createHandler(runtime: () => AdminRuntime) {
  return async (event: unknown, context?: { getRemainingTimeInMillis(): number }) => {
    const parsed = input.safeParse(event ?? {});
    if (!parsed.success)
      throw new Error(
        `Invalid reconcile input: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
      );
    const remaining = context?.getRemainingTimeInMillis();
    const report = await reconcile(runtime(), {
      apply: parsed.data.apply,
      ...(parsed.data.cursor ? { cursor: parsed.data.cursor } : {}),
      ...(remaining !== undefined ? { stopAt: Date.now() + Math.max(remaining - reserveMs, 0) } : {}),
    });
    const summary = { apply: report.apply, complete: report.complete, ...report.counts };
    if (report.complete) logger.info("reconcile finished", summary);
    else
      logger.warn("reconcile stopped before the end: invoke again with the cursor", {
        ...summary,
        cursor: report.cursor,
      });
    return { ...summary, ...(report.cursor ? { cursor: report.cursor } : {}) };
  };
}

let runtime: AdminRuntime | undefined;

/** The scheduled reconcile (daily, `stacks/jobs.ts`). */
export const handler = createHandler(() => {
  runtime ??= createAdminRuntime(settingsFromEnv(withEnvironment(config)), {
    backoff: { maxAttempts: 10 },
  });
  return runtime;
});
