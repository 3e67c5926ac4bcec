import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAgainst } from "../support/cli.ts";
import { type AdminStack, startAdminStack, type Tokens } from "./stack-support.ts";

const password = "Passw0rd!search-tests";

// Issue #19 features 2 and 7: search by name, email substring, domain and sub; sort orders.
describe("user search and order through the admin API and the CLI (real local stack)", () => {
  let s: AdminStack;
  let admin: Tokens;
  const subs: Record<string, string> = {};
  const get = (path: string) => s.api("GET", path, { token: admin.idToken });
  const emails = (body: Record<string, unknown>) =>
    (body.items as { email: string }[]).map((user) => user.email);

  beforeAll(async () => {
    s = await startAdminStack();
    const { info } = s.stack;
    admin = await s.signIn(info.admin.email, info.admin.password);
    for (const [key, email, name] of [
      ["li", "li.wei@example.cn", "李伟"],
      ["omar", "omar@mail.example.ae", "عمر الفاروق"],
      ["noa", "noa@example.co.il", "נֹעָה לוי"],
      ["zoe", "zoe@acme.test", "Zoë Brontë"],
    ] as const) {
      subs[key] = await s.signUp(email, password, name);
    }
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  }, 60_000);

  it("GET /users?q= finds a name in any script, a domain, a whole email and a sub", async () => {
    expect(emails((await get(`/users?q=${encodeURIComponent("伟")}`)).body)).toEqual(["li.wei@example.cn"]);
    expect(emails((await get(`/users?q=${encodeURIComponent("الفاروق")}`)).body)).toEqual([
      "omar@mail.example.ae",
    ]);
    expect(emails((await get(`/users?q=${encodeURIComponent("נעה")}`)).body)).toEqual(["noa@example.co.il"]);
    expect(emails((await get("/users?q=bronte")).body)).toEqual(["zoe@acme.test"]);
    expect(emails((await get(`/users?q=${encodeURIComponent("@example.ae")}`)).body)).toEqual([
      "omar@mail.example.ae",
    ]);
    expect(emails((await get("/users?q=ZOE@acme.test")).body)).toEqual(["zoe@acme.test"]);
    const bySub = await get(`/users?q=${subs.noa}`);
    expect(emails(bySub.body)).toEqual(["noa@example.co.il"]);
    // A text search says how many index entries it read.
    expect((await get("/users?q=wei")).body.searched).toEqual(expect.any(Number));
    expect((await get(`/users/count?q=${encodeURIComponent("@example.co.il")}`)).body).toEqual({
      count: 1,
      exact: true,
    });
  });

  it("GET /users takes q together with emailPrefix: the users matching both, for every kind of search", async () => {
    const everyone = emails((await get("/users?limit=100")).body);
    const cases: [q: string, prefix: string, expected: string[]][] = [
      ["@example.cn", "li", ["li.wei@example.cn"]],
      ["@example.cn", "zoe", []],
      ["bronte", "ZOE", ["zoe@acme.test"]],
      ["e", "noa", ["noa@example.co.il"]],
      ["ZOE@acme.test", "zo", ["zoe@acme.test"]],
      ["ZOE@acme.test", "li", []],
      [subs.omar as string, "omar@", ["omar@mail.example.ae"]],
      [subs.omar as string, "noa", []],
    ];
    for (const [q, prefix, expected] of cases) {
      const query = `q=${encodeURIComponent(q)}&emailPrefix=${encodeURIComponent(prefix)}`;
      const answer = await get(`/users?${query}`);
      expect(answer.status, answer.text).toBe(200);
      expect(emails(answer.body), query).toEqual(expected);
      // The same as filtering the search's own listing by the prefix.
      const searched = emails((await get(`/users?q=${encodeURIComponent(q)}&limit=100`)).body);
      expect(expected).toEqual(searched.filter((email) => email.startsWith(prefix.toLowerCase())));
      expect(everyone).toEqual(expect.arrayContaining(expected));
      expect((await get(`/users/count?${query}`)).body).toEqual({ count: expected.length, exact: true });
    }
    const csv = await get("/users.csv?q=%40acme.test&emailPrefix=zoe");
    expect(csv.status).toBe(200);
    expect(csv.text).toContain("zoe@acme.test");
  });

  it("sorts oldest first and by email", async () => {
    const oldest = emails((await get("/users?sort=oldest&limit=2")).body);
    expect(oldest[0]).toBe(s.stack.info.admin.email);
    const byEmail = emails((await get("/users?sort=email&hideDeleted=true")).body);
    expect(byEmail).toEqual([...byEmail].sort());
    expect(byEmail).toEqual(expect.arrayContaining(["li.wei@example.cn", "zoe@acme.test"]));
  });

  it("answers a bad search or order with a 400 naming the field", async () => {
    const blank = await get("/users?q=%20%20");
    expect(blank.status).toBe(400);
    expect(blank.body.fields).toEqual({ q: "needs something to search for" });
    const long = await get(`/users?q=${"x".repeat(255)}`);
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.fields as object)).toEqual(["q"]);
    const sort = await get("/users?sort=name");
    expect(sort.status).toBe(400);
    expect(Object.keys(sort.body.fields as object)).toEqual(["sort"]);
  });

  it("the CLI searches with --search and sorts with --sort, and refuses a bad one", async () => {
    const run = cliAgainst(s.stackFile);
    const found = await run("users", "list", "--search", "李", "--json");
    expect(found.code).toBe(0);
    expect(emails(JSON.parse(found.stdout))).toEqual(["li.wei@example.cn"]);
    const text = await run("users", "list", "--search", "@acme.test");
    expect(text.stdout).toContain("zoe@acme.test");
    const sorted = await run("users", "list", "--sort", "email", "--json");
    const listed = emails(JSON.parse(sorted.stdout));
    expect(listed).toEqual([...listed].sort());
    const both = await run("users", "list", "--search", "@acme.test", "--email-prefix", "zo", "--json");
    expect(both.code, both.stderr).toBe(0);
    expect(emails(JSON.parse(both.stdout))).toEqual(["zoe@acme.test"]);
    const outside = await run("users", "list", "--search", "zoe@acme.test", "--email-prefix", "li", "--json");
    expect(outside.code, outside.stderr).toBe(0);
    expect(emails(JSON.parse(outside.stdout))).toEqual([]);
    const badSort = await run("users", "list", "--sort", "name");
    expect(badSort.code).toBe(2);
    const backfill = await run("users", "backfill-search", "--json");
    expect(backfill.code).toBe(0);
    // Every record here was written with its search text: nothing to backfill.
    expect(JSON.parse(backfill.stdout)).toEqual({ updated: 0, changedMeanwhile: 0 });
  });
});
