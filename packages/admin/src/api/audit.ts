import { Hono } from "hono";
import { auditLog } from "../audit-log.ts";
import { type Env, validQuery } from "./context.ts";

/**
 * `/audit`: audit events across users, newest first, by user or actor (sub or email), action and
 * time range; `people` names the page's users and actors.
 */
export const auditRoutes = new Hono<Env>().get(
  "/",
  validQuery((s) => s.audit),
  async (c) => {
    const { rt } = c.get("deps");
    const { limit, cursor, ...query } = c.req.valid("query");
    const defined = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
    return c.json(await auditLog(rt, defined, { limit, ...(cursor ? { cursor } : {}) }));
  },
);
