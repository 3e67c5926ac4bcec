import { DateTime } from "../../components/Badges.tsx";
import type { UserRecord } from "../../types.ts";

/** What went wrong with the last action; a conflict carries the record as it is now. */
export type Failure =
  | { kind: "error"; message: string; fields: Record<string, string> }
  | { kind: "conflict"; current: UserRecord; draftKept: boolean };

export function ConflictNotice({
  failure,
  busy,
  onDismiss,
}: {
  failure: Extract<Failure, { kind: "conflict" }>;
  busy: boolean;
  onDismiss: () => void;
}) {
  const { current } = failure;
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>Someone changed this user while you were working.</strong> Nothing was saved. Here is the
        current version (version {current.version}, updated <DateTime value={current.updatedAt} />
        ): status {current.status}, roles {current.roles.join(", ") || "none"}.
      </p>
      <p>
        {failure.draftKept
          ? "Your role selection and reason are kept below: check them against the current version and save again."
          : "Check the current version, then repeat the action if it is still needed."}
      </p>
      <button type="button" className="button" onClick={onDismiss} disabled={busy}>
        Dismiss
      </button>
    </div>
  );
}
