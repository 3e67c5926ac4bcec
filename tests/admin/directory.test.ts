import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import {
  csvField,
  csvHeader,
  csvRow,
  planUserQuery,
  UserDirectory,
  type UserSummary,
} from "@cognito-lifecycle/admin";
import { auditItem, InvalidCursorError, profileItem, roleItem } from "@cognito-lifecycle/aws";
import type { UserRecord, UserSource, UserStatus } from "@cognito-lifecycle/core";
import { beforeAll, describe, expect, it } from "vitest";
import lifecycleConfig from "../../lifecycle.config.ts";
import { freshStore } from "../support/aws.ts";
import { actingAs, checkIam } from "../support/iam.ts";

interface Seed {
  email: string;
  roles: string[];
  status: UserStatus;
  source: UserSource;
  day: number;
}

const seeds: Seed[] = Array.from({ length: 30 }, (_, index) => ({
  email: `${["ada", "alan", "grace", "edsger", "barbara"][index % 5]}${index}@${index % 2 ? "example.com" : "acme.test"}`,
  roles: index % 3 === 0 ? ["admin", "member"] : ["member"],
  status: index % 7 === 0 ? "disabled" : index === 29 ? "deleted" : "active",
  source: index % 10 === 0 ? "reconcile" : "sign-up",
  day: index + 1,
}));

function record(seed: Seed, index: number): UserRecord {
  const createdAt = `2025-01-${String(seed.day).padStart(2, "0")}T10:00:00.000Z`;
  return {
    sub: `sub-${String(index).padStart(2, "0")}`,
    username: `sub-${String(index).padStart(2, "0")}`,
    email: index === 4 ? seed.email.toUpperCase() : seed.email,
    emailNormalised: seed.email.toLowerCase(),
    emailVerified: true,
    name: `User ${index}`,
    status: seed.status,
    roles: seed.roles,
    groups: [],
    source: seed.source,
    identities: [],
    createdAt,
    ...(index % 4 === 0 ? { lastSignInAt: "2025-02-01T00:00:00.000Z" } : {}),
    version: 1,
    updatedAt: createdAt,
  };
}

checkIam(lifecycleConfig);

