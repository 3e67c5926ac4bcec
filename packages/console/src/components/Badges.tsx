import { useI18n } from "../i18n/useI18n.ts";
import type { UserStatus } from "../types.ts";

export function StatusBadge({ status }: { status: UserStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

/** Shown beside the status while the user has not accepted an admin's invitation (FORCE_CHANGE_PASSWORD). */
export function InviteBadge({ pending }: { pending: boolean | undefined }) {
  const { t } = useI18n();
  return pending ? <span className="badge badge-invite">{t("badge.invitePending")}</span> : null;
}

export function RoleList({ roles }: { roles: string[] }) {
  const { t } = useI18n();
  if (roles.length === 0) return <span className="muted">{t("common.none")}</span>;
  return (
    <ul className="tags" aria-label={t("roles.label")}>
      {roles.map((role) => (
        <li key={role} className="tag">
          {role}
        </li>
      ))}
    </ul>
  );
}

/** A time in the console's locale; the exact ISO value stays in `<time dateTime>` and its tooltip. */
export function DateTime({ value, empty }: { value: string | undefined; empty?: string }) {
  const { t, dateTime } = useI18n();
  if (!value) return <span className="muted">{empty ?? t("common.never")}</span>;
  return (
    <time dateTime={value} title={value}>
      {dateTime(value)}
    </time>
  );
}
