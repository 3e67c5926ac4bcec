import { Hono } from "hono";
import { ProfileEditor } from "../profile.ts";
import { type Env, validJson } from "./context.ts";
import { profileBody } from "./schemas.ts";

/**
 * `PATCH /users/:sub/profile`: name, locale and editable custom attributes, set or (`null`)
 * cleared in Cognito and the record (permission: `adminRoutePermissions`). Answers
 * `{ user, changes, cleared? }`.
 */
export const profileRoutes = new Hono<Env>().patch(
  "/:sub/profile",
  validJson(() => profileBody),
  async (c) => {
    const { rt, service } = c.get("deps");
    const { name, locale, attributes, ...options } = c.req.valid("json");
    const edit = {
      ...(name !== undefined ? { name } : {}),
      ...(locale !== undefined ? { locale } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    };
    const editor = new ProfileEditor(rt, service);
    return c.json(await editor.edit(c.get("caller").sub, c.req.param("sub"), edit, options));
  },
);
