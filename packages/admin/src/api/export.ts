import type { UserSummary } from "@cognito-lifecycle/aws";
import { logger } from "@cognito-lifecycle/aws";
import { describeError } from "@cognito-lifecycle/core";
import { Hono } from "hono";
import { csvHeader, csvRow } from "../csv.ts";
import { type Env, validQuery } from "./context.ts";
import { filterOf } from "./filter.ts";

/** Text chunks as a response body, each read as the client reads (exports of any size). */
export function textStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logger.error("export failed mid-stream", describeError(error).log);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** CSV text, the header first, then one chunk per directory page. */
async function* csvChunks(pages: AsyncGenerator<UserSummary[]>): AsyncGenerator<string> {
  yield csvHeader();
  try {
    for await (const users of pages) yield users.map(csvRow).join("");
  } finally {
    await pages.return(undefined);
  }
}

/** `/users.csv`: every matching user, streamed. */
export const exportRoutes = new Hono<Env>().get(
  "/",
  validQuery((s) => s.csv),
  (c) => {
    const { rt } = c.get("deps");
    const pages = rt.directory.eachUserPage(filterOf(c.req.valid("query")));
    return c.body(textStream(csvChunks(pages)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="users.csv"',
      "cache-control": "no-store",
    });
  },
);
