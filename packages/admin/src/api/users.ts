import { InvalidCursorError } from "@cognito-lifecycle/aws";
import { type Context, Hono } from "hono";
import { ValidationError } from "../errors.ts";
import { type Env, validJson, validQuery } from "./context.ts";
import { filterOf } from "./filter.ts";
import { optionalReasonBody, requiredReasonBody } from "./schemas.ts";

const reasonBody = validJson(() => optionalReasonBody, { optional: true });
const deleteBody = validJson(() => requiredReasonBody, { optional: true });

/** enable and delete: the same body, one service call each. */
async function changeStatus(c: Context<Env>, action: "enable" | "delete", reason?: string) {
  const { service } = c.get("deps");
  const user = await service[action](c.get("caller").sub, c.req.param("sub") as string, reason);
  return c.json({ user });
}

/** `/users`: listing, one user with its audit history, and every change to a user. */
export const userRoutes = new Hono<Env>()
  .get(
    "/",
    validQuery((s) => s.users),
    async (c) => {
      const { rt } = c.get("deps");
      const { limit, cursor, ...filter } = c.req.valid("query");
      return c.json(await rt.directory.listUsers(filterOf(filter), { limit, ...(cursor ? { cursor } : {}) }));
    },
  )
  // Registered before `/:sub`, which would otherwise take "count" for a sub.
  .get(
    "/count",
    validQuery((s) => s.count),
    async (c) => {
      const { rt } = c.get("deps");
      return c.json(await rt.directory.countUsers(filterOf(c.req.valid("query"))));
    },
  )
  .get(
    "/:sub",
    validQuery((s) => s.user),
    async (c) => {
      const { service } = c.get("deps");
      const { auditLimit, auditCursor } = c.req.valid("query");
      try {
        const page = { limit: auditLimit, ...(auditCursor ? { cursor: auditCursor } : {}) };
        return c.json(await service.show(c.req.param("sub"), page));
      } catch (error) {
        // The only cursor here is the audit one: name that field.
        if (error instanceof InvalidCursorError) throw new ValidationError({ auditCursor: error.message });
        throw error;
      }
    },
  )
  .patch(
    "/:sub/roles",
    validJson((s) => s.roles),
    async (c) => {
      const { service } = c.get("deps");
      const body = c.req.valid("json");
      const actor = c.get("caller").sub;
      return c.json(
        await service.setRoles(actor, c.req.param("sub"), body.roles, body.expectedVersion, body.reason),
      );
    },
  )
  // Answers `{ user, steps }`: what each step (Cognito, sign-out, record) did.
  .post("/:sub/disable", reasonBody, async (c) => {
    const { service } = c.get("deps");
    return c.json(await service.disable(c.get("caller").sub, c.req.param("sub"), c.req.valid("json").reason));
  })
  .post("/:sub/enable", reasonBody, (c) => changeStatus(c, "enable", c.req.valid("json").reason))
  .delete("/:sub", deleteBody, (c) => changeStatus(c, "delete", c.req.valid("json").reason))
  .post("/:sub/resync", reasonBody, async (c) => {
    const { service } = c.get("deps");
    const { reason } = c.req.valid("json");
    return c.json(await service.resync(c.get("caller").sub, c.req.param("sub"), reason));
  });
