import {
  type AdminRuntime,
  ConflictError,
  createAdminApp,
  ForbiddenError,
  InvalidReconcileCursorError,
  JwksUnavailableError,
  MfaRequiredError,
  NotFoundError,
  SettingsError,
  settingsFromEnv,
  UnauthorizedError,
  ValidationError,
} from "@cognito-lifecycle/admin";
import { InvalidCursorError } from "@cognito-lifecycle/aws";
import {
  ConfigError,
  defineConfig,
  describeError,
  LifecycleError,
  MalformedEventError,
  StoreUnavailableError,
  UserFacingError,
  type UserRecord,
  VersionConflictError,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";

// Only passed through: the error carries it to the 409 answer.
const record = { sub: "s-1", version: 3 } as unknown as UserRecord;

describe("one error model", () => {
  it("every error of ours is a LifecycleError with a stable code", () => {
    const errors: LifecycleError[] = [
      new ConfigError("bad"),
      new MalformedEventError("PreSignUp_SignUp", ["userName"]),
      new UserFacingError("No.", "inviteOnly", "not invited"),
      new StoreUnavailableError("User store get failed: TimeoutError"),
      new VersionConflictError("s-1", 2),
      new ValidationError({ roles: "required" }),
      new NotFoundError("No user with sub x."),
      new ConflictError("changed", record),
      new UnauthorizedError("no Authorization header"),
      new ForbiddenError("needs admin"),
      new MfaRequiredError(),
      new JwksUnavailableError("Could not fetch the token signing keys: down"),
      new SettingsError("Missing configuration: LIFECYCLE_TABLE_NAME"),
      new InvalidCursorError(),
      new InvalidReconcileCursorError(),
    ];
    for (const error of errors) {
      expect(error, error.name).toBeInstanceOf(LifecycleError);
      expect(error.code, error.name).toMatch(/^[a-z_]+$/);
    }
  });

  it("describes refusals for the API exactly as the console reads them", () => {
    expect(describeError(new ValidationError({ "roles.1": "unknown role" }))).toMatchObject({
      code: "invalid_request",
      status: 400,
      message: "The request is not valid.",
      details: { fields: { "roles.1": "unknown role" } },
      detail: "The request is not valid. (roles.1: unknown role)",
    });
    expect(describeError(new ConflictError("changed", record))).toMatchObject({
      code: "conflict",
      status: 409,
      details: { current: record },
    });
    expect(describeError(new InvalidCursorError())).toMatchObject({
      code: "invalid_request",
      status: 400,
      message: "The cursor is not valid for this query.",
      details: { fields: { cursor: "cursor is not valid for this query" } },
      detail: "cursor is not valid for this query",
    });
    expect(describeError(new MfaRequiredError())).toMatchObject({
      code: "mfa_required",
      status: 403,
      log: { reason: "admin without TOTP MFA" },
    });
  });

  it("never shows a server-side failure's message to a caller, but names it for operators and logs", () => {
    expect(describeError(new StoreUnavailableError("User store get failed: TimeoutError"))).toEqual({
      code: "internal",
      status: 500,
      message: "Something went wrong; try again.",
      details: {},
      detail: "User store get failed: TimeoutError",
      log: {
        error: "StoreUnavailableError",
        code: "store_unavailable",
        message: "User store get failed: TimeoutError",
      },
    });
    expect(
      describeError(new JwksUnavailableError("Could not fetch the token signing keys: down")),
    ).toMatchObject({ code: "internal", status: 500, message: "Tokens cannot be verified right now." });
    const foreign = Object.assign(new Error("Email address a@example.com is not verified"), {
      name: "MessageRejected",
    });
    const described = describeError(foreign);
    expect(described).toMatchObject({
      code: "internal",
      status: 500,
      message: "Something went wrong; try again.",
    });
    expect(described.log).toEqual({ error: "MessageRejected", code: "internal" });
    expect(described.detail).toBe("MessageRejected: Email address a@example.com is not verified");
  });

  it("names the SDK and network failures an operator can fix", () => {
    const missing = Object.assign(new Error("Requested resource not found"), {
      name: "ResourceNotFoundException",
    });
    expect(describeError(missing).detail).toBe(
      "the user table does not exist (Requested resource not found)",
    );
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(describeError(refused)).toMatchObject({
      code: "internal",
      detail: "could not reach AWS or the local stack (connect ECONNREFUSED 127.0.0.1:1); is it running?",
      log: { code: "unreachable" },
    });
  });
});

describe("the admin API answers every error through describeError", () => {
  const config = defineConfig({});
  const settings = settingsFromEnv(config, {
    LIFECYCLE_TABLE_NAME: "users",
    LIFECYCLE_USER_POOL_ID: "eu-west-1_pool",
    LIFECYCLE_USER_POOL_CLIENT_ID: "client",
  });
  /** The API's gate with stand-ins: `verify` and `get` decide what fails. */
  const apiWith = (verify: () => Promise<unknown>, get: () => Promise<unknown>) =>
    createAdminApp({
      config,
      settings: { ...settings, requireAdminMfa: false },
      verifier: { verify },
      store: { get },
    } as unknown as AdminRuntime);
  const call = async (app: ReturnType<typeof apiWith>, path = "/me") => {
    const response = await app.request(path, { headers: { authorization: "Bearer token" } });
    return { status: response.status, body: await response.json() };
  };
  const caller = async () => ({ sub: "s-1", roles: [], permissions: [] });

  it("a store outage is a 500 with the generic sentence", async () => {
    const app = apiWith(caller, async () => {
      throw new StoreUnavailableError("User store get failed: TimeoutError");
    });
    expect(await call(app)).toEqual({
      status: 500,
      body: { error: "internal", message: "Something went wrong; try again." },
    });
  });

  it("unavailable signing keys are a 500 that says so, a refused token a 401", async () => {
    const keys = apiWith(async () => {
      throw new JwksUnavailableError("Could not fetch the token signing keys: down");
    }, caller);
    expect(await call(keys)).toEqual({
      status: 500,
      body: { error: "internal", message: "Tokens cannot be verified right now." },
    });
    const refused = apiWith(async () => {
      throw new UnauthorizedError("token expired");
    }, caller);
    expect(await call(refused)).toEqual({
      status: 401,
      body: { error: "unauthorized", message: "A valid bearer token is required." },
    });
  });
});
