import { createServer, type Server, type Socket } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createAdminRuntime, UserDirectory } from "@cognito-lifecycle/admin";
import { newUserRecord, StoreUnavailableError } from "@cognito-lifecycle/core";
import { localCredentials, localRegion } from "@cognito-lifecycle/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import { freshStore } from "../support/aws.ts";

/** The bugs issue #13 found where the admin tools and the user table had drifted apart. */
describe("the user table as the admin tools see it", () => {
  it("shows the last sign-in in listings by role, as in every other listing", async () => {
    // Prepare: a user created and signed in the way the triggers do it.
    const { store, db, tableName } = await freshStore();
    const record = newUserRecord(config, {
      sub: "sub-signed-in",
      username: "sub-signed-in",
      attributes: { email: "ada@example.com", email_verified: "true" },
      source: "sign-up",
      now: "2025-01-01T00:00:00.000Z",
    });
    await store.create(record);
    await store.recordSignIn(record.sub, "2025-02-02T00:00:00.000Z");
    const directory = new UserDirectory(db, tableName);

    // Act
    const byRole = await directory.listUsers({ role: "member" });
    const exported: unknown[] = [];
    for await (const page of directory.eachUserPage({ role: "member" })) exported.push(...page);

    // Assess
    expect(byRole.items).toEqual([expect.objectContaining({ lastSignInAt: "2025-02-02T00:00:00.000Z" })]);
    expect(exported).toEqual([expect.objectContaining({ lastSignInAt: "2025-02-02T00:00:00.000Z" })]);
  });

  describe("when the table cannot be reached", () => {
    // Nothing listens on port 9 (discard) here: every request fails to connect.
    const unreachable = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: "http://127.0.0.1:9",
        region: localRegion,
        credentials: localCredentials,
        maxAttempts: 1,
      }),
    );
    const directory = new UserDirectory(unreachable, "users");

    it.each([
      ["listUsers", () => directory.listUsers({})],
      ["listUsers by role", () => directory.listUsers({ role: "admin" })],
      ["eachUserPage", () => directory.eachUserPage({}).next()],
      ["listAudit", () => directory.listAudit({})],
      ["findByEmail", () => directory.findByEmail("ada@example.com")],
      ["getMany", () => directory.getMany(["sub-1"])],
      ["subsWithStatus", () => directory.subsWithStatus("active")],
    ])("%s fails with StoreUnavailableError, as the store's reads do", async (_name, read) => {
      await expect(read()).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe("admin-side SDK calls against a service that accepts and never answers", () => {
    let server: Server;
    const sockets: Socket[] = [];
    let endpoint: string;

    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address() as { port: number };
      endpoint = `http://127.0.0.1:${address.port}`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it("give up after their request timeout instead of hanging", async () => {
      // Prepare
      const runtime = createAdminRuntime({
        config,
        region: localRegion,
        tableName: "users",
        userPoolId: "local_hang",
        clientId: "client",
        issuer: "http://127.0.0.1:9/local_hang",
        endpoints: { dynamodb: endpoint, cognito: endpoint, ses: endpoint },
        credentials: localCredentials,
        timeouts: { requestMs: 300, maxAttempts: 1 },
      });
      try {
        // Act + Assess: without the timeout both calls wait for the server forever (the test times out).
        await expect(runtime.store.get("sub-1")).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(runtime.directory.listUsers({})).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(runtime.cognito.get("someone")).rejects.toThrow();
      } finally {
        runtime.close();
      }
    }, 15_000);
  });
});
