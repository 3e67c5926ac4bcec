import { formatDateTime } from "../format.ts";
import type { UserStatus } from "../types.ts";

export function StatusBadge({ status }: { status: UserStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** Shown beside the status while the user has not accepted an admin's invitation (FORCE_CHANGE_PASSWORD). */
export function InviteBadge({ pending }: { pending: boolean | undefined }) {
  return pending ? <span className="badge badge-invite">invite pending</span> : null;
}

export function RoleList({ roles }: { roles: string[] }) {
  if (roles.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="tags" aria-label="Roles">
      {roles.map((role) => (
        <li key={role} className="tag">
          {role}
        </li>
      ))}
    </ul>
  );
}

export function DateTime({ value, empty = "never" }: { value: string | undefined; empty?: string }) {
  if (!value) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={value} title={value}>
      {formatDateTime(value)}
    </time>
  );
}
