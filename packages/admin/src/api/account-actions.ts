import { type Context, Hono } from "hono";
import { AccountActions } from "../account-actions.ts";
import { type Env, validJson } from "./context.ts";
import { statusBody } from "./schemas.ts";

const actions = (c: Context<Env>) => {
  const { rt, service } = c.get("deps");
  return new AccountActions(rt, service);
};

// Reason, the version the caller saw and the self confirmation, as for disable and enable.
const actionBody = validJson(() => statusBody, { optional: true });

/**
 * `/users/:sub/…` account actions: sign out everywhere, reset the password, mark the email
 * verified, see and reset MFA (permissions: `adminRoutePermissions`).
 */
export const accountActionRoutes = new Hono<Env>()
  .get("/:sub/mfa", async (c) => c.json(await actions(c).mfa(c.req.param("sub"))))
  .post("/:sub/sign-out", actionBody, async (c) =>
    c.json(await actions(c).signOut(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/reset-password", actionBody, async (c) =>
    c.json(await actions(c).resetPassword(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/verify-email", actionBody, async (c) =>
    c.json(await actions(c).verifyEmail(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  )
  .post("/:sub/mfa/reset", actionBody, async (c) =>
    c.json(await actions(c).resetMfa(c.get("caller").sub, c.req.param("sub"), c.req.valid("json"))),
  );
