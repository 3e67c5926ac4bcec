import { type Context, Hono } from "hono";
import { WebhookAdmin } from "../webhooks.ts";
import { type Env, validJson, validQuery } from "./context.ts";
import { optionalReasonBody } from "./schemas.ts";

const admin = (c: Context<Env>) => new WebhookAdmin(c.get("deps").rt);
const actor = (c: Context<Env>) => c.get("caller").sub;
const id = (c: Context<Env>) => c.req.param("id") as string;

/** `/webhooks` (each needs `webhooks:manage`, see `adminRoutePermissions`): endpoints, their secrets (shown once), test events, attempts and replay. */
export const webhookRoutes = new Hono<Env>()
  .get("/", async (c) => c.json({ items: await admin(c).list() }))
  .post(
    "/",
    validJson((s) => s.webhooks.add),
    async (c) => c.json(await admin(c).add(actor(c), c.req.valid("json")), 201),
  )
  .get("/:id", async (c) => c.json(await admin(c).get(id(c))))
  .patch(
    "/:id",
    validJson((s) => s.webhooks.update),
    async (c) => c.json({ endpoint: await admin(c).update(actor(c), id(c), c.req.valid("json")) }),
  )
  .post(
    "/:id/disable",
    validJson(() => optionalReasonBody, { optional: true }),
    async (c) => c.json({ endpoint: await admin(c).disable(actor(c), id(c), c.req.valid("json").reason) }),
  )
  .post("/:id/enable", async (c) => c.json({ endpoint: await admin(c).enable(actor(c), id(c)) }))
  .post(
    "/:id/rotate",
    validJson((s) => s.webhooks.rotate, { optional: true }),
    async (c) => c.json(await admin(c).rotate(actor(c), id(c), c.req.valid("json").overlapHours)),
  )
  .post("/:id/test", async (c) => c.json({ attempt: await admin(c).test(actor(c), id(c)) }))
  .get(
    "/:id/attempts",
    validQuery((s) => s.webhooks.attempts),
    async (c) => {
      const { eventId, limit } = c.req.valid("query");
      return c.json({ items: await admin(c).attempts(id(c), { limit, ...(eventId ? { eventId } : {}) }) });
    },
  )
  .post(
    "/:id/replay",
    validJson((s) => s.webhooks.replay),
    async (c) => c.json(await admin(c).replay(actor(c), id(c), c.req.valid("json"))),
  );
