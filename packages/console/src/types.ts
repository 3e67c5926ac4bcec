import type { AuditEvent, UserRecord } from "@cognito-lifecycle/core";

export type { AuditEvent, LastChange, UserRecord, UserSource, UserStatus } from "@cognito-lifecycle/core";

/** One row of `GET /users`. */
export type UserSummary = Pick<
  UserRecord,
  "sub" | "email" | "name" | "roles" | "status" | "source" | "createdAt" | "invitePending"
> & { lastSignInAt?: string };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface Me {
  sub: string;
  email?: string;
  roles: string[];
  /** What the caller's current roles grant (`GET /me`): the console offers only what the API allows. */
  permissions: string[];
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

// The lists come from core's dependency-free module, so the bundle takes nothing else of core.
export type { LifecycleEventType } from "@cognito-lifecycle/core/lists";
export {
  auditActions,
  lifecycleEventTypes,
  userSources,
  userStatuses,
} from "@cognito-lifecycle/core/lists";
