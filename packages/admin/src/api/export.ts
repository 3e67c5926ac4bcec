import type { UserSummary } from "@cognito-lifecycle/aws";
import { logger } from "@cognito-lifecycle/aws";
import { describeError } from "@cognito-lifecycle/core";
import { Hono } from "hono";
import { csvHeader, csvRow } from "../csv.ts";
import { type Env, validQuery } from "./context.ts";
import { filterOf } from "./filter.ts";

/** CSV text, the header first, then one chunk per directory page as the client reads it. */
function csvStream(pages: AsyncGenerator<UserSummary[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvHeader()));
        return;
      }
      try {
        const next = await pages.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
      } catch (error) {
        logger.error("CSV export failed mid-stream", describeError(error).log);
        controller.error(error);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

/** `/users.csv`: every matching user, streamed. */
export const exportRoutes = new Hono<Env>().get(
  "/",
  validQuery((s) => s.csv),
  (c) => {
    const { rt } = c.get("deps");
    const pages = rt.directory.eachUserPage(filterOf(c.req.valid("query")));
    return c.body(csvStream(pages), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="users.csv"',
      "cache-control": "no-store",
    });
  },
);
