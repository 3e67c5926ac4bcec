import {
  AdminGetUserCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  ListUsersInGroupCommand,
  TooManyRequestsException,
  UserNotFoundException,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { type AdminRuntime, createAdminRuntime, reconcile } from "@cognito-lifecycle/admin";
import type { DynamoUserStore } from "@cognito-lifecycle/aws";
import type { UserRecord, WelcomeEmailState } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandler } from "../../functions/reconcile.ts";
import config from "../../lifecycle.config.ts";
import { dynamoEndpoint, emailsTo, freshStore, sesEndpoint } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";

// Cognito is mocked below (aws-sdk-client-mock answers before any middleware): DynamoDB and SES are checked.
checkIam(config, { userPoolId: "local_reconcile" });

const created = new Date("2025-01-02T03:04:05.000Z");

function cognitoUser(sub: string, email = `${sub}@example.com`, enabled = true): UserType {
  return {
    Username: sub,
    Enabled: enabled,
    UserStatus: "CONFIRMED",
    UserCreateDate: created,
    Attributes: [
      { Name: "sub", Value: sub },
      { Name: "email", Value: email },
      { Name: "email_verified", Value: "true" },
    ],
  };
}

function recordOf(sub: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const email = `${sub}@example.com`;
  return {
    sub,
    username: sub,
    email,
    emailNormalised: email,
    emailVerified: true,
    status: "active",
    roles: ["member"],
    groups: [],
    source: "sign-up",
    identities: [],
    createdAt: created.toISOString(),
    version: 1,
    updatedAt: created.toISOString(),
    ...overrides,
  };
}

