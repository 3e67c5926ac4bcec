import { Hono } from "hono";
import { Invitations } from "../invitations.ts";
import { type Env, validJson } from "./context.ts";
import { optionalReasonBody } from "./schemas.ts";

const invitations = (c: { get: (key: "deps") => Env["Variables"]["deps"] }) => {
  const { rt, service } = c.get("deps");
  return new Invitations(rt, service);
};

/** `POST /users` invites a user; `POST /users/:sub/invite` resends a pending invitation. */
export const invitationRoutes = new Hono<Env>()
  .post(
    "/",
    validJson((s) => s.invite),
    async (c) => {
      const body = c.req.valid("json");
      const user = await invitations(c).invite(c.get("caller").sub, {
        email: body.email,
        ...(body.roles ? { roles: body.roles } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
      });
      return c.json({ user }, 201);
    },
  )
  .post(
    "/:sub/invite",
    validJson(() => optionalReasonBody, { optional: true }),
    async (c) => {
      const user = await invitations(c).resend(
        c.get("caller").sub,
        c.req.param("sub"),
        c.req.valid("json").reason,
      );
      return c.json({ user });
    },
  );
