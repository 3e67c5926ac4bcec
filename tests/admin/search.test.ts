import { BatchWriteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { UserDirectory, type UserSummary } from "@cognito-lifecycle/admin";
import {
  emailShardOrder,
  profileItem,
  roleItem,
  searchTextAttribute,
  UserRecords,
} from "@cognito-lifecycle/aws";
import { parseUserSearch, searchFold, type UserRecord } from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { freshStore } from "../support/aws.ts";
import { actingAs, checkIam } from "../support/iam.ts";

checkIam(lifecycleConfig);

const people: [email: string, name: string, roles?: string[], status?: UserRecord["status"]][] = [
  ["wang.fang@example.cn", "王芳", ["admin", "member"]],
  ["layla@example.ae", "ليلى حسن"],
  ["moshe@example.co.il", "מֹשֶׁה כֹּהֵן"],
  ["jose@mail.example.com", "JOSÉ Núñez"],
  ["ann@example.com", "Ann Lee"],
  ["joanna@acme.test", "Joanna Smith", ["admin", "member"]],
  ["zoe@acme.test", "Zoë Straße", ["member"], "disabled"],
  ["9lives@example.com", "Nine Lives"],
  ["_under@example.com", "Under Score"],
  ["bea@example.com.evil.test", "Bea Trap"],
  ["gone@acme.test", "Gone Away", ["member"], "deleted"],
];

function record([email, name, roles, status]: (typeof people)[number], index: number): UserRecord {
  const createdAt = `2025-02-${String(index + 1).padStart(2, "0")}T10:00:00.000Z`;
  return {
    sub: `${String(index).padStart(8, "0")}-0000-4000-8000-000000000000`,
    username: `user-${index}`,
    email,
    emailNormalised: email.toLowerCase(),
    emailVerified: true,
    name,
    status: status ?? "active",
    roles: roles ?? ["member"],
    groups: [],
    source: "sign-up",
    identities: [],
    createdAt,
    version: 1,
    updatedAt: createdAt,
  };
}

const records = people.map(record);

describe("searchFold and parseUserSearch", () => {
  it("folds case, width and the marks a name search ignores, and keeps other scripts as they are", () => {
    expect(searchFold("JOSÉ Núñez")).toBe("jose nunez");
    expect(searchFold("ＡＢＣ")).toBe("abc");
    expect(searchFold("מֹשֶׁה")).toBe("משה");
    expect(searchFold("Straße")).toBe("strasse");
    expect(searchFold("王芳")).toBe("王芳");
    expect(searchFold("が")).toBe("が");
  });

  it("reads a sub, a whole email, a domain and free text", () => {
    expect(parseUserSearch(" 3F2504E0-4F89-41D3-9A0C-0305E82C3301 ")).toEqual({
      kind: "sub",
      sub: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    });
    expect(parseUserSearch("Ann@Example.com")).toEqual({ kind: "email", email: "Ann@Example.com" });
    expect(parseUserSearch("@Example.COM")).toEqual({ kind: "domain", domain: "example.com" });
    expect(parseUserSearch("@acme")).toEqual({ kind: "text", text: "@acme" });
    expect(parseUserSearch("Lee")).toEqual({ kind: "text", text: "lee" });
    expect(parseUserSearch("   ")).toBeUndefined();
  });
});

describe("UserDirectory search and order (against DynamoDB Local)", () => {
  let directory: UserDirectory;
  let small: UserDirectory;
  let records_: UserRecords;
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  const sent: { command: string; index?: string }[] = [];
  /** A record written before search existed: its items lack the search text. */
  const legacy = record(["legacy.person@old.example", "Ловелас Старый", ["admin", "member"]], 20);

  beforeAll(async () => {
    fresh = await freshStore();
    const withoutText = (item: Record<string, unknown>) => {
      const { [searchTextAttribute]: _text, ...rest } = item;
      return rest;
    };
    const items = [
      ...records.flatMap((user) => [profileItem(user), ...user.roles.map((role) => roleItem(user, role))]),
      withoutText(profileItem(legacy)),
      ...legacy.roles.map((role) => withoutText(roleItem(legacy, role))),
    ];
    for (let start = 0; start < items.length; start += 25) {
      const batch = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      await fresh.db.send(new BatchWriteCommand({ RequestItems: { [fresh.tableName]: batch } }));
    }
    fresh.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        sent.push({
          command: context.commandName ?? "",
          ...(input.IndexName ? { index: input.IndexName } : {}),
        });
        return next(args);
      },
      { step: "initialize", name: "countSearchCommands" },
    );
    directory = actingAs("AdminApiHandler", new UserDirectory(fresh.db, fresh.tableName));
    small = actingAs("AdminApiHandler", new UserDirectory(fresh.db, fresh.tableName, { readBudget: 3 }));
    records_ = new UserRecords(fresh.store, lifecycleConfig, {
      newId: () => "unused",
      now: () => new Date("2025-03-01T00:00:00.000Z"),
    });
  });

  async function collect(
    from: UserDirectory,
    filter: Parameters<UserDirectory["listUsers"]>[0],
    limit = 25,
  ): Promise<UserSummary[]> {
    const all: UserSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await from.listUsers(filter, { limit, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return all;
  }
  const emails = (users: UserSummary[]) => users.map((user) => user.email);

  it("finds names in Chinese, Arabic and Hebrew (with or without points), accents and case folded", async () => {
    expect(emails(await collect(directory, { q: "芳" }))).toEqual(["wang.fang@example.cn"]);
    expect(emails(await collect(directory, { q: "حسن" }))).toEqual(["layla@example.ae"]);
    expect(emails(await collect(directory, { q: "משה" }))).toEqual(["moshe@example.co.il"]);
    expect(emails(await collect(directory, { q: "nunez" }))).toEqual(["jose@mail.example.com"]);
    expect(emails(await collect(directory, { q: "STRASSE", status: "disabled" }))).toEqual(["zoe@acme.test"]);
  });

  it("matches a substring of the email or the name, newest first, deleted users hidden on request", async () => {
    expect(emails(await collect(directory, { q: "ann" }))).toEqual(["joanna@acme.test", "ann@example.com"]);
    expect(emails(await collect(directory, { q: "a", hideDeleted: true, role: "admin" }))).toEqual([
      "joanna@acme.test",
      "wang.fang@example.cn",
    ]);
    expect(emails(await collect(directory, { q: "gone" }))).toEqual(["gone@acme.test"]);
    expect(await collect(directory, { q: "gone", hideDeleted: true })).toEqual([]);
  });

  it("matches a domain and its subdomains, not a longer domain that starts the same", async () => {
    expect(emails(await collect(directory, { q: "@example.com" }))).toEqual([
      "_under@example.com",
      "9lives@example.com",
      "ann@example.com",
      "jose@mail.example.com",
    ]);
    expect(emails(await collect(directory, { q: "@acme.test", hideDeleted: true }))).toEqual([
      "zoe@acme.test",
      "joanna@acme.test",
    ]);
  });

  it("reads one item for a sub and uses the email index for a whole email", async () => {
    const sub = records[4]?.sub as string;
    sent.length = 0;
    const bySub = await directory.listUsers({ q: sub.toUpperCase() });
    expect(emails(bySub.items)).toEqual(["ann@example.com"]);
    expect(sent).toEqual([{ command: "QueryCommand" }]);
    sent.length = 0;
    const byEmail = await directory.listUsers({ q: "ANN@example.com" });
    expect(emails(byEmail.items)).toEqual(["ann@example.com"]);
    expect(sent).toEqual([{ command: "QueryCommand", index: "gsi2" }]);
    expect((await directory.listUsers({ q: records[10]?.sub as string, hideDeleted: true })).items).toEqual(
      [],
    );
  });

  it("stops a search at its read budget with a cursor, says how much it read, and continues from there", async () => {
    const first = await small.listUsers({ q: "lives" }, { limit: 1 });
    expect(first.items).toEqual([]);
    expect(first.searched).toBe(3);
    expect(first.cursor).toBeDefined();
    expect(emails(await collect(small, { q: "lives" }, 1))).toEqual(["9lives@example.com"]);
  });

  it("sorts oldest first and by email A to Z across the email index's partitions, under filters too", async () => {
    const oldest = await collect(directory, { sort: "oldest", hideDeleted: true }, 4);
    expect(oldest.map((user) => user.createdAt)).toEqual([...oldest.map((user) => user.createdAt)].sort());
    expect(oldest[0]?.email).toBe("wang.fang@example.cn");

    const everyone = records.map((user) => user.email as string);
    for (const limit of [1, 3, 25]) {
      expect(emails(await collect(directory, { sort: "email" }, limit))).toEqual(
        [...everyone, legacy.email].sort(),
      );
    }
    expect(emails(await collect(directory, { sort: "email", role: "admin" }, 2))).toEqual([
      "joanna@acme.test",
      "legacy.person@old.example",
      "wang.fang@example.cn",
    ]);
    expect(emails(await collect(small, { sort: "email", q: "@acme.test" }, 2))).toEqual([
      "gone@acme.test",
      "joanna@acme.test",
      "zoe@acme.test",
    ]);
    expect(emailShardOrder.slice(0, 3)).toEqual(["!", '"', "#"]);
    expect(emailShardOrder).not.toContain("A");
  });

  describe("a search together with an email prefix", () => {
    const ann = () => records[4]?.sub as string;
    const searches = () => [ann(), "ANN@example.com", "@example.com", "an", "a"];
    const prefixes = ["a", "ANN", "ann@example.com", "ann@example.co", "j", "jo", "zzz"];
    const others: Parameters<UserDirectory["listUsers"]>[0][] = [
      {},
      { role: "admin" },
      { role: "member", hideDeleted: true },
      { status: "disabled" },
      { createdFrom: "2025-02-05", createdTo: "2025-02-10" },
      { sort: "oldest" },
      { sort: "email" },
    ];
    const sorted = (users: UserSummary[]) => emails(users).sort();

    it("matches exactly the users the search finds whose email starts with the prefix, under every plan", async () => {
      for (const q of searches()) {
        for (const other of others) {
          const searched = await collect(directory, { ...other, q });
          for (const emailPrefix of prefixes) {
            const expected = searched.filter((user) =>
              user.email?.toLowerCase().startsWith(emailPrefix.toLowerCase()),
            );
            const found = await collect(directory, { ...other, q, emailPrefix }, 2);
            expect(sorted(found), JSON.stringify({ ...other, q, emailPrefix })).toEqual(sorted(expected));
            const count = await directory.countUsers({ ...other, q, emailPrefix });
            expect(count).toEqual({ count: expected.length, exact: true });
          }
        }
      }
    });

    it("keeps to the prefix under the read budget, page after page", async () => {
      expect(emails(await collect(small, { q: "e", emailPrefix: "jo" }, 1))).toEqual([
        "joanna@acme.test",
        "jose@mail.example.com",
      ]);
    });

    it("a whole email outside the prefix matches nothing without a query; inside it, one query", async () => {
      sent.length = 0;
      expect(await directory.listUsers({ q: "ann@example.com", emailPrefix: "b" })).toEqual({ items: [] });
      expect(await directory.countUsers({ q: "ann@example.com", emailPrefix: "b" })).toEqual({
        count: 0,
        exact: true,
      });
      const pages: UserSummary[][] = [];
      for await (const page of directory.eachUserPage({ q: "ann@example.com", emailPrefix: "b" })) {
        pages.push(page);
      }
      expect(pages).toEqual([]);
      expect(sent).toEqual([]);
      const inside = await directory.listUsers({ q: "ann@example.com", emailPrefix: "Ann@" });
      expect(emails(inside.items)).toEqual(["ann@example.com"]);
      expect(sent).toEqual([{ command: "QueryCommand", index: "gsi2" }]);
    });
  });

  it("backfills the search text of records written before it, once, without a new version", async () => {
    expect(await collect(directory, { q: "ловелас" })).toEqual([]);
    const missing = await directory.withoutSearchText();
    expect(missing.items.map((item) => item.sub)).toEqual([legacy.sub]);
    expect(await records_.backfillSearch({ ...legacy, version: 7 })).toBe(false);
    expect(await records_.backfillSearch(missing.items[0] as UserRecord)).toBe(true);

    expect(emails(await collect(directory, { q: "ловелас" }))).toEqual([legacy.email]);
    expect(emails(await collect(directory, { q: "ловелас", role: "admin" }))).toEqual([legacy.email]);
    expect((await directory.withoutSearchText()).items).toEqual([]);
    const stored = await fresh.db.send(
      new GetCommand({ TableName: fresh.tableName, Key: { pk: `USER#${legacy.sub}`, sk: "PROFILE" } }),
    );
    expect(stored.Item?.version).toBe(1);
    expect((await fresh.store.get(legacy.sub))?.[searchTextAttribute as keyof UserRecord]).toBeUndefined();
  });
});
