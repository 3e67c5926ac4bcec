import { logger } from "@cognito-lifecycle/aws";
import { describeError, LifecycleError } from "@cognito-lifecycle/core";
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { validator } from "hono/validator";
import type * as z from "zod/mini";
import { fieldErrors, ValidationError } from "../errors.ts";
import { ForbiddenError, type VerifiedCaller } from "../jwt.ts";
import type { AdminRuntime } from "../runtime.ts";
import type { AdminService } from "../service.ts";
import type { Schemas } from "./schemas.ts";

/** What every route reads from the context: the runtime, its service and schemas, the caller. */
export interface Deps {
  rt: AdminRuntime;
  service: AdminService;
  schemas: Schemas;
}

export type Env = { Variables: { caller: VerifiedCaller; deps: Deps } };

/**
 * A route's permission (from the caller's current roles, see `callerGate`; the table is
 * `adminRoutePermissions`): without it the answer is 403 `forbidden` naming it, before the handler.
 */
export function needs(permission: string): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!c.get("caller").permissions.includes(permission)) {
      throw new ForbiddenError(
        `missing permission ${permission}`,
        `This needs the ${permission} permission.`,
      );
    }
    await next();
  };
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/**
 * Hono's validator over the query string, single values with empty ones dropped
 * (`?role=&status=active` means only the status). `c.req.valid("query")` is the parsed result.
 */
export function validQuery<T extends z.ZodMiniType>(schemaOf: (schemas: Schemas) => T) {
  return validator("query", (_value, c: Context<Env>) => {
    const query = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ""));
    return parse(schemaOf(c.get("deps").schemas), query) as z.output<T>;
  });
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

/**
 * The JSON body validated like Hono's `validator("json", …)`, read whatever the content type
 * (as the API always has) and with our 400 for malformed JSON; `c.req.valid("json")` reads it.
 */
export function validJson<T extends z.ZodMiniType>(
  schemaOf: (schemas: Schemas) => T,
  options: { optional?: boolean } = {},
): MiddlewareHandler<Env, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  return async (c, next) => {
    const body = await bodyOf(c, options.optional ?? false);
    c.req.addValidatedData("json", parse(schemaOf(c.get("deps").schemas), body) as object);
    await next();
  };
}

function errorResponse(c: Context, status: number, body: object) {
  return c.json(body, status as ContentfulStatusCode);
}

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 404, { error: "not_found", message: `No route ${c.req.method} ${c.req.path}.` });

/** Every failure answers `{ error, message, ...details }` from `describeError`. */
export const onError: ErrorHandler = (error, c) => {
  const described = describeError(
    error instanceof HTTPException && error.status < 500
      ? new LifecycleError(error.message, { code: "invalid_request", status: error.status })
      : error,
  );
  if (described.status >= 500) {
    logger.error("admin API failed", { path: c.req.path, method: c.req.method, ...described.log });
  } else if (described.log.reason !== undefined) {
    logger.info("admin API refused", {
      status: described.status,
      reason: described.log.reason,
      path: c.req.path,
    });
  }
  return errorResponse(c, described.status, {
    error: described.code,
    message: described.message,
    ...described.details,
  });
};
