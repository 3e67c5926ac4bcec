import { DateTime } from "../../components/Badges.tsx";
import type { PlainKey } from "../../i18n/messages.ts";
import { useI18n } from "../../i18n/useI18n.ts";
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

type Translate = ReturnType<typeof useI18n>["t"];

const verbs: Record<string, PlainKey> = {
  "user.disabled": "conflict.disabled",
  "user.enabled": "conflict.enabled",
  "user.deleted": "conflict.deleted",
  "user.resynced": "conflict.resynced",
  "user.signed-out": "conflict.signedOut",
};

/** The other admin's change in words: roles added and removed, or what the action did. */
export function describeChange(t: Translate, change: LastChange): string {
  if (change.action === "user.roles.set") {
    const from = listOf(change.details?.from);
    const to = listOf(change.details?.to);
    const added = to.filter((role) => !from.includes(role));
    const removed = from.filter((role) => !to.includes(role));
    const parts = [
      ...(added.length > 0 ? [t("conflict.added", { roles: added.join(", ") })] : []),
      ...(removed.length > 0 ? [t("conflict.removed", { roles: removed.join(", ") })] : []),
    ];
    return parts.join(t("bulk.and")) || t("conflict.sameRoles");
  }
  const verb = verbs[change.action];
  return verb ? t(verb) : change.action;
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
  const { t, rich } = useI18n();
  const { current, lastChange } = failure;
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>{t("conflict.title")}</strong> {t("conflict.nothingSaved")}
      </p>
      <ul>
        {lastChange ? (
          <li>
            {rich("conflict.theirChange", {
              actor: lastChange.actorEmail ?? lastChange.actor,
              change: describeChange(t, lastChange),
              at: <DateTime value={lastChange.at} />,
            })}
          </li>
        ) : null}
        <li>{t("conflict.yourChange", { change: failure.attempted })}</li>
        <li>
          {t("conflict.now", {
            version: current.version,
            status: t(`status.${current.status}`),
            roles: current.roles.join(", ") || t("common.none"),
          })}
        </li>
      </ul>
      <p>{t(failure.roles ? "conflict.rolesHint" : "conflict.hint")}</p>
      <button type="button" className="button" onClick={onDismiss} disabled={busy}>
        {t("conflict.dismiss")}
      </button>
    </div>
  );
}
