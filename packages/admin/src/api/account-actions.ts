import { type Context, Hono } from "hono";
import { AccountActions } from "../account-actions.ts";
import { type Env, needs, validJson } from "./context.ts";
import { statusBody } from "./schemas.ts";

const actions = (c: Context<Env>) => {
  const { rt, service } = c.get("deps");
  return new AccountActions(rt, service);
};

// Reason, the version the caller saw and the self confirmation, as for disable and enable.
const actionBody = validJson(() => statusBody, { optional: true });
const canWrite = needs("users:write");

/**
 * `/users/:sub/…` account actions: sign out everywhere, reset the password, mark the email
 * verified, see and reset MFA. Reading needs `users:read`, every change `users:write`.
 */
export const accountActionRoutes = new Hono<Env>()
  .get("/:sub/mfa", needs("users:read"), async (c) => c.json(await actions(c).mfa(c.req.param("sub"))))
  .post("/:sub/sign-out", canWrite, actionBody, async (c) =>
    c.json(await actions(c).signOut(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/reset-password", canWrite, actionBody, async (c) =>
    c.json(await actions(c).resetPassword(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/verify-email", canWrite, actionBody, async (c) =>
    c.json(await actions(c).verifyEmail(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/mfa/reset", canWrite, actionBody, async (c) =>
    c.json(await actions(c).resetMfa(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  );
