import { readFileSync } from "node:fs";
import {
  type AuditAction,
  type LifecycleEvent,
  lifecycleEventJsonSchema,
  lifecycleEventsFor,
  lifecycleEventTypes,
  parseLifecycleEvent,
  type UserRecord,
} from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import { eventsSchemaPath } from "../../packages/core/scripts/events-schema.ts";
import { auditEntry, t0, userRecord } from "./support/records.ts";

const t1 = "2030-01-02T00:00:00.000Z";

function change(
  before: UserRecord | undefined,
  patch: Partial<UserRecord> | undefined,
  action = "x" as AuditAction,
) {
  const after =
    patch && before ? { ...before, ...patch, version: before.version + 1, updatedAt: t1 } : undefined;
  return { audit: auditEntry({ id: "a-2", at: t1, action }), before, after };
}

function only(events: LifecycleEvent[]): LifecycleEvent {
  expect(events).toHaveLength(1);
  return events[0] as LifecycleEvent;
}

describe("lifecycle events from a committed change", () => {
  it("creating a record yields user.created with the record summary and no secrets", () => {
    const record = userRecord({
      welcomeEmail: { status: "failed", at: t0, attempts: 1, error: "bounce for jane@example.com" },
      passwordChangedAt: t0,
    });
    const event = only(lifecycleEventsFor({ audit: auditEntry(), after: record }));

    expect(event).toMatchObject({
      id: "evt_a-1",
      type: "user.created",
      timestamp: t0,
      schemaVersion: 1,
      data: { sub: "sub-1", version: 1, record: { email: "jane@example.com", roles: ["member"] } },
    });
    expect(event.data.record).not.toHaveProperty("welcomeEmail");
    expect(event.data.record).not.toHaveProperty("passwordChangedAt");
    expect(event.data.record).not.toHaveProperty("emailNormalised");
    expect(event.data).not.toHaveProperty("changes");
  });

  it.each([
    [{ status: "disabled" as const }, "user.disabled", { status: "active" }],
    [{ status: "deleted" as const }, "user.deleted", { status: "active" }],
  ])("a status change %o yields %s with the previous status", (patch, type, previous) => {
    const event = only(lifecycleEventsFor(change(userRecord(), patch)));
    expect(event.type).toBe(type);
    expect(event.data).toMatchObject({ version: 2, changes: ["status"], previous });
  });

  it("enabling a disabled user yields user.enabled", () => {
    const event = only(lifecycleEventsFor(change(userRecord({ status: "disabled" }), { status: "active" })));
    expect(event.type).toBe("user.enabled");
    expect(event.data.previous).toEqual({ status: "disabled" });
  });

  it("a role change yields user.roles_changed, whatever the audit action is called", () => {
    for (const action of ["user.roles.set", "user.reconciled", "user.resynced"] as const) {
      const event = only(lifecycleEventsFor(change(userRecord(), { roles: ["admin", "member"] }, action)));
      expect(event.type).toBe("user.roles_changed");
      expect(event.data).toMatchObject({ changes: ["roles"], previous: { roles: ["member"] } });
      expect(event.data.record?.roles).toEqual(["admin", "member"]);
    }
  });

  it("a profile change yields user.updated naming the fields, without their old values", () => {
    const event = only(
      lifecycleEventsFor(
        change(userRecord(), { email: "new@example.com", name: "Jane Roe" }, "user.resynced"),
      ),
    );
    expect(event.type).toBe("user.updated");
    expect(event.data.changes).toEqual(["email", "name"]);
    expect(JSON.stringify(event)).not.toContain("jane@example.com");
  });

  it("a status change wins over a role change in the same version: one event per version", () => {
    const events = lifecycleEventsFor(change(userRecord(), { status: "disabled", roles: [] }));
    expect(events.map((event) => event.type)).toEqual(["user.disabled"]);
    expect(only(events).data.previous).toEqual({ status: "active", roles: ["member"] });
  });

  it("a resync that changed nothing yields no event", () => {
    const before = userRecord();
    expect(
      lifecycleEventsFor({ audit: auditEntry({ action: "user.resynced" }), before, after: before }),
    ).toEqual([]);
    expect(lifecycleEventsFor(change(before, {}))).toEqual([]);
  });

  it("a sign-in yields user.signed_in only when enabled", () => {
    const before = userRecord();
    const signIn = {
      audit: auditEntry({ action: "user.signed_in", at: t1 }),
      before,
      after: { ...before, lastSignInAt: t1 },
    };
    expect(lifecycleEventsFor(signIn)).toEqual([]);
    const event = only(lifecycleEventsFor(signIn, { signedIn: true }));
    expect(event).toMatchObject({ type: "user.signed_in", data: { version: 1, changes: ["lastSignInAt"] } });
  });

  it("erasure carries no personal data, with or without a tombstone", () => {
    const before = userRecord({ version: 4 });
    const removed = only(lifecycleEventsFor({ audit: auditEntry({ action: "user.erased" }), before }));
    const tombstone = only(
      lifecycleEventsFor({
        audit: auditEntry({ action: "user.erased" }),
        before,
        after: { ...before, email: undefined, name: undefined, status: "deleted", version: 5 },
      }),
    );
    for (const event of [removed, tombstone]) {
      expect(event.type).toBe("user.erased");
      expect(event.data).toEqual({ sub: "sub-1", version: 5 });
    }
  });

  it("is deterministic, so a retried transaction or a replay gives the same event id", () => {
    const input = change(userRecord(), { roles: [] });
    expect(lifecycleEventsFor(input)).toEqual(lifecycleEventsFor(input));
  });

  it("every event it makes passes its own schema", () => {
    const events = [
      ...lifecycleEventsFor({ audit: auditEntry(), after: userRecord() }),
      ...lifecycleEventsFor(change(userRecord(), { status: "disabled" })),
      ...lifecycleEventsFor({ audit: auditEntry({ action: "user.erased" }), before: userRecord() }),
    ];
    for (const event of events) expect(parseLifecycleEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });
});

describe("the event schema", () => {
  const valid = only(lifecycleEventsFor({ audit: auditEntry(), after: userRecord() }));

  it.each([
    ["an unknown type", { ...valid, type: "user.exploded" }],
    ["a future schema version", { ...valid, schemaVersion: 2 }],
    ["a non-UTC timestamp", { ...valid, timestamp: "2030-01-01T00:00:00+02:00" }],
    ["a version below 1", { ...valid, data: { ...valid.data, version: 0 } }],
  ])("refuses %s", (_, value) => {
    expect(() => parseLifecycleEvent(value)).toThrow();
  });

  it("accepts fields added later (additive changes keep the schema version)", () => {
    expect(() =>
      parseLifecycleEvent({ ...valid, extra: 1, data: { ...valid.data, extra: true } }),
    ).not.toThrow();
  });

  it("lists every event type in the JSON Schema", () => {
    const schema = lifecycleEventJsonSchema() as { properties: { type: { enum: string[] } } };
    expect(schema.properties.type.enum).toEqual([...lifecycleEventTypes]);
  });

  it("docs/events.schema.json is the schema the code defines (npm run events:schema)", () => {
    expect(JSON.parse(readFileSync(eventsSchemaPath, "utf8"))).toEqual(lifecycleEventJsonSchema());
  });
});
