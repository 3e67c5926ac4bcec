import { InvalidCursorError } from "@cognito-lifecycle/aws";
import { type Context, Hono } from "hono";
import { ValidationError } from "../errors.ts";
import type { ChangeOptions } from "../service.ts";
import { type Env, validJson, validQuery } from "./context.ts";
import { filterOf } from "./filter.ts";
import { deleteBody, eraseBody, optionalReasonBody, statusBody } from "./schemas.ts";

const reasonBody = validJson(() => optionalReasonBody, { optional: true });
const statusChange = validJson(() => statusBody, { optional: true });
const deleteChange = validJson(() => deleteBody, { optional: true });

/** enable and delete: reason, optional version check, self confirmation; one service call each. */
async function changeStatus(c: Context<Env>, action: "enable" | "delete", options: ChangeOptions) {
  const { service } = c.get("deps");
  const user = await service[action](c.get("caller").sub, c.req.param("sub") as string, options);
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
      const { roles, add, remove, ...options } = c.req.valid("json");
      const edit = roles ? { roles } : { add: add ?? [], remove: remove ?? [] };
      return c.json(await service.setRoles(c.get("caller").sub, c.req.param("sub"), edit, options));
    },
  )
  // Answers `{ user, steps }`: what each step (Cognito, sign-out, record) did.
  .post("/:sub/disable", statusChange, async (c) => {
    const { service } = c.get("deps");
    return c.json(await service.disable(c.get("caller").sub, c.req.param("sub"), c.req.valid("json")));
  })
  .post("/:sub/enable", statusChange, (c) => changeStatus(c, "enable", c.req.valid("json")))
  .delete("/:sub", deleteChange, (c) => changeStatus(c, "delete", c.req.valid("json")))
  .get("/:sub/export", async (c) => {
    const { service } = c.get("deps");
    const sub = c.req.param("sub");
    const exported = await service.exportUser(c.get("caller").sub, sub, "admin-api");
    return c.json(exported, 200, {
      "content-disposition": `attachment; filename="user-${sub.replace(/[^A-Za-z0-9-]/g, "_")}.json"`,
      "cache-control": "no-store",
    });
  })
  .post(
    "/:sub/erase",
    validJson(() => eraseBody),
    async (c) => {
      const { service } = c.get("deps");
      const { reason, ...options } = c.req.valid("json");
      return c.json(await service.erase(c.get("caller").sub, c.req.param("sub"), reason, options));
    },
  )
  .post("/:sub/resync", reasonBody, async (c) => {
    const { service } = c.get("deps");
    const { reason } = c.req.valid("json");
    return c.json(await service.resync(c.get("caller").sub, c.req.param("sub"), reason));
  });
