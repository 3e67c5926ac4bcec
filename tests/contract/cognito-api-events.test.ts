import { randomUUID } from "node:crypto";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  UserNotFoundException,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { type AdminRuntime, createAdminRuntime, identifyUser, signalActor } from "@cognito-lifecycle/admin";
import type { DynamoUserStore } from "@cognito-lifecycle/aws";
import { logger } from "@cognito-lifecycle/aws";
import type { UserRecord } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler } from "../../functions/cognito-api-events.ts";
import config from "../../lifecycle.config.ts";
import { dynamoEndpoint, freshStore } from "../support/aws.ts";
import { checkIam } from "../support/iam.ts";
import {
  adminDeleteUser,
  adminDeleteUserFailed,
  adminDeleteUserUnidentified,
  adminUpdateUserAttributes,
  deleteUser,
  hiddenFor,
  updateUserAttributes,
} from "./fixtures/cognito-api-events.ts";

const userPoolId = "eu-west-1_Ab12Cd34E";
// Cognito is mocked (aws-sdk-client-mock answers before any middleware): DynamoDB is checked against the role.
checkIam(config, { userPoolId });

// A new sub per test: the store's transactions carry idempotency tokens derived from the record.
let sub = randomUUID();
const created = "2026-11-01T09:00:00.000Z";

function recordOf(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    sub,
    username: sub,
    email: "jane@example.com",
    emailNormalised: "jane@example.com",
    emailVerified: true,
    name: "Jane",
    status: "active",
    roles: ["member"],
    groups: [],
    source: "sign-up",
    identities: [],
    createdAt: created,
    version: 1,
    updatedAt: created,
    ...overrides,
  };
}

function cognitoUser(userSub: string, attributes: Record<string, string> = {}): UserType {
  return {
    Username: sub,
    Enabled: true,
    UserStatus: "CONFIRMED",
    Attributes: Object.entries({
      sub: userSub,
      email: "jane@example.com",
      email_verified: "true",
      name: "Jane",
      ...attributes,
    }).map(([Name, Value]) => ({ Name, Value })),
  };
}

