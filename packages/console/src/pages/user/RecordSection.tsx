import type { ReactNode } from "react";
import { DateTime, RoleList, StatusBadge } from "../../components/Badges.tsx";
import { useI18n } from "../../i18n/useI18n.ts";
import type { UserRecord } from "../../types.ts";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Missing({ text = "—" }: { text?: string }) {
  return <span className="muted">{text}</span>;
}

export function RecordSection({ user }: { user: UserRecord }) {
  const { t } = useI18n();
  const welcome = user.welcomeEmail;
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">{t("record.title")}</h2>
      <dl className="fields">
        <Field label={t("record.sub")}>
          <span className="mono">{user.sub}</span>
        </Field>
        <Field label={t("record.username")}>
          <span className="mono">{user.username}</span>
        </Field>
        <Field label={t("users.email")}>
          {user.email ?? <Missing />}{" "}
          {user.email ? (
            <span className={user.emailVerified ? "tag tag-ok" : "tag tag-warn"}>
              {t(user.emailVerified ? "record.verified" : "record.notVerified")}
            </span>
          ) : null}
        </Field>
        <Field label={t("users.colName")}>{user.name ?? <Missing />}</Field>
        <Field label={t("profile.locale")}>{user.locale ?? <Missing />}</Field>
        <Field label={t("users.colStatus")}>
          <StatusBadge status={user.status} />
        </Field>
        <Field label={t("users.colRoles")}>
          <RoleList roles={user.roles} />
        </Field>
        <Field label={t("record.groups")}>
          {user.groups.length > 0 ? (
            <ul className="tags" aria-label={t("record.groupsList")}>
              {user.groups.map((group) => (
                <li key={group} className="tag">
                  {group}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text={t("common.none")} />
          )}
        </Field>
        <Field label={t("users.colSource")}>{user.source}</Field>
        <Field label={t("record.identities")}>
          {user.identities.length > 0 ? (
            <ul className="plain-list">
              {user.identities.map((identity) => (
                <li key={`${identity.providerName}/${identity.userId ?? ""}`}>
                  {identity.providerName}
                  {identity.providerType ? ` (${identity.providerType})` : ""}
                  {identity.userId ? <span className="mono"> {identity.userId}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <Missing text={t("common.none")} />
          )}
        </Field>
        <Field label={t("record.welcome")}>
          {welcome ? (
            <>
              <span className={`tag tag-welcome-${welcome.status}`}>{welcome.status}</span>{" "}
              <DateTime value={welcome.at} />
              {` · ${t("record.attempts", { count: welcome.attempts })}`}
              {welcome.messageId ? (
                <span className="mono block">{t("record.message", { id: welcome.messageId })}</span>
              ) : null}
              {welcome.error ? <span className="block">{welcome.error}</span> : null}
            </>
          ) : (
            <Missing text={t("record.notSent")} />
          )}
        </Field>
        <Field label={t("record.deliverability")}>
          {user.emailDeliverability ? (
            <>
              <span className="tag tag-warn">{user.emailDeliverability.status}</span>{" "}
              <DateTime value={user.emailDeliverability.at} />
              {[user.emailDeliverability.bounceType, user.emailDeliverability.subType].some(Boolean) ? (
                <span className="block">
                  {[user.emailDeliverability.bounceType, user.emailDeliverability.subType]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              ) : null}
              <span className="block muted">{t("record.noWelcome")}</span>
            </>
          ) : (
            <Missing text={t("record.noBounce")} />
          )}
        </Field>
        <Field label={t("users.colCreated")}>
          <DateTime value={user.createdAt} />
        </Field>
        <Field label={t("record.confirmed")}>
          <DateTime value={user.confirmedAt} empty="—" />
        </Field>
        <Field label={t("users.colLastSignIn")}>
          <DateTime value={user.lastSignInAt} />
        </Field>
        <Field label={t("record.passwordChanged")}>
          <DateTime value={user.passwordChangedAt} />
        </Field>
        <Field label={t("record.updated")}>
          <DateTime value={user.updatedAt} /> ({t("user.version", { version: user.version })})
        </Field>
      </dl>
    </section>
  );
}
