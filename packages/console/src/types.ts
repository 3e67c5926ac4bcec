import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";

export type { AuditEvent, UserRecord, UserSource, UserStatus } from "@cognito-lifecycle/core";

/** One row of `GET /users`. */
export type UserSummary = Pick<
  UserRecord,
  "sub" | "email" | "name" | "roles" | "status" | "source" | "createdAt"
> & { lastSignInAt?: string };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface Me {
  sub: string;
  email?: string;
  roles: string[];
}

export interface RoleInfo {
  name: string;
  description: string;
  permissions: string[];
}

export interface UserDetail {
  user: UserRecord;
  audit: Page<AuditEvent>;
}

export const userStatuses = ["active", "disabled", "deleted"] as const;
export const userSources = ["sign-up", "admin-create", "federated", "reconcile", "token-jit"] as const;
export const auditActions = [
  "user.roles.set",
  "user.disabled",
  "user.enabled",
  "user.deleted",
  "user.resynced",
] as const;
