import { DateTime } from "../../components/Badges.tsx";
import type { LastChange, UserRecord } from "../../types.ts";

/** What went wrong with the last action; a conflict carries the record as it is now and who changed it. */
export type Failure =
  | { kind: "error"; message: string; fields: Record<string, string> }
  | {
      kind: "conflict";
      current: UserRecord;
      lastChange?: LastChange;
      /** The admin's own change, in words ("remove member", "disable the user"). */
      attempted: string;
      /** A role change: the form shows the current roles and offers to re-apply the change. */
      roles: boolean;
    };

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/** The other admin's change in words: roles added and removed, or what the action did. */
export function describeChange(change: LastChange): string {
  if (change.action === "user.roles.set") {
    const from = listOf(change.details?.from);
    const to = listOf(change.details?.to);
    const added = to.filter((role) => !from.includes(role));
    const removed = from.filter((role) => !to.includes(role));
    const parts = [
      ...(added.length > 0 ? [`added ${added.join(", ")}`] : []),
      ...(removed.length > 0 ? [`removed ${removed.join(", ")}`] : []),
    ];
    return parts.join(" and ") || "saved the same roles";
  }
  const verbs: Record<string, string> = {
    "user.disabled": "disabled the user",
    "user.enabled": "enabled the user",
    "user.deleted": "deleted the user",
    "user.resynced": "resynced the user from Cognito",
    "user.signed-out": "signed the user out everywhere",
  };
  return verbs[change.action] ?? change.action;
}

export function ConflictNotice({
  failure,
  busy,
  onDismiss,
}: {
  failure: Extract<Failure, { kind: "conflict" }>;
  busy: boolean;
  onDismiss: () => void;
}) {
  const { current, lastChange } = failure;
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>Someone changed this user while you were working.</strong> Nothing was saved.
      </p>
      <ul>
        {lastChange ? (
          <li>
            Their change: {lastChange.actorEmail ?? lastChange.actor} {describeChange(lastChange)} at{" "}
            <DateTime value={lastChange.at} />.
          </li>
        ) : null}
        <li>Your change: {failure.attempted}.</li>
        <li>
          Now: version {current.version}, status {current.status}, roles {current.roles.join(", ") || "none"}.
        </li>
      </ul>
      <p>
        {failure.roles
          ? "The checkboxes show the current roles. Re-apply your change to them, check the result and save again."
          : "Check the current version, then repeat the action if it is still needed."}
      </p>
      <button type="button" className="button" onClick={onDismiss} disabled={busy}>
        Dismiss
      </button>
    </div>
  );
}
