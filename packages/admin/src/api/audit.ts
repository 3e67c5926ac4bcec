import { Hono } from "hono";
import { type Env, validQuery } from "./context.ts";

/** `/audit`: recent audit events across users, by actor or action. */
export const auditRoutes = new Hono<Env>().get(
  "/",
  validQuery((s) => s.audit),
  async (c) => {
    const { rt } = c.get("deps");
    const { limit, cursor, actor, action } = c.req.valid("query");
    return c.json(
      await rt.directory.listAudit(
        { ...(actor ? { actor } : {}), ...(action ? { action } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      ),
    );
  },
);