describe("UserDirectory (one index query per listing, against DynamoDB Local)", () => {
  let directory: UserDirectory;
  /** The same table with a count budget of 10 items. */
  let boundedCounts: UserDirectory;
  let sent: { command: string; index?: string }[];
  const records = seeds.map(record);

  beforeAll(async () => {
    const fresh = await freshStore();
    // The items exactly as the store writes them, loaded in a few batches.
    const items = [
      ...records.flatMap((user) => [profileItem(user), ...user.roles.map((role) => roleItem(user, role))]),
      ...records.slice(0, 6).map((user, index) =>
        auditItem(
          {
            audit: {
              sub: user.sub,
              id: `audit-${index}`,
              at: `2025-03-0${index + 1}T00:00:00.000Z`,
              actor: index % 2 ? "admin-a" : "admin-b",
              action: index < 3 ? "user.roles.set" : "user.disabled",
              reason: `reason ${index}`,
            },
            // Ten years' retention: DynamoDB Local's TTL sweep would delete 2025 events past 400 days.
          },
          3650,
        ),
      ),
    ];
    for (let start = 0; start < items.length; start += 25) {
      const batch = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      await fresh.db.send(new BatchWriteCommand({ RequestItems: { [fresh.tableName]: batch } }));
    }
    sent = [];
    fresh.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        sent.push({
          command: context.commandName ?? "",
          ...(input.IndexName ? { index: input.IndexName } : {}),
        });
        return next(args);
      },
      { step: "initialize", name: "countCommands" },
    );
    // The admin API's listing: its queries are checked against AdminApiHandler's role.
    directory = actingAs("AdminApiHandler", new UserDirectory(fresh.db, fresh.tableName, { readBudget: 8 }));
    boundedCounts = actingAs(
      "AdminApiHandler",
      new UserDirectory(fresh.db, fresh.tableName, { countBudget: 10 }),
    );
  });

  async function collect(
    filter: Parameters<UserDirectory["listUsers"]>[0],
    limit: number,
  ): Promise<UserSummary[]> {
    const all: UserSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await directory.listUsers(filter, { limit, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return all;
  }

  it("lists newest first with one Query on the creation index per page, and pages through everyone", async () => {
    sent.length = 0;
    const page = await directory.listUsers({}, { limit: 5 });
    expect(sent).toEqual([{ command: "QueryCommand", index: "gsi3" }]);
    expect(page.items.map((user) => user.sub)).toEqual(["sub-29", "sub-28", "sub-27", "sub-26", "sub-25"]);
    expect(page.items[0]).toEqual({
      sub: "sub-29",
      email: records[29]?.email,
      name: "User 29",
      roles: ["member"],
      status: "deleted",
      source: "sign-up",
      createdAt: "2025-01-30T10:00:00.000Z",
    });
    const all = await collect({}, 7);
    expect(all.map((user) => user.sub)).toEqual(records.map((user) => user.sub).reverse());
  });

  it("ends without a trailing empty page when the last page is exactly full", async () => {
    const first = await directory.listUsers({}, { limit: 15 });
    const second = await directory.listUsers({}, { limit: 15, cursor: first.cursor as string });
    expect(second.items).toHaveLength(15);
    expect(second.cursor).toBeUndefined();
  });

  it("filters by role through the role index, and by role and status together", async () => {
    sent.length = 0;
    const admins = await collect({ role: "admin" }, 100);
    // One Query on the role index, then the profiles' last sign-ins (the role items do not carry them).
    const queries = sent.filter((call) => call.command === "QueryCommand");
    expect(queries.every((call) => call.index === "gsi1")).toBe(true);
    expect(sent.filter((call) => call.command !== "QueryCommand")).toEqual([
      { command: "BatchGetItemCommand" },
    ]);
    const expected = records.filter((user) => user.roles.includes("admin"));
    expect(admins.map((user) => user.sub)).toEqual(expected.map((user) => user.sub).reverse());
    const activeAdmins = await collect({ role: "admin", status: "active" }, 3);
    expect(activeAdmins.map((user) => user.sub)).toEqual(
      expected
        .filter((user) => user.status === "active")
        .map((user) => user.sub)
        .reverse(),
    );
  });

  it("filters by status through the status index", async () => {
    const disabled = await collect({ status: "disabled" }, 2);
    expect(disabled.map((user) => user.sub)).toEqual(["sub-28", "sub-21", "sub-14", "sub-07", "sub-00"]);
    expect(disabled.every((user) => user.status === "disabled")).toBe(true);
  });

  it("searches by email prefix, case-insensitively, in email order", async () => {
    const graces = await collect({ emailPrefix: "  GRACE1" }, 2);
    expect(graces.map((user) => user.email)).toEqual(["grace12@acme.test", "grace17@example.com"]);
    const barbara = await collect({ emailPrefix: "barbara4@" }, 10);
    expect(barbara.map((user) => user.sub)).toEqual(["sub-04"]);
    expect(barbara[0]?.email).toBe("BARBARA4@ACME.TEST");
  });

  it("limits by creation date, a date bound including the whole day", async () => {
    const range = await collect({ createdFrom: "2025-01-10", createdTo: "2025-01-12" }, 10);
    expect(range.map((user) => user.createdAt.slice(0, 10))).toEqual([
      "2025-01-12",
      "2025-01-11",
      "2025-01-10",
    ]);
    const withPrefix = await collect({ emailPrefix: "a", createdTo: "2025-01-06" }, 10);
    expect(withPrefix.map((user) => user.email)).toEqual([
      "ada0@acme.test",
      "ada5@example.com",
      "alan1@example.com",
    ]);
  });

  it("applies other filters in DynamoDB and still pages through every match under a small read budget", async () => {
    sent.length = 0;
    const first = await directory.listUsers({ source: "reconcile" }, { limit: 2 });
    // The budget (8 items read) ends the page early; the cursor continues where reading stopped.
    expect(first.items.length).toBeLessThanOrEqual(2);
    expect(first.cursor).toBeDefined();
    expect(sent.every((call) => call.command === "QueryCommand")).toBe(true);
    const reconciled = await collect({ source: "reconcile" }, 2);
    expect(reconciled.map((user) => user.sub)).toEqual(["sub-20", "sub-10", "sub-00"]);
  });

  it("hides deleted users on request, and a named status still wins", async () => {
    const visible = await collect({ hideDeleted: true }, 7);
    expect(visible.map((user) => user.sub)).toEqual(
      records
        .filter((user) => user.status !== "deleted")
        .map((user) => user.sub)
        .reverse(),
    );
    const deleted = await collect({ status: "deleted", hideDeleted: true }, 7);
    expect(deleted.map((user) => user.sub)).toEqual(["sub-29"]);
  });

  it("counts the users of a filter with COUNT queries, exactly under the budget and as a bound past it", async () => {
    sent.length = 0;
    expect(await directory.countUsers({})).toEqual({ count: 30, exact: true });
    expect(await directory.countUsers({ hideDeleted: true })).toEqual({ count: 29, exact: true });
    expect(await directory.countUsers({ role: "admin", status: "active" })).toEqual({
      count: records.filter((user) => user.roles.includes("admin") && user.status === "active").length,
      exact: true,
    });
    expect(await directory.countUsers({ emailPrefix: "grace1" })).toEqual({ count: 2, exact: true });
    expect(sent.every((call) => call.command === "QueryCommand")).toBe(true);
    expect(await boundedCounts.countUsers({})).toEqual({ count: 10, exact: false });
    expect(await boundedCounts.countUsers({ source: "reconcile" })).toMatchObject({ exact: false });
  });

  it("refuses a cursor made for another query", async () => {
    const page = await directory.listUsers({ status: "active" }, { limit: 2 });
    await expect(
      directory.listUsers({ status: "disabled" }, { limit: 2, cursor: page.cursor as string }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(directory.listUsers({}, { cursor: "garbage" })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("plans the most selective index and leaves the rest to the filter", () => {
    expect(planUserQuery({ emailPrefix: "a", role: "admin", status: "active" })).toMatchObject({
      index: { name: "gsi2" },
      filter: "contains(#roles, :role) AND #status = :status",
      forward: true,
    });
    expect(planUserQuery({ role: "admin", status: "active", source: "sign-up" })).toMatchObject({
      index: { name: "gsi1" },
      filter: "#status = :status AND #source = :source",
      forward: false,
    });
    expect(planUserQuery({ status: "active", createdFrom: "2025-01-01" }).filter).toBeUndefined();
  });

  it("lists the audit feed newest first, by actor and by action", async () => {
    const all = await directory.listAudit({}, { limit: 4 });
    expect(all.items.map((event) => event.id)).toEqual(["audit-5", "audit-4", "audit-3", "audit-2"]);
    const byActor = await directory.listAudit({ actor: "admin-a" }, { limit: 10 });
    expect(byActor.items.map((event) => event.id)).toEqual(["audit-5", "audit-3", "audit-1"]);
    const byAction = await directory.listAudit({ action: "user.disabled" }, { limit: 10 });
    expect(byAction.items.map((event) => event.id)).toEqual(["audit-5", "audit-4", "audit-3"]);
    const both = await directory.listAudit({ actor: "admin-b", action: "user.roles.set" }, { limit: 10 });
    expect(both.items.map((event) => event.id)).toEqual(["audit-2", "audit-0"]);
    expect(both.items[0]).toEqual({
      sub: "sub-02",
      id: "audit-2",
      at: "2025-03-03T00:00:00.000Z",
      actor: "admin-b",
      action: "user.roles.set",
      reason: "reason 2",
    });
  });

  it("finds profiles by exact email and reads many at once", async () => {
    expect((await directory.findByEmail(" Grace2@ACME.test ")).map((user) => user.sub)).toEqual(["sub-02"]);
    expect(await directory.findByEmail("nobody@example.com")).toEqual([]);
    const many = await directory.getMany(["sub-01", "sub-03", "missing", "sub-01"]);
    expect([...many.keys()].sort()).toEqual(["sub-01", "sub-03"]);
    expect(many.get("sub-03")?.roles).toEqual(["admin", "member"]);
  });

  it("exports every page", async () => {
    let count = 0;
    for await (const page of directory.eachUserPage({ role: "member" }, 4)) count += page.length;
    expect(count).toBe(records.filter((user) => user.roles.includes("member")).length);
  });
});

describe("CSV", () => {
  it("quotes per RFC 4180 and defuses spreadsheet formulas", () => {
    expect(csvField('Smith, "Jr"')).toBe('"Smith, ""Jr"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("-1")).toBe("'-1");
    expect(csvField(undefined)).toBe("");
    expect(csvHeader()).toBe("\uFEFFsub,email,name,roles,status,source,createdAt,lastSignInAt\r\n");
    expect(
      csvRow({
        sub: "s1",
        email: "a@example.com",
        name: "Line\nBreak",
        roles: ["admin", "member"],
        status: "active",
        source: "sign-up",
        createdAt: "2025-01-01T00:00:00.000Z",
      }),
    ).toBe('s1,a@example.com,"Line\nBreak","admin;member",active,sign-up,2025-01-01T00:00:00.000Z,\r\n');
  });
});
