import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";

export const t0 = "2030-01-01T00:00:00.000Z";

export function userRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    sub: "sub-1",
    username: "sub-1",
    email: "jane@example.com",
    emailNormalised: "jane@example.com",
    emailVerified: true,
    name: "Jane Doe",
    status: "active",
    roles: ["member"],
    groups: [],
    source: "sign-up",
    identities: [],
    createdAt: t0,
    confirmedAt: t0,
    version: 1,
    updatedAt: t0,
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { sub: "sub-1", id: "a-1", at: t0, actor: "system:test", action: "user.created", ...overrides };
}