describe("reconcile (Cognito mocked: cognito-local neither paginates nor throttles)", () => {
  let runtime: AdminRuntime;
  let store: DynamoUserStore;
  let cognito: ReturnType<typeof mockClient>;
  let users: UserType[];
  let listCalls: ListUsersCommandInput[];
  let throttleNext: number;
  let waits: number[];

  beforeEach(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    waits = [];
    runtime = createAdminRuntime(
      {
        config,
        region: localRegion,
        tableName: fresh.tableName,
        userPoolId: "local_reconcile",
        clientId: "client",
        issuer: "http://127.0.0.1:9/local_reconcile",
        endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9", ses: sesEndpoint() },
        credentials: localCredentials,
      },
      {
        backoff: {
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      },
    );
    cognito = mockClient(runtime.cognito.client);
    users = [];
    listCalls = [];
    throttleNext = 0;
    cognito.on(ListUsersCommand).callsFake((input: ListUsersCommandInput) => {
      listCalls.push(input);
      if (throttleNext > 0) {
        throttleNext--;
        throw new TooManyRequestsException({ message: "Too many requests", $metadata: {} });
      }
      const start = input.PaginationToken ? Number(input.PaginationToken) : 0;
      const end = start + (input.Limit ?? 60);
      return {
        Users: users.slice(start, end),
        ...(end < users.length ? { PaginationToken: String(end) } : {}),
      };
    });
    cognito.on(ListGroupsCommand).resolves({ Groups: [{ GroupName: "support" }] });
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [] });
    cognito.on(AdminGetUserCommand).callsFake((input: { Username: string }) => {
      const user = users.find((candidate) => candidate.Username === input.Username);
      if (!user) throw new UserNotFoundException({ message: "User does not exist.", $metadata: {} });
      return {
        Username: user.Username,
        UserAttributes: user.Attributes,
        Enabled: user.Enabled,
        UserStatus: user.UserStatus,
      };
    });
  });

  afterEach(() => {
    cognito.restore();
    runtime.close();
  });

  it("pages ListUsers, backs off when throttled, resumes from its cursor, and is idempotent", async () => {
    users = ["u1", "u2", "u3", "u4", "u5"].map((sub) => cognitoUser(sub));
    users[1] = cognitoUser("u2", "u2.new@example.com");
    await store.create(recordOf("u1"));
    await store.create(recordOf("u2"));
    await store.create(recordOf("gone"));
    throttleNext = 2;

    const first = await reconcile(runtime, { apply: true, pageSize: 2, stopAt: 0 });
    expect(first.complete).toBe(false);
    expect(waits).toHaveLength(2);
    expect(first.counts).toMatchObject({ cognitoUsers: 2, updated: 1, created: 0 });
    expect((await store.get("u2"))?.email).toBe("u2.new@example.com");

    const second = await reconcile(runtime, {
      apply: true,
      pageSize: 2,
      stopAt: 0,
      cursor: first.cursor as string,
    });
    expect(second).toMatchObject({ complete: false, counts: { cognitoUsers: 2, created: 2 } });
    const last = await reconcile(runtime, { apply: true, pageSize: 2, cursor: second.cursor as string });
    expect(last).toMatchObject({ complete: true, counts: { cognitoUsers: 1, created: 1, markedDeleted: 1 } });
    // The resumed run had not seen u1-u4 itself, so it asked Cognito about each before deleting anything.
    expect(
      last.changes.filter((change) => change.kind === "mark-deleted").map((change) => change.sub),
    ).toEqual(["gone"]);

    expect(listCalls.map((call) => [call.Limit, call.PaginationToken])).toEqual([
      [2, undefined],
      [2, undefined],
      [2, undefined],
      [2, "2"],
      [2, "4"],
    ]);
    for (const sub of ["u3", "u4", "u5"]) {
      expect(await store.get(sub)).toMatchObject({
        source: "reconcile",
        createdAt: created.toISOString(),
        roles: ["member"],
      });
    }
    expect((await store.get("gone"))?.status).toBe("deleted");

    const again = await reconcile(runtime, { apply: true, pageSize: 2 });
    expect(again).toMatchObject({
      complete: true,
      changes: [],
      counts: { created: 0, updated: 0, markedDeleted: 0 },
    });
    expect(cognito.commandCalls(AdminGetUserCommand).length).toBe(5);
  });

  it("counts the deletions and attribute drift the delete signal should have applied", async () => {
    users = [cognitoUser("m1", "m1.new@example.com"), cognitoUser("m2"), cognitoUser("m3")];
    await store.create(recordOf("m1"));
    await store.create(recordOf("m2", { groups: ["support"] }));
    await store.create(recordOf("m3"));
    await store.create(recordOf("m-gone"));

    const dry = await reconcile(runtime);
    // m1's email (UpdateUserAttributes) and m-gone (a delete) are signalled calls; m2's group change is not.
    expect(dry.counts).toMatchObject({ updated: 2, markedDeleted: 1, missedBySignal: 2 });
    const applied = await reconcile(runtime, { apply: true });
    expect(applied.counts.missedBySignal).toBe(2);
    expect((await reconcile(runtime, { apply: true })).counts.missedBySignal).toBe(0);
  });

  it("gives up after repeated throttling with the Cognito error", async () => {
    throttleNext = 100;
    await expect(reconcile(runtime)).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(waits).toHaveLength(7);
    expect(waits.every((ms) => ms >= 0 && ms <= 20_000)).toBe(true);
  });

  it("refuses a cursor it did not make", async () => {
    await expect(reconcile(runtime, { cursor: "bm9wZQ" })).rejects.toThrow(
      "The reconcile cursor is not valid",
    );
  });

  it("retries pending welcome emails only, up to the attempt limit; unknown and abandoned sends are reported, never resent", async () => {
    const now = Date.now();
    const welcome = (
      status: WelcomeEmailState["status"],
      minutesAgo: number,
      attempts = 1,
    ): WelcomeEmailState => ({
      status,
      at: new Date(now - minutesAgo * 60_000).toISOString(),
      attempts,
    });
    const cases: [string, Partial<UserRecord>][] = [
      ["pending", { welcomeEmail: welcome("pending", 1) }],
      ["stale", { welcomeEmail: welcome("sending", 60) }],
      ["unknown", { welcomeEmail: welcome("unknown", 60) }],
      ["inflight", { welcomeEmail: welcome("sending", 1) }],
      ["exhausted", { welcomeEmail: welcome("pending", 1, 5) }],
      ["sent", { welcomeEmail: welcome("sent", 1) }],
      ["disabled", { welcomeEmail: welcome("pending", 1), status: "disabled" }],
    ];
    const stamp = `${now}`;
    for (const [name, overrides] of cases) {
      const sub = `${name}-${stamp}`;
      users.push(cognitoUser(sub, `${sub}@example.com`, overrides.status !== "disabled"));
      await store.create(recordOf(sub, overrides));
    }
    const welcomeChanges = (report: Awaited<ReturnType<typeof reconcile>>) =>
      report.changes
        .filter((change) => change.kind === "welcome")
        .map((change) => [change.sub, ...change.changes])
        .sort();

    const dry = await reconcile(runtime);
    expect(welcomeChanges(dry)).toEqual([
      [`pending-${stamp}`, "would send"],
      [`stale-${stamp}`, "stale claim: would mark unknown, not resent"],
      [`unknown-${stamp}`, "unknown: not resent"],
    ]);
    expect(await emailsTo(`pending-${stamp}@example.com`)).toEqual([]);

    const applied = await reconcile(runtime, { apply: true });
    expect(welcomeChanges(applied)).toEqual([
      [`pending-${stamp}`, "sent"],
      [`stale-${stamp}`, "stale claim: marked unknown, not resent"],
      [`unknown-${stamp}`, "unknown: not resent"],
    ]);
    expect(applied.counts).toMatchObject({ welcomeRetried: 1, welcomeUnknown: 2 });
    expect((await store.get(`pending-${stamp}`))?.welcomeEmail).toMatchObject({
      status: "sent",
      attempts: 2,
    });
    expect(await emailsTo(`pending-${stamp}@example.com`)).toHaveLength(1);
    expect((await store.get(`stale-${stamp}`))?.welcomeEmail).toMatchObject({
      status: "unknown",
      attempts: 1,
    });
    for (const name of ["stale", "unknown", "inflight", "exhausted", "disabled"]) {
      expect(await emailsTo(`${name}-${stamp}@example.com`)).toEqual([]);
    }
    const again = await reconcile(runtime, { apply: true });
    expect(again.counts).toMatchObject({ welcomeRetried: 0, welcomeUnknown: 2 });
    expect(await emailsTo(`unknown-${stamp}@example.com`)).toEqual([]);
  });

  it("the scheduled Lambda applies by default, takes a dry run or a cursor, and stops before its timeout", async () => {
    users = ["l1", "l2", "l3"].map((sub) => cognitoUser(sub));
    const handler = createHandler(() => runtime);
    const dry = await handler({ apply: false }, { getRemainingTimeInMillis: () => 600_000 });
    expect(dry).toMatchObject({ apply: false, complete: true, created: 3 });
    expect(await store.get("l1")).toBeUndefined();
    const scheduled = await handler({ source: "aws.events", "detail-type": "Scheduled Event" });
    expect(scheduled).toMatchObject({ apply: true, complete: true, created: 3 });
    expect((await store.get("l3"))?.source).toBe("reconcile");

    // More than one ListUsers page, and too little time left: it stops after a page with a cursor.
    users.push(...Array.from({ length: 60 }, (_, index) => cognitoUser(`m${index}`)));
    const short = await handler({ apply: false }, { getRemainingTimeInMillis: () => 1000 });
    expect(short).toMatchObject({
      apply: false,
      complete: false,
      cognitoUsers: 60,
      cursor: expect.any(String),
    });
    const rest = await handler(
      { apply: false, cursor: short.cursor },
      { getRemainingTimeInMillis: () => 600_000 },
    );
    expect(rest).toMatchObject({ complete: true, cognitoUsers: 3 });
    await expect(handler({ apply: "yes" })).rejects.toThrow("Invalid reconcile input");
  });
});
