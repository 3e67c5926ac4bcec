import { InvalidCursorError, logger, type UserFilter } from "@cognito-lifecycle/aws";
import { permissionsFor, type UserSource, type UserStatus } from "@cognito-lifecycle/core";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { csvHeader, csvRow } from "./csv.ts";
import { AdminError, type ErrorBody, fieldErrors, ValidationError } from "./errors.ts";
import {
  AuthError,
  bearerToken,
  ForbiddenError,
  JwksUnavailableError,
  MfaRequiredError,
  requireAccess,
  type VerifiedCaller,
} from "./jwt.ts";
import type { AdminRuntime } from "./runtime.ts";
import { AdminService } from "./service.ts";

type Env = { Variables: { caller: VerifiedCaller } };

const statuses = ["active", "disabled", "deleted"] as const satisfies readonly UserStatus[];
const sources = [
  "sign-up",
  "admin-create",
  "federated",
  "reconcile",
  "token-jit",
] as const satisfies readonly UserSource[];

// zod/mini ships without messages; English ones make the 400 answers readable.
z.config(en());

const isoTime = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
      "must be an ISO date or time, such as 2025-01-31 or 2025-01-31T12:00:00Z",
    ),
  );
const limit = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), fallback);
const cursor = z.string().check(z.maxLength(4096));
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));
const optionalReasonBody = z.strictObject({ reason: z.optional(reason) });

function schemas(runtime: AdminRuntime) {
  const known = Object.keys(runtime.config.roles);
  const role = z.string().check(
    z.refine((value) => known.includes(value), {
      error: (issue) => `unknown role "${String(issue.input)}" (known: ${known.join(", ")})`,
    }),
  );
  const userFilter = {
    emailPrefix: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))),
    role: z.optional(role),
    status: z.optional(z.enum(statuses)),
    source: z.optional(z.enum(sources)),
    createdFrom: z.optional(isoTime),
    createdTo: z.optional(isoTime),
  };
  const createdOrder = z.refine<{ createdFrom?: string | undefined; createdTo?: string | undefined }>(
    (value) => !value.createdFrom || !value.createdTo || value.createdFrom <= `${value.createdTo}\uffff`,
    { path: ["createdTo"], message: "must not be before createdFrom" },
  );
  return {
    users: z
      .strictObject({ ...userFilter, limit: limit(25), cursor: z.optional(cursor) })
      .check(createdOrder),
    csv: z.strictObject(userFilter).check(createdOrder),
    user: z.strictObject({ auditLimit: limit(25), auditCursor: z.optional(cursor) }),
    audit: z.strictObject({
      actor: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
      action: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
      limit: limit(25),
      cursor: z.optional(cursor),
    }),
    roles: z.strictObject({
      roles: z.array(role).check(z.maxLength(known.length)),
      expectedVersion: z.int().check(z.minimum(1)),
      reason,
    }),
  };
}

/** Query parameters with empty values dropped: `?role=&status=active` means only the status. */
function queryOf(c: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ""));
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/** The JSON body; an empty body is `{}` for routes whose body is optional. */
async function bodyOf(c: Context, optional: boolean): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") {
    if (optional) return {};
    throw new ValidationError({ "(body)": "a JSON body is required" }, "The request needs a JSON body.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError({ "(body)": "is not valid JSON" }, "The request body is not valid JSON.");
  }
}

function filterOf(query: UserFilter): UserFilter {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as UserFilter;
}

function errorResponse(c: Context, status: number, body: ErrorBody) {
  return c.json(body, status as ContentfulStatusCode);
}

/**
 * The admin HTTP API (see docs/admin.md for every route). The same app runs on Lambda behind API
 * Gateway (routes at the root) and on Node in the local stack (mounted under `/api`).
 * `runtime` may be a function, so a Lambda builds its clients on the first request.
 */
