import { adminRoutePermissions } from "@cognito-lifecycle/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../packages/admin/src/app.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";

const password = "Passw0rd!route-permissions";
const missingSub = "00000000-0000-4000-8000-000000000000";
const table = Object.entries(adminRoutePermissions);

/** `GET /users/{sub}` with the subs (and an id) filled in. */
const pathOf = (route: string, sub: string) =>
  (route.split(" ")[1] as string).replace("{sub}", sub).replace("{id}", "wh_missing");

/** Bodies a read route needs to answer 200; every other route gets an empty JSON body. */
const readBodies: Record<string, (sub: string) => unknown> = {
  "POST /users/bulk/export": (sub) => ({ format: "csv", subs: [sub] }),
};

/** A request for every route of the table: an empty JSON body for the ones that take one. */
const callOf = (s: AdminStack, token: string, route: string, sub: string) => {
  const method = route.split(" ")[0] as string;
  const body = readBodies[route]?.(sub) ?? {};
  return s.api(method, pathOf(route, sub), { token, ...(method === "GET" ? {} : { body }) });
};

describe("the route -> permission table", () => {
  it("names every route of the API app (the infra routes are its keys)", () => {
    // The runtime is only built on a request: none is made here.
    const app = createAdminApp(() => {
      throw new Error("no request expected");
    });
    const served = new Set(
      app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    expect([...served].sort()).toEqual(Object.keys(adminRoutePermissions).sort());
  });
});

// Issue #19 feature 8: roles grant permissions; `support` (users:read, profile:read) reads only.
describe("every admin API route checks its permission (real local stack)", () => {
  let s: AdminStack;
  let admin: Tokens;
  let support: Tokens;
  let member: Tokens;
  let olga: string;

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    olga = await s.signUp("olga@example.com", password, "Olga Petrova");
    const supportSub = await s.signUp("sam.support@example.com", password, "Sam Support");
    await s.signUp("max.member@example.com", password, "Max Member");
    const seen = await s.api("GET", `/users/${supportSub}`, { token: admin.idToken });
    const { version } = seen.body.user as { version: number };
    const granted = await s.api("PATCH", `/users/${supportSub}/roles`, {
      token: admin.idToken,
      body: { add: ["support"], remove: ["member"], reason: "support desk", expectedVersion: version },
    });
    expect(granted.status, granted.text).toBe(200);
    support = await s.signIn("sam.support@example.com", password);
    member = await s.signIn("max.member@example.com", password);
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it("a support caller reads; every other route is 403 naming its permission", async () => {
    const me = await s.api("GET", "/me", { token: support.idToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ roles: ["support"], permissions: ["profile:read", "users:read"] });
    for (const [route, permission] of table) {
      const answer = await callOf(s, support.idToken, route, olga);
      if (permission === null || permission === "users:read") {
        expect(answer.status, route).toBe(200);
      } else {
        expect(answer.status, route).toBe(403);
        expect(answer.body, route).toMatchObject({
          error: "forbidden",
          message: `This needs the ${permission} permission.`,
        });
      }
    }
    // Nothing was changed on the way.
    const after = await s.api("GET", `/users/${olga}`, { token: admin.idToken });
    expect(after.body.user).toMatchObject({ status: "active", roles: ["member"], version: 1 });
  });

  it("an admin passes every route's check (a missing user or id answers past it)", async () => {
    for (const [route] of table) {
      const answer = await callOf(s, admin.idToken, route, missingSub);
      expect(answer.status, `${route}: ${answer.text}`).not.toBe(403);
    }
  });

  it("a caller whose roles grant no admin API permission is refused everywhere", async () => {
    for (const route of ["GET /me", "GET /users", "GET /roles"]) {
      const answer = await s.api("GET", pathOf(route, olga), { token: member.idToken });
      expect(answer.status, route).toBe(403);
    }
  });
});