describe("the delete signal: CloudTrail-delivered Cognito API calls (Cognito mocked)", () => {
  let runtime: AdminRuntime;
  let store: DynamoUserStore;
  let cognito: ReturnType<typeof mockClient>;
  let inCognito: UserType | undefined;
  let handler: ReturnType<typeof createHandler>;

  beforeEach(async () => {
    sub = randomUUID();
    const fresh = await freshStore();
    store = fresh.store;
    runtime = createAdminRuntime({
      config,
      region: localRegion,
      tableName: fresh.tableName,
      userPoolId,
      clientId: "client",
      endpoints: { dynamodb: dynamoEndpoint(), cognito: "http://127.0.0.1:9" },
      credentials: localCredentials,
    });
    cognito = mockClient(runtime.cognito.client);
    inCognito = undefined;
    cognito.on(AdminGetUserCommand).callsFake(() => {
      if (!inCognito) throw new UserNotFoundException({ message: "User does not exist.", $metadata: {} });
      return {
        Username: inCognito.Username,
        UserAttributes: inCognito.Attributes,
        Enabled: inCognito.Enabled,
        UserStatus: inCognito.UserStatus,
      };
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    handler = createHandler(() => runtime);
  });

  afterEach(() => {
    cognito.restore();
    runtime.close();
  });

  async function auditActions(): Promise<{ action: string; actor: string }[]> {
    const page = await store.auditHistory(sub);
    return page.items.map(({ action, actor }) => ({ action, actor }));
  }

  it("an admin's AdminDeleteUser: confirmed gone, the record marked deleted with a user.deleted audit entry; redelivery is a no-op", async () => {
    await store.create(recordOf());
    const event = adminDeleteUser(userPoolId, sub);

    expect(await handler(event)).toMatchObject({
      outcome: "marked-deleted",
      sub,
      eventName: "AdminDeleteUser",
    });
    expect(await store.get(sub)).toMatchObject({ status: "deleted", version: 2 });
    expect(await auditActions()).toContainEqual({ action: "user.deleted", actor: signalActor });

    expect(await handler(event)).toMatchObject({ outcome: "already-deleted" });
    expect(await store.get(sub)).toMatchObject({ version: 2 });
  });

  it("a self-service DeleteUser (token-authorised: no IAM identity, no pool id) marks the record deleted", async () => {
    await store.create(recordOf());
    expect(await handler(deleteUser(sub))).toMatchObject({ outcome: "marked-deleted" });
    expect((await store.get(sub))?.status).toBe("deleted");
  });

  it("a delete whose user is still in Cognito changes nothing; one whose username now has a new sub is a delete", async () => {
    await store.create(recordOf());
    inCognito = cognitoUser(sub);
    expect(await handler(adminDeleteUser(userPoolId, sub))).toMatchObject({ outcome: "still-in-cognito" });
    expect((await store.get(sub))?.status).toBe("active");

    inCognito = cognitoUser("0b0b0b0b-2222-4a5b-9c0d-0123456789ab");
    expect(await handler(adminDeleteUser(userPoolId, sub))).toMatchObject({ outcome: "marked-deleted" });
  });

  it("an attribute update with hidden values re-syncs the record from AdminGetUser; redelivery changes nothing", async () => {
    await store.create(recordOf());
    inCognito = cognitoUser(sub, { name: "Jane Doe" });
    const event = adminUpdateUserAttributes(userPoolId, sub);
    expect(event.detail.requestParameters).toMatchObject({ username: hiddenFor, userAttributes: hiddenFor });

    expect(await handler(event)).toMatchObject({ outcome: "resynced", changes: ["name"] });
    expect(await store.get(sub)).toMatchObject({ name: "Jane Doe", version: 2 });
    expect(await auditActions()).toContainEqual({ action: "user.resynced", actor: signalActor });

    expect(await handler(event)).toMatchObject({ outcome: "unchanged" });
    expect(await handler(updateUserAttributes(sub))).toMatchObject({ outcome: "unchanged" });
    expect((await store.get(sub))?.version).toBe(2);
  });

  it("ignores another pool's calls and calls Cognito refused, without asking Cognito", async () => {
    await store.create(recordOf());
    expect(await handler(adminDeleteUser("eu-west-1_Other0000", sub))).toMatchObject({
      outcome: "other-pool",
    });
    expect(await handler(adminDeleteUserFailed(userPoolId, sub))).toMatchObject({ outcome: "failed-call" });
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
    expect((await store.get(sub))?.status).toBe("active");
  });

  it("a call whose user CloudTrail does not name is counted in a redacted warning, and left to reconcile", async () => {
    const warn = vi.spyOn(logger, "warn");
    expect(await handler(adminDeleteUserUnidentified(userPoolId))).toMatchObject({ outcome: "unidentified" });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("not identified"),
      expect.objectContaining({ eventName: "AdminDeleteUser", UnidentifiedUser: 1 }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain("HIDDEN");
  });

  it("a malformed event is logged (paths only) and dropped; a store failure throws so the event is retried", async () => {
    const error = vi.spyOn(logger, "error");
    const malformed = { ...deleteUser(sub), detail: { eventName: "DeleteUser", secret: "jane@example.com" } };
    expect(await handler(malformed)).toEqual({ outcome: "malformed" });
    expect(await handler("not an event")).toEqual({ outcome: "malformed" });
    expect(JSON.stringify(error.mock.calls)).not.toContain("jane@example.com");

    await store.create(recordOf());
    const failing = createHandler(() => ({
      ...runtime,
      store: { ...runtime.store, get: () => Promise.reject(new Error("ProvisionedThroughputExceeded")) },
    }));
    await expect(failing(deleteUser(sub))).rejects.toThrow("ProvisionedThroughputExceeded");
    expect((await store.get(sub))?.status).toBe("active");
  });

  it("finds the user by sub in every place it may be recorded, and by a visible username", () => {
    const detail = (fields: Record<string, unknown>) =>
      ({ ...adminDeleteUserUnidentified(userPoolId).detail, ...fields }) as Parameters<
        typeof identifyUser
      >[0];
    expect(identifyUser(detail({ additionalEventData: { sub } }))).toEqual({ sub });
    expect(identifyUser(detail({ additionalEventData: { userSub: sub } }))).toEqual({ sub });
    expect(identifyUser(detail({ additionalEventData: { UserSub: sub } }))).toEqual({ sub });
    expect(identifyUser(detail({ responseElements: { userSub: sub } }))).toEqual({ sub });
    expect(identifyUser(detail({ additionalEventData: { sub: "HIDDEN_FOR_SECURITY_REASONS" } }))).toEqual({});
    expect(identifyUser(detail({ requestParameters: { userPoolId, username: sub } }))).toEqual({
      username: sub,
    });
    expect(
      identifyUser(detail({ requestParameters: { userPoolId, username: "HIDDEN_DUE_TO_SECURITY_REASONS" } })),
    ).toEqual({});
  });
});