export function createAdminApp(runtime: AdminRuntime | (() => AdminRuntime)): Hono<Env> {
  const get = typeof runtime === "function" ? runtime : () => runtime;
  let cached: { service: AdminService; schemas: ReturnType<typeof schemas> } | undefined;
  const deps = () => {
    const rt = get();
    cached ??= { service: new AdminService(rt), schemas: schemas(rt) };
    return { rt, ...cached };
  };

  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    const origins = get().settings.allowedOrigins;
    if (!origins || origins.length === 0) return next();
    return cors({
      origin: origins,
      allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type"],
      maxAge: 600,
    })(c, next);
  });

  // Every route: a verified token from a caller whose own record is active and whose roles, as
  // stored now (record ∪ Cognito groups, never the token's claim), include admin.
  app.use("*", async (c, next) => {
    const { rt, service } = deps();
    const caller = await rt.verifier.verify(bearerToken(c.req.header("authorization")));
    const record = await rt.store.get(caller.sub);
    if (record?.status !== "active") {
      throw new ForbiddenError(
        record ? `caller record is ${record.status}` : "caller has no record",
        "Your account is not active.",
      );
    }
    // TOTP on the account means Cognito asked for a code at this session's sign-in (no remembered devices).
    if (rt.settings.requireAdminMfa && !(await rt.cognito.hasTotp(record.username))) {
      throw new MfaRequiredError();
    }
    const roles = await service.currentRoles(record, "admin");
    requireAccess({ ...caller, roles }, { roles: ["admin"] });
    c.set("caller", { ...caller, roles, permissions: permissionsFor(rt.config, roles) });
    await next();
  });

  app.get("/me", (c) => {
    const caller = c.get("caller");
    return c.json({ sub: caller.sub, ...(caller.email ? { email: caller.email } : {}), roles: caller.roles });
  });

  app.get("/roles", (c) => {
    const { rt } = deps();
    return c.json({
      roles: Object.entries(rt.config.roles).map(([name, role]) => ({
        name,
        description: role.description,
        permissions: role.permissions,
      })),
    });
  });

  app.get("/users", async (c) => {
    const { rt, schemas } = deps();
    const { limit, cursor, ...filter } = parse(schemas.users, queryOf(c));
    return c.json(await rt.directory.listUsers(filterOf(filter), { limit, ...(cursor ? { cursor } : {}) }));
  });

  app.get("/users.csv", (c) => {
    const { rt, schemas } = deps();
    const filter = filterOf(parse(schemas.csv, queryOf(c)));
    const pages = rt.directory.eachUserPage(filter);
    const encoder = new TextEncoder();
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvHeader()));
          return;
        }
        try {
          const next = await pages.next();
          if (next.done) return controller.close();
          controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
        } catch (error) {
          logger.error("CSV export failed mid-stream", { error: (error as Error)?.name });
          controller.error(error);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    });
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="users.csv"',
      "cache-control": "no-store",
    });
  });

  app.get("/users/:sub", async (c) => {
    const { service, schemas } = deps();
    const { auditLimit, auditCursor } = parse(schemas.user, queryOf(c));
    try {
      return c.json(
        await service.show(c.req.param("sub"), {
          limit: auditLimit,
          ...(auditCursor ? { cursor: auditCursor } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new ValidationError({ auditCursor: error.message });
      throw error;
    }
  });

  app.patch("/users/:sub/roles", async (c) => {
    const { service, schemas } = deps();
    const body = parse(schemas.roles, await bodyOf(c, false));
    const change = await service.setRoles(
      c.get("caller").sub,
      c.req.param("sub"),
      body.roles,
      body.expectedVersion,
      body.reason,
    );
    return c.json(change);
  });

  const statusRoute = (action: "disable" | "enable" | "delete") => async (c: Context<Env>) => {
    const { service } = deps();
    const { reason } = parse(optionalReasonBody, await bodyOf(c, true));
    const user = await service[action](c.get("caller").sub, c.req.param("sub") as string, reason);
    return c.json({ user });
  };
  app.post("/users/:sub/disable", statusRoute("disable"));
  app.post("/users/:sub/enable", statusRoute("enable"));
  app.delete("/users/:sub", statusRoute("delete"));

  app.post("/users/:sub/resync", async (c) => {
    const { service } = deps();
    const { reason } = parse(optionalReasonBody, await bodyOf(c, true));
    return c.json(await service.resync(c.get("caller").sub, c.req.param("sub"), reason));
  });

  app.get("/audit", async (c) => {
    const { rt, schemas } = deps();
    const { limit, cursor, actor, action } = parse(schemas.audit, queryOf(c));
    return c.json(
      await rt.directory.listAudit(
        { ...(actor ? { actor } : {}), ...(action ? { action } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      ),
    );
  });

  app.notFound((c) =>
    errorResponse(c, 404, { error: "not_found", message: `No route ${c.req.method} ${c.req.path}.` }),
  );

  app.onError((error, c) => {
    if (error instanceof AuthError) {
      logger.info("admin API refused", { status: error.status, reason: error.reason, path: c.req.path });
      return errorResponse(c, error.status, { error: error.code, message: error.message });
    }
    if (error instanceof AdminError) return errorResponse(c, error.status, error.body());
    if (error instanceof InvalidCursorError) {
      return errorResponse(c, 400, {
        error: "invalid_request",
        message: "The cursor is not valid for this query.",
        fields: { cursor: error.message },
      });
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status, { error: "invalid_request", message: error.message });
    }
    if (error instanceof JwksUnavailableError) {
      logger.error("token keys unavailable", { message: error.message });
      return errorResponse(c, 500, { error: "internal", message: "Tokens cannot be verified right now." });
    }
    logger.error("admin API failed", { path: c.req.path, method: c.req.method, error: error?.name });
    return errorResponse(c, 500, { error: "internal", message: "Something went wrong; try again." });
  });

  return app;
}
