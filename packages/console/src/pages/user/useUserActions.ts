import { useState } from "react";
import { ApiError } from "../../api.ts";
import { useApp } from "../../context.tsx";
import type { PlainKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";
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

type Translate = ReturnType<typeof useI18n>["t"];

export function describeDelta(t: Translate, { add, remove }: RoleDelta): string {
  const parts = [
    ...(add.length > 0 ? [t("bulk.addChange", { roles: add.join(", ") })] : []),
    ...(remove.length > 0 ? [t("bulk.removeChange", { roles: remove.join(", ") })] : []),
  ];
  return parts.join("; ") || t("roles.noChange");
}

// A disable's message is built from the steps the API reports (stepsMessage).
const accountMessages: Record<Exclude<DialogKind, "disable">, PlainKey> = {
  delete: "action.deleted",
  enable: "action.enabled",
};

const attemptedKeys: Record<DialogKind, PlainKey> = {
  disable: "action.attemptDisable",
  enable: "action.attemptEnable",
  delete: "action.attemptDelete",
};

/**
 * Runs one change at a time and keeps how it ended: the outcome's sentence (`result`), the failure
 * (a 409's `current` and last change apart from other errors), the record it answered with
 * (`latest`); then `reload`s the record and audit trail either way.
 */
function useActionOutcome(reload: () => void) {
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
  const dismiss = () => setFailure(undefined);
  return { result, failure, busy, latest, perform, dismiss };
}

/**
 * The changes an admin makes to one user, each with its request and its outcome in words, run
 * through useActionOutcome.
 */
export function useUserActions(path: string, reload: () => void) {
  const { api } = useApp();
  const { t } = useI18n();
  const outcome = useActionOutcome(reload);
  const { perform } = outcome;

  const saveRoles = (change: RoleDelta, reason: string, expectedVersion: number, confirmSelf: boolean) =>
    perform(
      async () => {
        const body = { ...change, expectedVersion, reason, ...(confirmSelf ? { confirmSelf } : {}) };
        const { user } = await api.send<{ user: UserRecord }>("PATCH", `${path}/roles`, body);
        return { user, message: t("roles.saved", { roles: user.roles.join(", ") || t("common.none") }) };
      },
      describeDelta(t, change),
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
          ? t("user.resynced", { count: changes.length, fields: changes.join(", ") })
          : t("user.resyncedNothing");
      return { user, message };
    }, t("user.attemptResync"));

  const resendInvite = () =>
    perform(async () => {
      const { user } = await api.send<{ user: UserRecord }>("POST", `${path}/invite`);
      return {
        user,
        message: t("user.inviteResent", { user: user.email ?? user.sub }),
      };
    }, t("user.attemptResendInvite"));

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
        return { user, message: stepsMessage(t, steps) };
      }
      const { user } =
        kind === "delete"
          ? await api.send<{ user: UserRecord }>("DELETE", path, body)
          : await api.send<{ user: UserRecord }>("POST", `${path}/${kind}`, body);
      return { user, message: t(accountMessages[kind]) };
    }, t(attemptedKeys[kind]));

  return { ...outcome, saveRoles, resync, resendInvite, changeAccount };
}
