import { useState } from "react";
import { ApiError } from "../../api.ts";
import { useApp } from "../../context.tsx";
import { describeCount } from "../../format.ts";
import { messageOf } from "../../load.ts";
import type { UserRecord } from "../../types.ts";
import type { DialogKind } from "./ActionDialog.tsx";
import type { Failure } from "./ConflictNotice.tsx";
import { type StepOutcome, stepsMessage } from "./steps.ts";

/** What an action answered: the sentence to show and the record after it. */
export type Outcome = { message: string; user: UserRecord };

/** A role change as the console sends it: applied by the API to the current roles. */
export interface RoleDelta {
  add: string[];
  remove: string[];
}

/** How an action ended: a 409 on a stale version is told apart, so the roles form can reset. */
export type ActionResult = "done" | "conflict" | "failed";

export function describeDelta({ add, remove }: RoleDelta): string {
  const parts = [
    ...(add.length > 0 ? [`add ${add.join(", ")}`] : []),
    ...(remove.length > 0 ? [`remove ${remove.join(", ")}`] : []),
  ];
  return parts.join("; ") || "no change";
}

// A disable's message is built from the steps the API reports (stepsMessage).
const accountMessages: Record<Exclude<DialogKind, "disable">, string> = {
  delete: "User deleted from Cognito. The record stays here with status deleted.",
  enable: "User enabled. They can sign in again.",
};

/**
 * The changes an admin makes to one user. Each reports its outcome in words, keeps the record it
 * answered with (or a 409's `current`) as `latest`, and calls `reload` for the record and audit trail.
 * Long because it holds each action's short closure over the one shared busy/result state.
 */
export function useUserActions(path: string, reload: () => void) {
  const { api } = useApp();
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<Failure>();
  const [busy, setBusy] = useState(false);
  const [latest, setLatest] = useState<UserRecord>();

  /** `attempted` says the admin's own change, shown beside the other one after a conflict. */
  const perform = async (
    action: () => Promise<Outcome>,
    attempted: string,
    roles = false,
  ): Promise<ActionResult> => {
    setBusy(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      const outcome = await action();
      setLatest(outcome.user);
      setResult(outcome.message);
      return "done";
    } catch (error) {
      if (error instanceof ApiError && error.current) setLatest(error.current);
      if (error instanceof ApiError && error.code === "conflict" && error.current) {
        const { current, lastChange } = error;
        setFailure({ kind: "conflict", current, ...(lastChange ? { lastChange } : {}), attempted, roles });
        return "conflict";
      }
      const fields = error instanceof ApiError ? error.fields : {};
      setFailure({ kind: "error", message: messageOf(error), fields });
      return "failed";
    } finally {
      setBusy(false);
      reload();
    }
  };

  const saveRoles = (change: RoleDelta, reason: string, expectedVersion: number, confirmSelf: boolean) =>
    perform(
      async () => {
        const body = { ...change, expectedVersion, reason, ...(confirmSelf ? { confirmSelf } : {}) };
        const { user } = await api.send<{ user: UserRecord }>("PATCH", `${path}/roles`, body);
        const saved = user.roles.join(", ") || "none";
        return {
          user,
          message: `Roles saved: ${saved}. They reach the user's tokens at the next sign-in or token refresh.`,
        };
      },
      describeDelta(change),
      true,
    );

  const resync = () =>
    perform(async () => {
      const { user, changes } = await api.send<{ user: UserRecord; changes: string[] }>(
        "POST",
        `${path}/resync`,
      );
      const message =
        changes.length > 0
          ? `Resynced from Cognito. Updated ${describeCount(changes.length, "field")}: ${changes.join(", ")}.`
          : "Resynced from Cognito. Nothing had drifted.";
      return { user, message };
    }, "resync from Cognito");

  const resendInvite = () =>
    perform(async () => {
      const { user } = await api.send<{ user: UserRecord }>("POST", `${path}/invite`);
      return {
        user,
        message: `Invitation sent again to ${user.email ?? user.sub}, with a new temporary password.`,
      };
    }, "resend the invitation");

  /** Sends the version the page shows, so a stale tab gets a 409 rather than a second change. */
  const changeAccount = (kind: DialogKind, reason: string, expectedVersion: number, confirmSelf: boolean) =>
    perform(async () => {
      const body = {
        ...(reason ? { reason } : {}),
        expectedVersion,
        ...(confirmSelf ? { confirmSelf } : {}),
      };
      if (kind === "disable") {
        const { user, steps } = await api.send<{ user: UserRecord; steps: StepOutcome[] }>(
          "POST",
          `${path}/disable`,
          body,
        );
        return { user, message: stepsMessage(steps) };
      }
      const { user } =
        kind === "delete"
          ? await api.send<{ user: UserRecord }>("DELETE", path, body)
          : await api.send<{ user: UserRecord }>("POST", `${path}/${kind}`, body);
      return { user, message: accountMessages[kind] };
    }, `${kind} the user`);

  const dismiss = () => setFailure(undefined);
  return { result, failure, busy, latest, saveRoles, resync, resendInvite, changeAccount, dismiss, perform };
}
